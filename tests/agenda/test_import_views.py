"""Upload → preview → confirm; errors in Spanish with the line; nothing saved."""

from pregon.agenda.models import Activity
from pregon.core.models import AuditEntry
from tests.agenda.conftest import DATA


def _upload(client, name: str, area):
    with open(DATA / name, "rb") as handle:
        return client.post("/agenda/importar/", {"file": handle, "area": area.pk})


def test_preview_then_confirm(client, ana, pres):
    client.force_login(ana)
    preview = _upload(client, "google_cabildo_2023.ics", pres)
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "10 ocurrencias: 10 nuevas" in content
    assert "Sesión ordinaria de Cabildo (cambio de horario)" in content
    assert Activity.objects.count() == 0
    result = preview.context["result"]
    confirm = client.post(
        "/agenda/importar/",
        {"content": preview.context["content"], "area": pres.pk, "confirm": "1"},
    )
    assert confirm.status_code == 302
    assert Activity.objects.count() == len(result.occurrences) == 10
    assert AuditEntry.objects.filter(verb="agenda.ics_imported", actor=ana).exists()
    again = _upload(client, "google_cabildo_2023.ics", pres)
    assert "10 sin cambios" in again.content.decode()


def test_broken_file_shows_the_line(client, ana, pres):
    client.force_login(ana)
    response = _upload(client, "issue_104_broken_calendar.ics", pres)
    assert response.status_code == 422
    assert "Línea 13: la línea no tiene la forma NOMBRE:valor" in response.content.decode()
    assert Activity.objects.count() == 0


def test_enlace_cannot_import_into_another_area(client, ricardo, pres):
    client.force_login(ricardo)
    response = _upload(client, "google_cabildo_2023.ics", pres)
    assert "Seleccione una opción válida" in response.content.decode()
    assert Activity.objects.count() == 0


def test_consulta_cannot_import(client, pedro, pres):
    client.force_login(pedro)
    assert client.get("/agenda/importar/").status_code == 403
    assert _upload(client, "google_cabildo_2023.ics", pres).status_code == 403
    assert Activity.objects.count() == 0


def test_tampered_preview_content_is_refused(client, ana, pres):
    client.force_login(ana)
    response = client.post(
        "/agenda/importar/", {"content": "no es base64!", "area": pres.pk, "confirm": "1"}
    )
    assert response.status_code == 422
    assert "vista previa está dañado" in response.content.decode()
    assert Activity.objects.count() == 0
