"""`pregon report semester …` in the three formats, and what is inside them."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from pregon.goals import periods
from pregon.reports import figures


def test_xlsx_has_one_sheet_per_table_with_numbers(year2023, tmp_path):
    out = tmp_path / "h1.xlsx"
    call_command(
        "report",
        "semester",
        "2023-H1",
        "--format",
        "xlsx",
        "-o",
        str(out),
        "--json",
        stdout=io.StringIO(),
    )
    book = load_workbook(out)
    data = figures.compute(periods.parse("2023-H1"))
    assert book.sheetnames[0] == "Resumen"
    assert len(book.sheetnames) == 1 + len(data["tables"])
    sheet = book["Publicaciones por canal y mes"]
    header = [c.value for c in sheet[1]]
    assert header == data["tables"]["publicaciones"]["columns"]
    for row, expected in zip(
        sheet.iter_rows(min_row=2, max_row=8, values_only=True),
        data["tables"]["publicaciones"]["rows"],
        strict=True,
    ):
        assert list(row) == expected
    assert isinstance(sheet.cell(2, header.index("Publicaciones") + 1).value, int)
    top = book["Publicaciones con más interacci"]
    assert top.cell(2, 1).is_date and top.cell(2, 1).number_format == "dd/mm/yyyy"
    coverage = book["Cobertura de acciones por área"]
    assert isinstance(coverage.cell(2, 4).value, float)
    summary = [r for r in book["Resumen"].iter_rows(values_only=True)]
    assert ("Evaluación", "Primer semestre de 2023") in [r[:2] for r in summary]
    assert any(r[0] == "C1" for r in summary)  # the diagnosis


def test_pdf_and_html(year2023, tmp_path):
    pdf = tmp_path / "h2.pdf"
    html = tmp_path / "h2.html"
    out = io.StringIO()
    call_command("report", "semester", "2023-H2", "--format", "pdf", "-o", str(pdf), stdout=out)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
    assert "Segundo semestre de 2023" in out.getvalue()
    call_command(
        "report", "quarter", "2023-Q3", "--format", "html", "-o", str(html), stdout=io.StringIO()
    )
    text = html.read_text()
    assert "Tercer trimestre de 2023" in text and "<svg" in text and "<thead>" in text
    assert "display: table-header-group" in text  # headers repeat on each PDF page


@pytest.mark.parametrize(
    "kind,key,message",
    [
        ("semester", "2023-Q1", "no es un periodo de tipo semester"),
        ("quarter", "2023-Q9", "no válido"),
    ],
)
def test_command_rejects_wrong_periods(db, kind, key, message, tmp_path):
    with pytest.raises(CommandError, match=message):
        call_command("report", kind, key, "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
