"""`pregon ingest PATH... [--activity ID] [--area SHORTNAME] [--json]`: folders, memory cards."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pregon.accounts.models import Area
from pregon.archive.models import Asset
from pregon.archive.services import IngestError, asset_ingest
from pregon.core.progress import ProgressBar


def walk(paths: list[str]) -> list[Path]:
    """Every regular, non-hidden file under the given paths, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise CommandError(f"No existe la ruta «{raw}».")
        if path.is_file():
            found.append(path)
            continue
        found += sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    return found


class Command(BaseCommand):
    help = "Ingresa archivos o carpetas al archivo; una segunda corrida omite lo que ya está."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="RUTA")
        parser.add_argument("--activity", type=int, metavar="ID", help="Actividad de la agenda.")
        parser.add_argument("--area", metavar="NOMBRE_CORTO", help="Área, p. ej. OPDU.")
        parser.add_argument("--json", action="store_true", help="Imprime un resumen en JSON.")

    def handle(self, *args, paths, activity=None, area=None, **options) -> None:
        activity_obj = self._activity(activity)
        area_obj = None
        if area:
            area_obj = Area.objects.filter(short_name__iexact=area).first()
            if area_obj is None:
                raise CommandError(f"No existe el área «{area}».")
        files = walk(paths)
        bar = ProgressBar(len(files), "Ingresando", enabled=not options["json"])
        summary = {"ingresados": [], "omitidos": 0, "rechazados": []}
        for path in files:
            try:
                asset = asset_ingest(
                    file_path_or_uploaded_file=path,
                    original_name=path.name,
                    activity=activity_obj,
                    area=area_obj,
                )
                summary["ingresados"].append(asset.pk)
            except IngestError as exc:
                if exc.existing is not None:
                    summary["omitidos"] += 1  # resumable: already in the archive
                else:
                    summary["rechazados"].append({"archivo": str(path), "motivo": exc.message})
            bar.advance(note=path.name[:30])
        bar.finish()
        self._report(summary, options["json"])

    def _activity(self, pk):
        if pk is None:
            return None
        # The model behind Asset.activity: the archive does not import agenda.
        activity_model = Asset._meta.get_field("activity").related_model
        found = activity_model.objects.filter(pk=pk).first()
        if found is None:
            raise CommandError(f"No existe la actividad {pk}.")
        return found

    def _report(self, summary: dict, as_json: bool) -> None:
        if as_json:
            out = {**summary, "ingresados": len(summary["ingresados"])}
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        self.stdout.write(
            f"{len(summary['ingresados'])} ingresados, {summary['omitidos']} ya estaban, "
            f"{len(summary['rechazados'])} rechazados."
        )
        for item in summary["rechazados"]:
            self.stdout.write(f"  ✗ {item['archivo']}: {item['motivo']}")
