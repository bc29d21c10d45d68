"""A real browser: Coordinación opens the goals dashboard, follows the link to an
area's unpublished acciones, and issues the semiannual evaluation."""

import pytest

from pregon.reports.models import IssuedReport
from tests.goals.factories import build_year


@pytest.fixture
def browser_year(transactional_db):
    return build_year()


def test_dashboard_and_evaluation_in_a_browser(browser_year, page, login, menu, mariana):
    login(mariana)
    menu("Medir", "Metas")
    page.wait_for_url("**/metas/")
    assert page.get_by_role(
        "heading", name="Metas: Plan Anual de Difusión a la Ciudadanía 2023"
    ).is_visible()
    assert page.locator("svg.chart").count() == 2
    assert page.locator("#ind-P1").get_by_text("rezagado").is_visible()
    page.get_by_label("Cobertura del periodo").fill("2023-H1")
    page.get_by_role("button", name="Ver").click()
    page.wait_for_url("**periodo=2023-H1*")
    assert page.locator("#coverage-total").inner_text() == "12 de 18 (66.7 %)"
    page.locator('tr[data-area="SEGPUB"]').get_by_role("link").click()
    page.wait_for_url("**/metas/sin-publicar/**")
    assert page.locator("#unpublished tbody tr").count() == 2
    assert page.get_by_role("cell", name="Acción SEGPUB 05").is_visible()

    menu("Medir", "Evaluación")
    page.get_by_role("link", name="2023-H1").click()
    assert page.get_by_role("heading", name="Evaluación: Primer semestre de 2023").is_visible()
    assert page.get_by_role("heading", name="Cobertura de acciones por área").is_visible()
    page.get_by_label("Conclusiones de Coordinación").fill("Cubrir más acciones de SEGPUB.")
    page.get_by_role("button", name="Emitir evaluación").click()
    page.wait_for_url("**/evaluacion/*/")
    assert page.get_by_text("Cubrir más acciones de SEGPUB.").is_visible()
    assert IssuedReport.objects.get().conclusions == "Cubrir más acciones de SEGPUB."
