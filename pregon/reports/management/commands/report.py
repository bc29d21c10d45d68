"""`pregon report semester 2023-H1 --format pdf -o evaluacion.pdf`"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pregon.core.progress import ProgressBar
from pregon.goals import periods
from pregon.reports import exports, figures
from pregon.reports.models import IssuedReport

KINDS = {"semester": "H", "quarter": "Q", "year": "", "month": "M"}


def period_for(kind: str, key: str) -> periods.Period:
    try:
        period = periods.parse(key)
    except periods.PeriodError as error:
        raise CommandError(str(error)) from error
    part = period.key[5:6]
    shape = "" if len(period.key) == 4 else ("M" if part.isdigit() else part)
    if shape != KINDS[kind]:
        examples = {"semester": "2023-H1", "quarter": "2023-Q3", "year": "2023", "month": "2023-07"}
        raise CommandError(f"«{key}» no es un periodo de tipo {kind}; p. ej. {examples[kind]}.")
    return period


class Command(BaseCommand):
    help = (
        "Genera la evaluación de un periodo (semestre, trimestre, año o mes) en PDF, XLSX o HTML."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS), help="semester, quarter, year o month")
        parser.add_argument("period", help="2023-H1, 2023-Q2, 2023 o 2023-07")
        parser.add_argument("--format", choices=sorted(exports.FORMATS), default="pdf")
        parser.add_argument(
            "-o", "--output", help="archivo de salida (por omisión, el nombre del periodo)"
        )
        parser.add_argument(
            "--issued", type=int, help="exportar la evaluación emitida con este número"
        )
        parser.add_argument("--json", action="store_true", help="imprime un resumen en JSON")

    def handle(self, *args, **opts) -> None:
        period = period_for(opts["kind"], opts["period"])
        started = time.monotonic()
        bar = ProgressBar(2, "Evaluación", enabled=not opts["json"])
        data, conclusions, issued = self.figures(period, opts.get("issued"))
        bar.advance(note="cifras")
        content = exports.export(opts["format"], data, conclusions, issued)
        bar.advance(note=opts["format"])
        bar.finish()
        output = Path(opts["output"] or exports.filename(data, opts["format"]))
        output.write_bytes(content)
        summary = {
            "period": period.key,
            "format": opts["format"],
            "output": str(output),
            "bytes": len(content),
            "seconds": round(time.monotonic() - started, 2),
            "off_target": [d["code"] for d in data["diagnosis"]],
        }
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{period.label}: {output} ({len(content):,} bytes, {summary['seconds']} s)"
            )

    def figures(self, period: periods.Period, issued_pk: int | None):
        if issued_pk is None:
            return figures.compute(period), "", None
        report = IssuedReport.objects.filter(pk=issued_pk).first()
        if report is None or report.period != period.key:
            raise CommandError(f"No hay una evaluación emitida número {issued_pk} de {period.key}.")
        return report.figures, report.conclusions, report
