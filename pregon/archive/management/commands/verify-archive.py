"""`pregon verify-archive [--bag PATH] [--json]`: re-hash every original of the live
archive, or validate an exported BagIt bag; exit 1 if anything is missing or altered."""

import json

from django.core.management.base import BaseCommand

from pregon.archive.preservation import verify_archive, verify_bag


class Command(BaseCommand):
    help = (
        "Verifica la integridad (SHA-256) de todos los originales del archivo, "
        "o de una bolsa BagIt exportada (--bag)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bag", metavar="RUTA", help="Valida una bolsa BagIt exportada.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, bag: str | None = None, **options) -> None:
        if bag:
            self._bag(bag, options["json"])
            return
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

    def _bag(self, path: str, as_json: bool) -> None:
        report = verify_bag(path)
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        elif report["valida"]:
            self.stdout.write(
                f"Bolsa BagIt {report['version']} válida: {report['archivos']} archivos íntegros."
            )
        else:
            self.stdout.write(f"La bolsa «{path}» no es válida:")
            for problem in report["problemas"]:
                self.stdout.write(f"  ✗ {problem}")
        if not report["valida"]:
            raise SystemExit(1)
