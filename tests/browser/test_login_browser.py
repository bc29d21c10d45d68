import pytest

pytestmark = pytest.mark.browser


def test_coordinacion_logs_in_and_sees_spanish_home(page, login, menu, mariana):
    login(mariana)
    assert page.locator("h1").inner_text().startswith("Buenos días, Mariana")
    assert page.locator("html").get_attribute("lang") == "es-MX"
    assert page.get_by_role("navigation", name="Principal").is_visible()
    menu("Administrar", "Bitácora")
    page.wait_for_url("**/cuenta/bitacora/")


def test_wrong_password_shows_error(page, mariana):
    page.goto("/cuenta/entrar/")
    page.get_by_label("Usuario").fill("mariana")
    page.get_by_label("Contraseña").fill("equivocada")
    page.get_by_role("button", name="Entrar").click()
    assert "Usuario o contraseña incorrectos" in page.get_by_role("alert").inner_text()
