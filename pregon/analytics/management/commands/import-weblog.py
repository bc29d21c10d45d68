"""`pregon import-weblog FILE...`: count portal visits from access logs (gzip too)."""

import json
import os

from django.core.management.base import BaseCommand, CommandError

from pregon.analytics.services import import_weblog
from pregon.analytics.weblog import WebLogError
from pregon.core.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Importa bitácoras de acceso del portal (Common/Combined, nginx o Apache, también "
        ".gz). Repetir un archivo no cuenta nada dos veces; una importación interrumpida "
        "continúa donde se quedó."
    )
    # Django's system checks import every URL conf, view and API module: ~0.6 s of CPU
    # before the first line, for a command that needs none of them (`pregon check`
    # still runs them all).
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="Imprime un resumen en JSON.")

    def handle(self, *args, **options) -> None:
        missing = [f for f in options["files"] if not os.path.isfile(f)]
        if missing:
            raise CommandError("No existe el archivo: " + ", ".join(missing))
        reports = [self._one(path, options["json"]) for path in options["files"]]
        if options["json"]:
            self.stdout.write(json.dumps({"files": [r.as_dict() for r in reports]}))

    def _one(self, path: str, quiet: bool):
        # Progress in megabytes of the file on disk: no extra pass to count lines first.
        size_mb = max(1, round(os.path.getsize(path) / 1e6))
        bar = ProgressBar(
            size_mb, f"{os.path.basename(path)} (MB)", enabled=not quiet and self.stderr.isatty()
        )

        def moved(done: int, size: int) -> None:
            bar.advance(round(done / 1e6) - bar.done)

        try:
            report = import_weblog(path, position=moved)
        except WebLogError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        finally:
            bar.finish()
        if not quiet:
            self.stdout.write(
                f"{path}: {report.lines} líneas nuevas (desde la línea {report.resumed_from}), "
                f"{report.visits} visitas, {report.bots} de robots, {report.skipped} omitidas, "
                f"{report.malformed} mal formadas."
            )
            for example in report.malformed_examples:
                self.stdout.write(f"  {example}")
        return report
