"""In a real browser: register an activity from the week view and see it there."""

from datetime import timedelta

from django.utils import timezone

from pregon.agenda.models import Activity


def test_quick_create_appears_in_the_week_view(page, login, ricardo):
    login(ricardo)
    page.goto("/agenda/vista/semana/")
    day = timezone.localdate() + timedelta(days=1)
    form = page.locator("#quick-create")
    form.get_by_label("Título").fill("Entrega de calentadores solares")
    form.get_by_label("Día").fill(day.isoformat())
    form.get_by_label("Inicio").fill("16:30")
    form.get_by_label("Fin").fill("18:00")
    form.get_by_label("Tipo").select_option("evento_publico")
    form.get_by_role("button", name="Registrar").click()
    page.wait_for_url(f"**/agenda/vista/semana/?fecha={day.isoformat()}")
    cell = page.locator(f"#d-{day:%Y%m%d}").locator("xpath=..")
    chip = cell.get_by_role("link", name="16:30 Entrega de calentadores solares")
    chip.wait_for()
    assert Activity.objects.get().area == ricardo.area
    chip.click()
    page.get_by_role("heading", name="Entrega de calentadores solares").wait_for()
    assert "Prioridad: nivel" in page.content()


def test_quick_create_error_is_shown_without_reload(page, login, ricardo):
    login(ricardo)
    page.goto("/agenda/vista/semana/")
    form = page.locator("#quick-create")
    form.get_by_label("Título").fill("Hora al revés")
    form.get_by_label("Inicio").fill("12:00")
    form.get_by_label("Fin").fill("11:00")
    form.get_by_role("button", name="Registrar").click()
    page.get_by_text("La hora de fin debe ser posterior a la de inicio.").wait_for()
    assert not Activity.objects.exists()


def test_month_day_button_opens_prefilled_quick_form(page, login, ricardo):
    login(ricardo)
    page.goto("/agenda/vista/mes/?fecha=2023-09-01")
    page.get_by_role("button", name="Registrar actividad el 21 de septiembre").click()
    form = page.locator("#quick-create")
    form.get_by_role("heading", name="Registro rápido · jueves 21 de septiembre").wait_for()
    assert form.get_by_label("Día").input_value() == "2023-09-21"
    assert form.get_by_label("Título").evaluate("el => el === document.activeElement")
    form.get_by_label("Título").fill("Jornada de reforestación")
    form.get_by_role("button", name="Registrar").click()
    page.wait_for_url("**/agenda/vista/semana/?fecha=2023-09-21")
    page.get_by_role("link", name="10:00 Jornada de reforestación").wait_for()
    assert timezone.localtime(Activity.objects.get().starts_at).date().isoformat() == "2023-09-21"
