"""`pregon verify-archive [--json]`: re-hash every original; exit 1 if any is missing or altered."""

import json

from django.core.management.base import BaseCommand

from pregon.archive.services import verify_archive


class Command(BaseCommand):
    help = "Verifica la integridad (SHA-256) de todos los originales del archivo."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        report = verify_archive()
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            self.stdout.write(f"{report['verificados']} originales íntegros.")
            for item in report["faltantes"]:
                self.stdout.write(f"  ✗ FALTA #{item['id']} {item['name']}")
            for item in report["alterados"]:
                self.stdout.write(f"  ✗ ALTERADO #{item['id']} {item['name']}")
        if report["faltantes"] or report["alterados"]:
            raise SystemExit(1)
