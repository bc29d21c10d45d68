"""`pregon import-ics FILE [--area SHORTNAME] [--dry-run] [--json]`."""

import json
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pregon.accounts.models import Area
from pregon.agenda import ics
from pregon.core.progress import ProgressBar


def _day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return timezone.make_aware(datetime.fromisoformat(value))
    except ValueError as exc:
        raise CommandError(f"Fecha inválida «{value}»; use AAAA-MM-DD.") from exc


class Command(BaseCommand):
    help = "Importa un calendario iCalendar (.ics) como actividades; repetirlo actualiza."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Archivo .ics (Google Calendar, Outlook, ...)")
        parser.add_argument("--area", default="PRES", help="Siglas del área (PRES por omisión)")
        parser.add_argument("--dry-run", action="store_true", help="Solo mostrar qué cambiaría")
        parser.add_argument("--json", action="store_true", help="Resumen legible por máquina")
        parser.add_argument(
            "--publicas",
            action="store_true",
            help="Los eventos sin CLASS entran como públicos (por omisión, privados)",
        )
        parser.add_argument("--desde", help="Expandir recurrencias desde AAAA-MM-DD")
        parser.add_argument("--hasta", help="Expandir recurrencias hasta AAAA-MM-DD")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No existe el archivo {path}.")
        area = Area.objects.filter(short_name=options["area"]).first()
        if area is None:
            raise CommandError(f"No existe el área «{options['area']}».")
        bar = ProgressBar(None, "Importando", enabled=not options["json"])
        try:
            result = ics.import_ics(
                path.read_bytes(),
                area,
                None,
                dry_run=options["dry_run"],
                since=_day(options["desde"]),
                until=_day(options["hasta"]),
                public_default=options["publicas"],
                source=path.name,
            )
        except ics.IcsError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        bar.advance(len(result.occurrences))
        bar.finish()
        self._report(result, options["json"])

    def _report(self, result: ics.ImportResult, as_json: bool) -> None:
        summary = result.summary()
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        prefix = "Simulación: " if result.dry_run else ""
        self.stdout.write(
            f"{prefix}{summary['ocurrencias']} ocurrencias; {summary['creadas']} nuevas, "
            f"{summary['actualizadas']} actualizadas, {summary['sin_cambios']} sin cambios, "
            f"{summary['canceladas']} canceladas."
        )
