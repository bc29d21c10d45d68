"""`pregon export-bag --activity ID|--year YYYY DIR`: a BagIt (RFC 8493) bag that validates."""

import json

from django.core.management.base import BaseCommand, CommandError

from pregon.archive.preservation import export_bag


class Command(BaseCommand):
    help = "Exporta los originales de una actividad o de un año como bolsa BagIt validada."

    def add_arguments(self, parser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--activity", type=int, metavar="ID")
        group.add_argument("--year", type=int, metavar="AAAA")
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, activity=None, year=None, directory="", **options) -> None:
        try:
            result = export_bag(directory, activity_id=activity, year=year)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"Bolsa BagIt válida en {result['bolsa']} con {result['archivos']} archivos."
            )
