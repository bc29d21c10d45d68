"""`pregon import-metrics FILE [--account NAME]`: post figures from Meta or X exports."""

import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from pregon.analytics.importers import MetricsFileError
from pregon.analytics.services import import_metrics_file


class Command(BaseCommand):
    help = (
        "Importa las cifras de publicaciones de un CSV exportado de Meta Business Suite "
        "(Facebook, Instagram) o de X. Volver a importar actualiza, no duplica."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--account", help="Nombre de la cuenta de canal en Pregón.")
        parser.add_argument("--json", action="store_true", help="Imprime un resumen en JSON.")

    def handle(self, *args, **options) -> None:
        try:
            report = import_metrics_file(options["file"], options.get("account"))
        except FileNotFoundError as exc:
            raise CommandError(f"No existe el archivo: {options['file']}") from exc
        except MetricsFileError as exc:
            if options["json"]:
                self.stdout.write(json.dumps({"ok": False, "errors": exc.messages}))
            raise CommandError("\n".join(exc.messages)) from exc
        if options["json"]:
            self.stdout.write(json.dumps({"ok": True, **asdict(report)}))
            return
        self.stdout.write(
            f"{report.layout} → {report.account}: {report.rows} publicaciones "
            f"({report.created} nuevas, {report.updated} actualizadas, "
            f"{report.unchanged} sin cambios)."
        )
