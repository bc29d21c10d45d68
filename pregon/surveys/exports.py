"""Exports of raw answers (CSV, XLSX), invitation codes (CSV) and QR codes (SVG).

Every cell that a spreadsheet could read as a formula is neutralised with a
leading apostrophe: answers are typed by anyone on the internet."""

import csv
import io
from collections import defaultdict
from datetime import date

import segno

from pregon.core.pdf import html_to_pdf
from pregon.surveys.models import Answer, InvitationCode, Survey
from pregon.surveys.selectors import responses_between
from pregon.surveys.services import format_code

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def answer_rows(survey: Survey, start: date | None, end: date | None) -> list[list]:
    """Header plus one row per response: its number, date and one column per question."""
    questions = list(survey.questions.all())
    responses = responses_between(survey, start, end).order_by("submitted_on", "pk")
    values: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for response_id, question_id, value in Answer.objects.filter(
        response__in=responses
    ).values_list("response_id", "question_id", "value"):
        values[response_id][question_id].append(value)
    rows: list[list] = [["número", "fecha"] + [q.text for q in questions]]
    for number, (pk, day) in enumerate(responses.values_list("pk", "submitted_on"), start=1):
        given = values.get(pk, {})
        rows.append([number, day.isoformat()] + ["; ".join(given.get(q.pk, [])) for q in questions])
    return [[neutralise(cell) for cell in row] for row in rows]


def to_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 right


def to_xlsx(rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl (~10 MB) loads for an export, not in every web worker

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Respuestas"
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    workbook.properties.title = title[:200]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def code_rows(survey: Survey, base_url: str) -> list[list]:
    rows: list[list] = [["código", "usado", "enlace"]]
    for code in InvitationCode.objects.filter(survey=survey):
        link = f"{base_url}?codigo={code.code}"
        rows.append([format_code(code.code), "sí" if code.used else "no", link])
    return rows


def qr_svg(url: str, scale: int = 4) -> str:
    """An inline SVG QR code (with a title for screen readers)."""
    return segno.make(url, error="m").svg_inline(scale=scale, title=url)


def to_pdf(html: str) -> bytes:
    """Render a self-contained HTML page (inline SVG, inline CSS) to PDF."""
    return html_to_pdf(html)
