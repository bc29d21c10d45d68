"""Mariana registers a veda in a real browser and checks a publication against it."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinacion_adds_a_veda_and_tries_the_rules(page, login, mariana):
    from pregon.compliance.models import ElectoralPeriod

    login(mariana)
    page.goto("/cumplimiento/vedas/nuevo/")
    page.get_by_label("Nombre").fill("Proceso electoral local Estado de México 2023")
    page.get_by_label("Ámbito").select_option("estatal")
    page.get_by_label("Inicio (incluido)").fill("2023-04-03")
    page.get_by_label("Fin (incluido", exact=False).fill("2023-06-04")
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_url("**/cumplimiento/vedas/")
    assert ElectoralPeriod.objects.get().end.isoformat() == "2023-06-04"

    page.goto("/cumplimiento/")
    page.get_by_label("Categoría").select_option("obra_publica")
    page.get_by_label("Fecha de publicación").fill("2023-05-10T10:00")
    page.get_by_role("button", name="Revisar").click()
    verdict = page.locator("#veredicto")
    verdict.wait_for()
    text = verdict.inner_text()
    assert "Bloqueada por veda electoral" in text
    assert "Podrá publicarse a partir del 5 de junio de 2023" in text
