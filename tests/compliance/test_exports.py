"""Quarterly transparency formats 23a/23b/23c as CSV and XLSX."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from pregon.compliance.exports import FORMATS, Quarter, to_csv, to_xlsx
from pregon.compliance.models import CommunicationExpense, CommunicationProgramme

pytestmark = pytest.mark.django_db


def expense(**kwargs) -> CommunicationExpense:
    data = {
        "campaign": "Municipio limpio",
        "media_type": "internet",
        "supplier": "Difusión del Valle",
        "supplier_rfc": "DDV150312AB1",
        "contract_number": "CS-2023-004",
        "procurement_method": "adjudicacion",
        "amount": Decimal("48500.50"),
        "amount_paid": Decimal("20000"),
        "start_date": date(2023, 2, 1),
        "end_date": date(2023, 3, 15),
        **kwargs,
    }
    return CommunicationExpense.objects.create(**data)


def test_every_row_has_one_value_per_column():
    expense()
    expense(
        campaign="Vacunación",
        media_type="radio",
        procurement_method="tiempos_oficiales",
        amount=Decimal("0"),
    )
    CommunicationProgramme.objects.create(year=2023, name="PACS 2023", approved_on=date(2023, 1, 9))
    # One programme, one contracted expense and one of official airtime, all in Q1 2023.
    for code, fmt in FORMATS.items():
        rows = fmt.rows(Quarter(2023, 1))
        assert len(rows) == 1, code
        assert len(rows[0]) == len(fmt.columns), code


def test_23a_lists_the_year_programme_in_every_quarter():
    CommunicationProgramme.objects.create(
        year=2023,
        name="Programa Anual de Comunicación Social 2023",
        approved_on=date(2023, 1, 9),
        url="https://chapultepec.gob.mx/pacs-2023.pdf",
    )
    CommunicationProgramme.objects.create(year=2022, name="PACS 2022", approved_on=date(2022, 1, 7))
    body = to_csv(FORMATS["23a"], Quarter(2023, 3)).decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert row["Ejercicio"] == "2023"
    assert row["Fecha de inicio del periodo que se informa"] == "01/07/2023"
    assert row["Fecha de término del periodo que se informa"] == "30/09/2023"
    assert row["Denominación del documento"] == "Programa Anual de Comunicación Social 2023"
    assert row["Fecha en la que se emitió la aprobación correspondiente"] == "09/01/2023"
    assert (
        row["Hipervínculo al Programa Anual de Comunicación Social o equivalente"]
        == "https://chapultepec.gob.mx/pacs-2023.pdf"
    )


def test_23b_csv_has_sipot_headers_and_only_the_quarter():
    expense()
    expense(campaign="Fuera del trimestre", start_date=date(2023, 7, 1), end_date=date(2023, 7, 9))
    expense(campaign="Tiempos", procurement_method="tiempos_oficiales")
    body = to_csv(FORMATS["23b"], Quarter(2023, 1)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["Nombre de la campaña o aviso institucional"] for r in rows] == ["Municipio limpio"]
    row = rows[0]
    assert row["Ejercicio"] == "2023"
    assert row["Fecha de inicio del periodo que se informa"] == "01/01/2023"
    assert row["Fecha de término del periodo que se informa"] == "31/03/2023"
    assert row["Monto total del contrato"] == "48500.50"
    assert row["Procedimiento de contratación (catálogo)"] == "Adjudicación directa"
    assert row["Número o referencia de identificación del contrato"] == "CS-2023-004"


def test_23c_lists_official_airtime_only():
    expense()
    expense(
        campaign="Vacunación",
        media_type="radio",
        procurement_method="tiempos_oficiales",
        supplier="Radio Mexiquense",
        amount=Decimal("0"),
    )
    body = to_csv(FORMATS["23c"], Quarter(2023, 1)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["Concepto o campaña"] for r in rows] == ["Vacunación"]
    assert rows[0]["Medio de comunicación (catálogo)"] == "Radio"


def test_xlsx_keeps_numbers_and_dates_and_neutralises_formulas():
    expense(campaign='=HYPERLINK("http://malo")', supplier="+Proveedor", amount=Decimal("1234.5"))
    book = load_workbook(io.BytesIO(to_xlsx(FORMATS["23b"], Quarter(2023, 1))))
    sheet = book.active
    headers = [c.value for c in sheet[2]]
    values = dict(zip(headers, [c.value for c in sheet[3]], strict=True))
    assert sheet["A1"].value.startswith("Gastos de publicidad oficial")
    assert values["Monto total del contrato"] == pytest.approx(1234.5)
    assert isinstance(values["Monto total del contrato"], float | int | Decimal)
    assert values["Ejercicio"] == 2023
    assert values["Fecha de inicio de los servicios contratados"].date() == date(2023, 2, 1)
    assert values["Nombre de la campaña o aviso institucional"] == '\'=HYPERLINK("http://malo")'
    assert values["Razón social del proveedor"] == "'+Proveedor"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_csv_neutralises_formulas():
    expense(campaign="@SUM(A1)")
    body = to_csv(FORMATS["23b"], Quarter(2023, 1)).decode("utf-8-sig")
    assert "'@SUM(A1)" in body


def test_download_views_and_permissions(client, mariana, ricardo):
    expense()
    client.force_login(mariana)
    page = client.get("/cumplimiento/transparencia/?anio=2023&trimestre=1").content.decode()
    assert "/cumplimiento/transparencia/23b/2023/1.xlsx" in page
    # A mistyped year falls back to the current quarter instead of failing.
    today = timezone.localdate()
    current = f"/cumplimiento/transparencia/23b/{today.year}/{(today.month - 1) // 3 + 1}.csv"
    assert current in client.get("/cumplimiento/transparencia/?anio=abc").content.decode()
    response = client.get("/cumplimiento/transparencia/23b/2023/1.csv")
    assert response["Content-Disposition"] == 'attachment; filename="formato_23b_2023_T1.csv"'
    assert "Municipio limpio" in response.content.decode("utf-8-sig")
    response = client.get("/cumplimiento/transparencia/23a/2023/1.xlsx")
    assert response.content[:2] == b"PK"
    assert client.get("/cumplimiento/transparencia/99z/2023/1.csv").status_code == 404
    assert client.get("/cumplimiento/transparencia/23b/2023/5.csv").status_code == 404
    client.force_login(ricardo)
    assert client.get("/cumplimiento/transparencia/23b/2023/1.csv").status_code == 403


def test_command_writes_the_file_and_a_json_summary(tmp_path):
    import json

    from django.core.management import CommandError, call_command

    expense()
    out = io.StringIO()
    target = tmp_path / "f23b.xlsx"
    call_command("transparency_export", "23b", "2023", "1", "-o", str(target), "--json", stdout=out)
    assert json.loads(out.getvalue())["rows"] == 1
    assert load_workbook(target).active["A3"].value == 2023
    with pytest.raises(CommandError, match="debe ser .csv o .xlsx"):
        call_command("transparency_export", "23b", "2023", "1", "-o", str(tmp_path / "x.txt"))
