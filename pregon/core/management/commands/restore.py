"""`pregon restore DIR [--json]`: brings a backup back into an empty installation.
Every piece is checked against the manifest before anything is touched."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pregon.core.backup import BackupError, restore
from pregon.core.progress import ProgressBar


class Command(BaseCommand):
    help = "Restaura un respaldo de Pregón en una instalación vacía (verifica antes)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument("--json", action="store_true", help="Imprime un resumen en JSON.")

    def handle(self, *args, directory: str, **options) -> None:
        quiet = options["json"]
        try:
            manifest = restore(
                Path(directory),
                bar=lambda total, label: ProgressBar(total, label, enabled=not quiet),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = len(manifest["files"])
        if quiet:
            summary = {"directorio": directory, "archivos": files, "creado": manifest["created_at"]}
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Restaurado el respaldo del {manifest['created_at'][:19]} UTC: base de datos "
                f"y {files} archivos. Compruebe con «pregon verify-archive»."
            )
        )
