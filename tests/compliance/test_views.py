"""Only Coordinación edits the rules; the forms validate and audit."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pregon.compliance.models import CommunicationExpense, ElectoralPeriod, PublicServant
from pregon.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PERIOD = {
    "name": "Proceso electoral local 2024",
    "scope": "local",
    "start": "2024-04-15",
    "end": "2024-06-02",
    "notes": "",
}


def test_mariana_creates_edits_and_deletes_a_period(client, mariana):
    client.force_login(mariana)
    response = client.post("/cumplimiento/vedas/nuevo/", PERIOD)
    assert response.status_code == 302
    period = ElectoralPeriod.objects.get()
    assert (period.name, period.scope, str(period.start), str(period.end)) == (
        "Proceso electoral local 2024",
        "local",
        "2024-04-15",
        "2024-06-02",
    )
    assert AuditEntry.objects.filter(verb="compliance.electoralperiod_created").exists()
    client.post(f"/cumplimiento/vedas/{period.pk}/", {**PERIOD, "name": "Renombrado"})
    assert ElectoralPeriod.objects.get().name == "Renombrado"
    assert "Renombrado" in client.get("/cumplimiento/vedas/").content.decode()
    client.post(f"/cumplimiento/vedas/{period.pk}/eliminar/")
    assert not ElectoralPeriod.objects.exists()
    assert AuditEntry.objects.filter(verb="compliance.electoralperiod_deleted").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/cumplimiento/vedas/nuevo/",
        "/cumplimiento/servidores/nuevo/",
        "/cumplimiento/exenciones/nuevo/",
        "/cumplimiento/ajustes/",
    ],
)
def test_enlace_and_redaccion_cannot_edit_rules(client, ricardo, jorge, url):
    for user in (ricardo, jorge):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, PERIOD).status_code == 403
    assert not ElectoralPeriod.objects.exists()


def test_enlace_sees_the_rules_without_edit_links(client, ricardo, mayor):
    client.force_login(ricardo)
    page = client.get("/cumplimiento/servidores/").content.decode()
    assert "Laura Amalia González Martínez" in page
    assert "Editar" not in page and "Agregar" not in page
    assert client.post(f"/cumplimiento/servidores/{mayor.pk}/eliminar/").status_code == 403
    assert PublicServant.objects.filter(pk=mayor.pk).exists()


def test_anonymous_goes_to_login(client):
    response = client.get("/cumplimiento/")
    assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]


def test_bad_period_gets_spanish_errors_and_changes_nothing(client, mariana):
    client.force_login(mariana)
    response = client.post("/cumplimiento/vedas/nuevo/", {**PERIOD, "end": "2024-01-01"})
    assert response.status_code == 200
    assert "El fin no puede ser anterior al inicio." in response.content.decode()
    assert not ElectoralPeriod.objects.exists()


EXPENSE = {
    "campaign": "Campaña de bacheo",
    "campaign_kind": "campana",
    "requesting_area": "OPDU",
    "media_type": "internet",
    "unit_description": "",
    "supplier": "Difusión del Valle SA de CV",
    "supplier_rfc": "ddv150312ab1",
    "contract_number": "CS-1",
    "contract_date": "2023-02-01",
    "procurement_method": "adjudicacion",
    "amount": "12500.50",
    "amount_paid": "0",
    "start_date": "2023-02-01",
    "end_date": "2023-03-01",
    "invoice_number": "A-1",
}


def test_expense_with_pdf_invoice_is_saved(client, mariana):
    client.force_login(mariana)
    invoice = SimpleUploadedFile("factura.pdf", b"%PDF-1.4 factura", "application/pdf")
    response = client.post("/cumplimiento/gastos/nuevo/", {**EXPENSE, "invoice_file": invoice})
    assert response.status_code == 302
    expense = CommunicationExpense.objects.get()
    assert expense.amount == Decimal("12500.50")
    assert expense.supplier_rfc == "DDV150312AB1"
    assert expense.invoice_file.read().startswith(b"%PDF")


def test_expense_rejects_fake_invoice_and_bad_rfc(client, mariana):
    client.force_login(mariana)
    fake = SimpleUploadedFile("factura.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    page = client.post(
        "/cumplimiento/gastos/nuevo/", {**EXPENSE, "invoice_file": fake, "supplier_rfc": "X1"}
    ).content.decode()
    assert "no es un PDF ni un XML de factura" in page
    assert "El RFC «X1» no es válido" in page
    assert not CommunicationExpense.objects.exists()


def test_settings_toggle_press_room_mode(client, mariana):
    from pregon.compliance.models import ComplianceSettings

    client.force_login(mariana)
    assert ComplianceSettings.current().press_room_blackout_mode is True  # the default
    page = client.post(
        "/cumplimiento/ajustes/", {"press_room_notice": "Sitio en veda electoral."}, follow=True
    ).content.decode()
    current = ComplianceSettings.current()
    assert current.press_room_blackout_mode is False
    assert current.press_room_notice == "Sitio en veda electoral."
    assert "Ajustes guardados." in page
    assert "Modo veda en sala de prensa: desactivado." in page
    assert AuditEntry.objects.filter(
        actor=mariana, verb="compliance.compliancesettings_changed"
    ).exists()


def test_exemption_category_is_normalised_and_unique(client, mariana, veda_2023):
    from pregon.compliance.models import ExemptCategory

    client.force_login(mariana)
    data = {
        "category": "Obra Pública",
        "reason": "Acuerdo de cabildo",
        "authorization": "AC-1",
        "is_active": "on",
    }
    assert client.post("/cumplimiento/exenciones/nuevo/", data).status_code == 302
    created = ExemptCategory.objects.get(category="obra_publica")
    assert (created.reason, created.authorization) == ("Acuerdo de cabildo", "AC-1")
    page = client.post("/cumplimiento/exenciones/nuevo/", {**data, "category": "SALUD"})
    assert page.status_code == 200 and "Ya existe" in page.content.decode()
    assert ExemptCategory.objects.count() == 4
    assert ExemptCategory.objects.get(category="salud").reason == (
        "Servicios de salud (art. 41 constitucional)"
    )


def test_a_past_veda_invites_trying_a_date_inside_it(client, mariana, veda_2023):
    import re
    from html import unescape

    client.force_login(mariana)
    page = client.get("/cumplimiento/").content.decode()
    assert "no está vigente hoy. Pruebe una fecha dentro de ella" in page
    link = unescape(re.search(r'<a href="(\?category=[^"]+)#veredicto"', page).group(1))
    verdict = client.get("/cumplimiento/" + link).content.decode()
    assert "<strong>Bloqueada</strong>" in verdict
