"""The main menu: five groups that match the work, each with only what the role may
open; drop-downs on a desktop, one «Menú» button on a phone."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

GROUPS = ["Planear", "Publicar", "Archivo", "Medir", "Administrar"]


def _groups(page) -> list[str]:
    return page.locator("#menu-principal summary").all_inner_texts()


def test_coordinacion_sees_five_groups_with_their_pages(page, login, mariana):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(mariana)
    assert _groups(page) == GROUPS
    nav = page.get_by_role("navigation", name="Principal")
    assert not nav.get_by_role("link", name="Bitácora").is_visible()  # folded
    nav.locator("summary", has_text="Administrar").click()
    links = nav.locator(".nav-group details[open] a").all_inner_texts()
    assert links == ["Canales", "Directorio de medios", "Cumplimiento", "Bitácora"]
    nav.locator("summary", has_text="Publicar").click()  # only one group open at a time
    # The other group closes on the «toggle» event, which the browser fires a moment
    # after the click: wait for it rather than reading at once.
    expect(nav.locator(".nav-group details[open] a")).to_have_text(
        ["Publicaciones", "Calendario", "Boletines", "Transmisiones", "Diseño", "Temas permanentes"]
    )
    nav.get_by_role("link", name="Calendario").click()
    page.wait_for_url("**/publicaciones/calendario/**")
    current = nav.locator("[aria-current=page]")
    assert current.count() == 1 and current.text_content() == "Calendario"


def test_an_enlace_sees_only_what_it_may_open(page, login, ricardo):
    login(ricardo)
    assert _groups(page) == ["Planear", "Publicar", "Archivo", "Administrar"]  # no Medir
    links = page.locator("#menu-principal a").all_text_contents()
    assert "Cumplimiento" in links and "Agenda" in links
    for hidden in ("Bitácora", "Canales", "Jerarquización", "Evaluación", "Audiencias"):
        assert hidden not in links


def test_phone_menu_folds_behind_one_button(page, login, mariana):
    page.set_viewport_size({"width": 390, "height": 844})
    login(mariana)
    button = page.get_by_role("button", name="Menú")
    nav = page.get_by_role("navigation", name="Principal")
    assert button.is_visible() and not nav.is_visible()
    assert page.locator("header").bounding_box()["height"] < 80
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Bitácora").is_visible()  # every group unfolded
    nav.get_by_role("link", name="Hemeroteca").click()
    page.wait_for_url("**/archivo/hemeroteca/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
