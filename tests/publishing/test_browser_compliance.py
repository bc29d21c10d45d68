"""In a real browser: Coordinación reviews a publication during the 2023 veda. The
review page shows the blocking rule and the public servant it names; «Aprobar» is
refused with the period and the date it lifts; the compliance page lists the
refusal; after the veda the same publication is approved."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pregon.publishing import services
from pregon.publishing.models import PublicationStatus

pytestmark = pytest.mark.browser
MX = ZoneInfo("America/Mexico_City")
PERIOD = "Proceso electoral local Estado de México 2023"


def test_review_shows_and_enforces_the_veda(page, login, accounts, jorge, mariana):
    from pregon.compliance.models import ElectoralPeriod, PublicServant

    ElectoralPeriod.objects.create(
        name=PERIOD, scope="estatal", start=date(2023, 4, 3), end=date(2023, 6, 4)
    )
    PublicServant.objects.create(
        name="Laura Amalia González Martínez",
        title="Presidenta Municipal",
        aliases="la alcaldesa",
    )
    publication = services.publication_create(
        author=jorge,
        title="Pavimentación en San Miguel",
        text="La alcaldesa supervisó la pavimentación de la calle Hidalgo.",
        category="obra_publica",
        scheduled_at=datetime(2023, 5, 10, 10, tzinfo=MX),
        variants={accounts["facebook"].pk: {"text": ""}},
    )
    services.publication_submit(publication=publication, user=jorge)

    login(mariana)
    page.goto(f"/publicaciones/{publication.pk}/")
    panel = page.locator(".compliance").first
    assert "bloqueada" in panel.inner_text()
    assert f"«{PERIOD}»" in panel.inner_text()
    assert panel.locator("mark").inner_text() == "La alcaldesa"

    page.get_by_role("button", name="Aprobar").click()
    refusal = page.locator(".messages, .errors").filter(has_text="No se puede aprobar")
    refusal.wait_for()
    assert "a partir del 5 de junio de 2023" in refusal.inner_text()
    assert page.get_by_test_id("status").inner_text() == "En revisión"
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.EN_REVISION

    page.goto("/cumplimiento/")
    rows = page.get_by_role("row").filter(has_text="Pavimentación en San Miguel")
    refused = rows.filter(has_text="Bloqueada por veda electoral")
    assert refused.count() == 1
    assert "Bloqueado" in refused.inner_text() and f"«{PERIOD}»" in refused.inner_text()

    # After the vote the same text may go out (naming the mayor is then a flag only).
    page.goto(f"/publicaciones/{publication.pk}/editar/")
    page.get_by_label("Fecha de publicación").fill("2023-06-05T10:00")
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_url(f"**/publicaciones/{publication.pk}/")
    # Editing a publication under review keeps it there: no second submission.
    assert page.get_by_test_id("status").inner_text() == "En revisión"
    assert page.get_by_role("button", name="Enviar a revisión").count() == 0
    page.get_by_role("button", name="Aprobar").click()
    page.get_by_test_id("status").filter(has_text="Aprobada").wait_for()
    assert "señalada para revisión" in page.locator(".compliance").first.inner_text()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.APROBADA
    assert publication.scheduled_at == datetime(2023, 6, 5, 10, tzinfo=MX)
