"""`pregon transparency_export 23b 2023 1 -o formato_23b.xlsx`: one quarterly format."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pregon.compliance import exports


class Command(BaseCommand):
    help = "Exporta un formato de transparencia (23a, 23b, 23c) de un trimestre a CSV o XLSX."

    def add_arguments(self, parser) -> None:
        parser.add_argument("format", choices=sorted(exports.FORMATS))
        parser.add_argument("year", type=int)
        parser.add_argument("quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("-o", "--output", required=True, help="archivo .csv o .xlsx")
        parser.add_argument("--json", action="store_true", help="resumen en JSON")

    def handle(self, *args, **options) -> None:
        output = Path(options["output"])
        if output.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError(f"«{output}»: la extensión debe ser .csv o .xlsx.")
        fmt = exports.FORMATS[options["format"]]
        quarter = exports.Quarter(options["year"], options["quarter"])
        rows = len(fmt.rows(quarter))
        writer = exports.to_csv if output.suffix.lower() == ".csv" else exports.to_xlsx
        output.write_bytes(writer(fmt, quarter))
        summary = {
            "format": fmt.code,
            "year": quarter.year,
            "quarter": quarter.number,
            "rows": rows,
            "output": str(output),
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(
                f"Formato {fmt.code}, {quarter.year} T{quarter.number}: "
                f"{rows} registros en {output}."
            )
