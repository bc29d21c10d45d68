"""In a real browser: Coordinación assigns a photographer from his week page; the
overlap warning appears before saving and the assignment waits for confirmation."""

from pregon.agenda import services
from pregon.agenda.models import CoverageAssignment
from tests.agenda.conftest import local


def test_overlap_warning_then_confirmation(page, login, mariana, luis, make_activity):
    cabildo = make_activity(
        "Sesión solemne de Cabildo", start=local(2023, 9, 14, 10), hours=2, area="SECAY"
    )
    press = make_activity("Rueda de prensa de Seguridad", start=local(2023, 9, 14, 11), hours=1)
    services.coverage_assign(activity=cabildo, kind="fotografia", assignee=luis, user=mariana)

    login(mariana)
    page.goto(f"/agenda/cobertura/?persona={luis.pk}&fecha=2023-09-14")
    page.get_by_role("heading", name="Asignar a Luis esta semana").wait_for()
    form = page.locator(f"#assign-p{luis.pk}")
    form.get_by_label("Actividad").select_option(str(press.pk))
    form.get_by_label("Tipo de cobertura").select_option("fotografia")
    warning = form.get_by_role("alert")
    warning.wait_for()  # the live check, before anything is submitted
    assert "Atención: traslape." in warning.inner_text()
    assert "«Sesión solemne de Cabildo»" in warning.inner_text()

    form.get_by_role("button", name="Asignar", exact=True).click()
    confirm = page.get_by_role("button", name="Asignar de todos modos")
    confirm.wait_for()
    assert not CoverageAssignment.objects.filter(activity=press).exists()

    confirm.click()
    page.get_by_text("Luis asignado a «Rueda de prensa de Seguridad» (Fotografía).").wait_for()
    page.get_by_text("Traslape con «Sesión solemne de Cabildo»").wait_for()
    kept = CoverageAssignment.objects.get(activity=press)
    assert (kept.assignee, kept.kind, kept.status) == (luis, "fotografia", "asignada")


def test_default_set_and_assign_from_the_queue(
    page, login, mariana, sofia, default_rules, make_activity
):
    session = make_activity(
        "Sesión ordinaria de Cabildo", type="cabildo_ordinaria", with_mayor=True, area="SECAY"
    )
    login(mariana)
    page.goto("/agenda/jerarquizacion/")
    page.get_by_role("button", name="Crear cobertura sugerida").click()
    page.get_by_text("Cobertura creada: Fotografía, Video, Redacción").wait_for()
    assert session.coverage.count() == 4
    form = page.locator(f"#assign-a{session.pk}")
    form.get_by_label("Tipo de cobertura").select_option("video")
    form.get_by_label("Responsable").select_option(str(sofia.pk))
    form.get_by_role("button", name="Asignar", exact=True).click()
    page.get_by_text("Sofía asignado a «Sesión ordinaria de Cabildo» (Video).").wait_for()
    assert session.coverage.get(kind="video").assignee == sofia
    assert session.coverage.count() == 4  # the planned slot was filled
