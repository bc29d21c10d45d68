"""`pregon backup -o DIR [--since PREVIOUS] [--json]`: database + every stored file +
a SHA-256 manifest. Running again into the same DIR (or with --since a previous
backup) copies only the files that are new."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pregon.core.backup import BackupError, backup
from pregon.core.progress import ProgressBar


class Command(BaseCommand):
    help = "Respalda la base de datos y todos los archivos, con manifiesto SHA-256."

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", required=True, metavar="DIR")
        parser.add_argument(
            "--since",
            metavar="RESPALDO_ANTERIOR",
            help="Toma de ese respaldo los archivos que no cambiaron (enlace duro).",
        )
        parser.add_argument("--json", action="store_true", help="Imprime un resumen en JSON.")

    def handle(self, *args, output: str, since: str | None, **options) -> None:
        quiet = options["json"]
        previous = Path(since) if since else None
        if previous and not (previous / "manifest.json").exists():
            raise CommandError(f"«{since}» no es un respaldo de Pregón (falta manifest.json).")
        started = time.monotonic()
        try:
            summary = backup(
                Path(output),
                since=previous,
                bar=lambda total, label: ProgressBar(total, label, enabled=not quiet),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        report = {**summary.as_json(), "segundos": round(time.monotonic() - started, 1)}
        if quiet:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Respaldo listo en {output}: base de datos ({summary.engine}) y "
                f"{summary.files} archivos ({summary.copied} copiados, "
                f"{summary.reused} sin cambios, {summary.bytes_copied / 1e6:.1f} MB)."
            )
        )
