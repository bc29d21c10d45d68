"""An issued evaluation keeps the figures it was issued with."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from pregon.goals import periods
from pregon.reports import figures
from pregon.reports.models import IssuedReport
from tests.goals.factories import publish


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def monthly_total(data: dict, month: int) -> int:
    table = data["tables"]["publicaciones"]
    return table["rows"][month - 1][table["columns"].index("Publicaciones")]


def test_issued_report_is_frozen(year2023, mariana):
    c = client_for(mariana)
    response = c.post("/evaluacion/periodo/2023-H1/emitir/", {"conclusions": "Reforzar OPDU."})
    report = IssuedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evaluacion/{report.pk}/"
    before = monthly_total(report.figures, 3)
    assert report.issued_by == mariana and report.conclusions == "Reforzar OPDU."
    # Data changes after issuing: three late publications in March.
    for _ in range(3):
        publish(
            year2023["author"],
            year2023["accounts"],
            datetime(2023, 3, 28, 12, tzinfo=ZoneInfo("America/Mexico_City")),
        )
    report.refresh_from_db()
    assert monthly_total(report.figures, 3) == before
    assert monthly_total(figures.compute(periods.parse("2023-H1")), 3) == before + 3
    page = c.get(f"/evaluacion/{report.pk}/")
    shown = page.context["sections"][1]["rows"][2]
    assert shown[page.context["sections"][1]["columns"].index("Publicaciones")] == before
    assert "Reforzar OPDU." in page.content.decode()
    xlsx = c.get(f"/evaluacion/{report.pk}/?formato=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Publicaciones por canal y mes"]
    header = [cell.value for cell in sheet[1]]
    march = [cell.value for cell in sheet[4]]  # header, January, February, March
    assert march[header.index("Publicaciones")] == before  # the download is frozen too


@pytest.mark.parametrize("who,read,issue", [("pedro", 200, 403), ("ricardo", 403, 403)])
def test_permissions(year2023, request, who, read, issue):
    c = client_for(request.getfixturevalue(who))
    assert c.get("/evaluacion/").status_code == read
    assert c.get("/evaluacion/periodo/2023-Q1/").status_code == read
    assert c.post("/evaluacion/periodo/2023-H1/emitir/", {"conclusions": ""}).status_code == issue
    assert not IssuedReport.objects.exists()


def test_presidencia_reads(year2023, person):
    laura = person("oficina", "presidencia", area="PRES")
    page = client_for(laura).get("/evaluacion/periodo/2023-H2/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Evaluación: Segundo semestre de 2023" in html
    assert "Cobertura de acciones por área" in html
    assert "Emitir evaluación" not in html  # reading only: she cannot issue it


def test_index_jumps_to_a_period(year2023, mariana):
    c = client_for(mariana)
    assert c.get("/evaluacion/?period=2023-q2")["Location"] == "/evaluacion/periodo/2023-Q2/"
    bad = c.get("/evaluacion/?period=2023-H7")
    assert "no válido" in bad.content.decode()
