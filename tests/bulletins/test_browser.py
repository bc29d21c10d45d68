"""In a real browser: Coordinación approves a bulletin, it takes the next number, and
it appears in the public press room, its feed and as PDF."""

import pytest

from pregon.bulletins import services
from pregon.bulletins.models import BulletinCounter

pytestmark = pytest.mark.browser


def test_approve_in_browser_numbers_and_publishes(
    page, login, make_bulletin, jorge, mariana, smtp, press_list
):
    test_list = press_list("Lista de prueba", 3)
    BulletinCounter.objects.create(year=2023, kind="boletin", last=44)
    bulletin = make_bulletin("Inauguran el parque de la colonia Centro")
    services.bulletin_submit(bulletin=bulletin, user=jorge)

    login(mariana)
    page.goto(f"/boletines/{bulletin.pk}/")
    assert page.locator("#numero").inner_text() == "Boletín (sin número)"
    page.get_by_role("button", name="Aprobar y numerar").click()
    page.wait_for_url(f"**/boletines/{bulletin.pk}/")
    assert page.locator("#numero").inner_text() == "Boletín 045/2023"
    assert "Aprobado" in page.locator(".messages").inner_text()

    page.get_by_role("link", name="Enviar a medios por correo").click()
    page.get_by_label("Lista de prueba").check()
    page.get_by_role("button", name="Enviar").click()
    page.wait_for_url("**/boletines/envios/*/")
    assert "3 enviados de 3" in page.get_by_role("status").last.inner_text()
    received = smtp.recipients()
    assert sorted(received) == sorted(c.email for c in test_list.contacts.all())

    page.goto(f"/boletines/{bulletin.pk}/")
    page.get_by_role("link", name="Ver en la sala de prensa").click()
    assert page.get_by_role("heading", level=1).inner_text() == bulletin.title
    assert page.get_by_text("Chapultepec, Estado de México, 5 de agosto de 2023.-").is_visible()
    pdf = page.request.get(f"/boletines/sala-de-prensa/{bulletin.pk}/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    rss = page.request.get("/boletines/sala-de-prensa/rss/").text()
    assert "Boletín 045/2023: Inauguran el parque" in rss

    page.context.clear_cookies()  # the public list needs no login
    page.goto("/boletines/sala-de-prensa/")
    page.get_by_label("Buscar", exact=True).fill("parque")
    page.get_by_role("button", name="Buscar").click()
    link = page.get_by_role("link", name="Inauguran el parque de la colonia Centro")
    assert link.is_visible()
