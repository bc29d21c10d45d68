"""Draw an evaluation from its figures: HTML, PDF (WeasyPrint) and XLSX (openpyxl).

Only the stored figures are read here, never the database, so a saved report
renders with the numbers it was issued with."""

import io
import re
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from pregon.analytics import charts as analytics_charts
from pregon.core.pdf import html_to_pdf
from pregon.goals.charts import target_bars

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TABLE_ORDER = [
    ("indicadores", None),
    ("publicaciones", "publicaciones"),
    ("cobertura", "cobertura"),
    ("cadencia", None),
    ("seguidores", "seguidores"),
    ("interacciones", "interacciones"),
    ("top", None),
    ("visitas", "visitas"),
    ("prensa", "prensa"),
    ("encuestas", None),
]


def chart_svg(spec: dict) -> str:
    kind, title = spec["kind"], spec["title"]
    bars = [(label, value) for label, value in spec.get("bars", [])]
    if kind == "target_bars":
        return target_bars(bars, target=spec.get("target"), title=title)
    if kind == "band_bars":
        return analytics_charts.bar_chart(
            bars, title=title, band=tuple(spec["band"]), band_label="Rango del plan"
        )
    if kind == "line":
        series = {
            name: [(date.fromisoformat(d), v) for d, v in points]
            for name, points in spec["series"].items()
        }
        return analytics_charts.line_chart(series, title=title, baseline=spec.get("baseline"))
    return analytics_charts.hbar_chart(bars, title=title)


def sections(figures: dict) -> list[dict]:
    out = []
    for key, chart_key in TABLE_ORDER:
        data = figures["tables"].get(key)
        if data is None:
            continue
        chart = figures["charts"].get(chart_key) if chart_key else None
        svg = mark_safe(chart_svg(chart)) if chart else ""  # noqa: S308 - escaped in charts
        numeric = [
            any(isinstance(r[i], int | float) for r in data["rows"])
            for i in range(len(data["columns"]))
        ]
        out.append({"key": key, **data, "svg": svg, "numeric": numeric})
    return out


def context(figures: dict, conclusions: str = "", issued=None) -> dict:
    return {
        "figures": figures,
        "sections": sections(figures),
        "conclusions": conclusions,
        "issued": issued,
    }


def to_html(figures: dict, conclusions: str = "", issued=None) -> str:
    """A standalone HTML document (also the input of the PDF)."""
    return render_to_string("reports/document.html", context(figures, conclusions, issued))


def to_pdf(figures: dict, conclusions: str = "", issued=None) -> bytes:
    return html_to_pdf(to_html(figures, conclusions, issued))


def to_xlsx(figures: dict, conclusions: str = "", issued=None) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl (~10 MB) loads for an export, not in every web worker
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 - as above
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - as above

    book = Workbook()
    summary = book.active
    summary.title = "Resumen"
    _summary_sheet(summary, figures, conclusions, issued)
    for section in sections(figures):
        sheet = book.create_sheet(_sheet_name(section["title"]))
        sheet.append(section["columns"])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in section["rows"]:
            sheet.append([_cell(v) for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, datetime):
                    cell.number_format = "dd/mm/yyyy"
        sheet.freeze_panes = "A2"
        for i, column in enumerate(section["columns"], start=1):
            width = max([len(str(column))] + [len(str(r[i - 1] or "")) for r in section["rows"]])
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 10), 60)
        if section.get("note"):
            sheet.append([])
            sheet.append([section["note"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary_sheet(sheet, figures: dict, conclusions: str, issued) -> None:
    from openpyxl.styles import Font  # noqa: PLC0415 - openpyxl loads for an export only

    plan = figures.get("plan") or {}
    sheet.append(["Evaluación", figures["period"]["label"]])
    sheet.append(["Plan", plan.get("title", "—")])
    sheet.append(["Municipio", plan.get("municipality", "—")])
    sheet.append(["Del", _cell(figures["period"]["start"])])
    sheet.append(["Al", _cell(figures["period"]["last_day"])])
    if issued is not None:
        sheet.append(["Emitido por", str(issued.issued_by or "—")])
        sheet.append(["Emitido el", issued.issued_at.strftime("%Y-%m-%d %H:%M")])
    sheet.append([])
    sheet.append(["Diagnóstico: indicadores fuera de meta"])
    sheet.append(["Clave", "Indicador", "Valor", "Meta", "Brecha", "Unidad"])
    for d in figures["diagnosis"]:
        sheet.append([d["code"], d["name"], d["value"], d["target"], d["gap"], d["unit"]])
    sheet.append([])
    sheet.append(["Conclusiones de Coordinación"])
    sheet.append([conclusions or "—"])
    for row in sheet.iter_rows():
        if isinstance(row[1].value, datetime) if len(row) > 1 else False:
            row[1].number_format = "dd/mm/yyyy"
        if row[0].value in (
            "Diagnóstico: indicadores fuera de meta",
            "Conclusiones de Coordinación",
        ):
            row[0].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 50


def _cell(value):
    """ISO dates become real dates in the spreadsheet; everything else as is."""
    if isinstance(value, str) and ISO_DATE.match(value):
        return datetime.fromisoformat(value)
    return value


def _sheet_name(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    clean = "".join(c for c in title if c not in "[]:*?/\\")
    return clean[:31]
