"""A person answers on a cheap phone, with a conditional question; a reused code is
refused; Coordinación sees the answer in the results."""

import pytest

from pregon.surveys.models import AccessMode
from pregon.surveys.services import codes_generate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def test_answer_on_a_phone_then_reuse_code_then_results(phone, make_survey, mariana, login):
    survey = make_survey(slug="movil", access_mode=AccessMode.CODES)
    code = codes_generate(survey=survey, count=1, user=None)[0].code
    phone.goto(f"/encuestas/r/movil/?codigo={code}")
    assert phone.get_by_role("heading", name="Aviso de privacidad simplificado").is_visible()
    follow_up = phone.get_by_role("textbox", name="¿Para qué trámite?")
    assert follow_up.is_hidden()  # conditional: hidden until «sí»
    phone.get_by_role("radio", name="4 · Satisfecho").check()
    phone.get_by_role("radio", name="9", exact=True).check()
    phone.get_by_role("radio", name="No").check()
    assert follow_up.is_hidden()
    phone.get_by_role("radio", name="Sí", exact=True).check()
    follow_up.fill("Pago del predial")
    phone.get_by_role("checkbox", name="Radio").check()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # no sideways scrolling on the phone
    phone.get_by_role("button", name="Enviar respuestas").click()
    phone.wait_for_url("**/gracias/")
    assert phone.get_by_text("¡Gracias por responder!").is_visible()

    phone.goto(f"/encuestas/r/movil/?codigo={code}")
    assert phone.get_by_text("Este código ya fue utilizado").first.is_visible()
    phone.get_by_role("radio", name="5 · Muy satisfecho").check()
    phone.get_by_role("radio", name="10", exact=True).check()
    phone.get_by_role("radio", name="No").check()
    phone.get_by_role("button", name="Enviar respuestas").click()
    assert phone.get_by_role("alert").get_by_text("Este código ya fue utilizado").is_visible()

    login(mariana)
    phone.goto(f"/encuestas/{survey.pk}/resultados/")
    assert phone.get_by_text("n = 1 respuesta").is_visible()
    assert phone.get_by_text("Pago del predial").is_visible()
    row = phone.get_by_role("row", name="4 · Satisfecho")
    assert "100.0" in row.inner_text()
