"""`pregon render TEMPLATE --data FILE.json --size 1080x1350 -o OUT.png`."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from pregon.design.forms import piece_data, piece_form_class
from pregon.design.models import BrandKit
from pregon.design.render import SIZES, TEMPLATES, Brand, TextDoesNotFit, parse_size, render_piece


class Command(BaseCommand):
    help = "Genera una pieza gráfica (PNG) con una plantilla y el kit de marca activo."

    def add_arguments(self, parser) -> None:
        parser.add_argument("template", help=f"Plantilla: {', '.join(TEMPLATES)}")
        parser.add_argument("--data", required=True, help="Archivo JSON con los textos.")
        parser.add_argument("--size", default="1080x1350", help=f"Uno de: {', '.join(SIZES)}")
        parser.add_argument("-o", "--output", required=True, help="Archivo PNG de salida.")
        parser.add_argument("--json", action="store_true", help="Imprime un resumen en JSON.")

    def handle(self, *args, template: str, data: str, size: str, output: str, **options) -> None:
        if template not in TEMPLATES:
            raise CommandError(f"Plantilla «{template}» desconocida; use: {', '.join(TEMPLATES)}.")
        try:
            dimensions = parse_size(size)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        values, photo = self.read_data(Path(data), template)
        brand = self.brand()
        started = time.perf_counter()
        try:
            rendered = render_piece(template, values, dimensions, brand, photo)
        except TextDoesNotFit as exc:
            raise CommandError(f"{data}: {exc}") from exc
        Path(output).write_bytes(rendered.png())
        summary = {
            "output": output,
            "template": template,
            "size": size,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "warnings": rendered.warnings,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        for warning in rendered.warnings:
            self.stderr.write(f"Aviso: {warning}")
        self.stdout.write(f"Pieza {template} {size} guardada en {output} ({summary['ms']} ms).")

    def brand(self) -> Brand:
        """The active kit; the built-in Chapultepec brand when there is none (or no DB yet)."""
        try:
            kit = BrandKit.objects.active()
        except DatabaseError:
            kit = None
        return kit.to_brand() if kit else Brand()

    def read_data(self, path: Path, template: str) -> tuple[dict, bytes | None]:
        """Validate the JSON like the web form does; errors name the file and field."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"No se pudo leer {path}: {exc.strerror}.") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}, línea {exc.lineno}: JSON no válido ({exc.msg}).") from exc
        if not isinstance(raw, dict):
            raise CommandError(f"{path}: se esperaba un objeto JSON con los campos.")
        spec = TEMPLATES[template]
        fields = {k: v for k, v in raw.items() if k != "foto"}
        form = piece_form_class(spec)({**fields, "size": "1080x1350"})
        if not form.is_valid():
            problems = "; ".join(
                f"campo «{name}»: {' '.join(errors)}" for name, errors in form.errors.items()
            )
            raise CommandError(f"{path}: {problems}")
        photo = None
        if spec.photo and raw.get("foto"):
            photo_path = path.parent / raw["foto"]
            if not photo_path.is_file():
                raise CommandError(f"{path}, campo «foto»: no existe {photo_path}.")
            photo = photo_path.read_bytes()
        return piece_data(spec, form.cleaned_data), photo
