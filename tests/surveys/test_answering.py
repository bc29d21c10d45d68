"""The public answering page: no login, privacy first, conditions, abuse control."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from pregon.surveys import abuse
from pregon.surveys.models import AccessMode, Answer, Response


def url(survey) -> str:
    return reverse("surveys:answer", args=[survey.slug])


def test_page_is_public_small_and_shows_privacy_notice_before_first_question(survey):
    response = Client().get(url(survey))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aviso de privacidad simplificado" in html
    assert html.index("Aviso de privacidad") < html.index("¿Qué tan satisfecho está?")
    assert 'href="https://chapultepec.gob.mx/aviso"' in html
    assert "htmx" not in html  # no framework on the public page
    assert len(response.content) < 20_000
    # Without JavaScript the conditional question is shown, with a note saying when.
    assert "Responda solo si en «¿Le fue útil?» contestó «sí»." in html
    fieldset = html.split('data-if-q="')[1].split(">")[0]
    assert 'data-if-v="sí"' in fieldset and "hidden" not in fieldset


def test_a_complete_answer_is_stored(survey, answer_of):
    response = Client().post(url(survey), answer_of())
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks", args=[survey.slug])
    stored = Response.objects.get()
    values = dict(stored.answers.values_list("question__position", "value"))
    assert values == {1: "5", 2: "9", 3: "sí", 4: "Pago del predial", 5: "Facebook"}


def test_missing_required_answer_is_refused_and_nothing_stored(survey, answer_of):
    response = Client().post(url(survey), answer_of(p1=None))
    assert response.status_code == 400
    assert "Esta pregunta es obligatoria." in response.content.decode()
    assert not Response.objects.exists()


def test_hidden_conditional_question_is_ignored(survey, answer_of):
    """«No» hides the follow-up: its text is dropped, and it is not required."""
    response = Client().post(url(survey), answer_of(p3="no", p4="ignorado"))
    assert response.status_code == 302
    stored = dict(Response.objects.get().answers.values_list("question__position", "value"))
    assert stored == {1: "5", 2: "9", 3: "no", 5: "Facebook"}
    assert not Answer.objects.filter(value="ignorado").exists()


def test_shown_conditional_question_is_required(survey, answer_of):
    response = Client().post(url(survey), answer_of(p3="sí", p4=""))
    assert response.status_code == 400
    assert response.content.decode().count("Esta pregunta es obligatoria.") == 1
    assert not Response.objects.exists()


def test_value_outside_the_options_is_refused(survey, answer_of):
    response = Client().post(url(survey), answer_of(p1="7"))
    assert response.status_code == 400
    assert "Elija una de las opciones." in response.content.decode()


def test_honeypot_submission_is_not_stored(survey, answer_of):
    response = Client().post(url(survey), {**answer_of(), abuse.HONEYPOT_FIELD: "http://spam"})
    assert response.status_code == 302  # a bot learns nothing
    assert not Response.objects.exists()


def test_rate_limit_per_network_in_cache_only(survey, answer_of, settings):
    settings.PREGON_SURVEY_RATE_LIMIT = 3  # configurable; 20 by default
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        assert client.post(url(survey), answer_of()).status_code == 302
    refused = client.post(url(survey), answer_of())
    assert refused.status_code == 429
    assert "demasiadas respuestas" in refused.content.decode()
    assert Response.objects.count() == 3
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.post(url(survey), answer_of()).status_code == 302


def test_ipv6_neighbours_share_a_network():
    assert abuse.network_of("2001:db8:1:2::5") == abuse.network_of("2001:db8:1:2:ffff::1")
    assert abuse.network_of("basura") == "desconocida"


@pytest.mark.parametrize("days", [-30, 30])
def test_closed_survey_refuses_answers(make_survey, days):
    from django.utils import timezone

    today = timezone.localdate()
    survey = make_survey(
        opens_on=today + timedelta(days=days), closes_on=today + timedelta(days=days)
    )
    assert "no está abierta" in Client().get(url(survey)).content.decode()
    assert Client().post(url(survey), {}).status_code == 400
    assert not Response.objects.exists()


def test_single_use_code_second_use_refused(make_survey, answer_of):
    from pregon.surveys.services import codes_generate

    survey = make_survey(slug="con-codigos", access_mode=AccessMode.CODES)
    code = codes_generate(survey=survey, count=1, user=None)[0].code
    f = {q.position: q.field_name for q in survey.questions.all()}
    data = {f[1]: "4", f[2]: "8", f[3]: "no", "codigo": code.lower()[:4] + "-" + code[4:]}
    assert Client().post(url(survey), data).status_code == 302
    again = Client().post(url(survey), data)
    assert again.status_code == 400
    assert "Este código ya fue utilizado" in again.content.decode()
    assert Response.objects.count() == 1
    # Following the QR link again shows the message straight away.
    page = Client().get(url(survey) + f"?codigo={code}")
    assert "Este código ya fue utilizado" in page.content.decode()


def test_unknown_or_missing_code_refused(make_survey):
    survey = make_survey(slug="con-codigos", access_mode=AccessMode.CODES)
    f = {q.position: q.field_name for q in survey.questions.all()}
    data = {f[1]: "4", f[2]: "8", f[3]: "no"}
    assert "Escriba el código" in Client().post(url(survey), data).content.decode()
    bad = Client().post(url(survey), {**data, "codigo": "ZZZZ-ZZZZ"})
    assert "no es válido" in bad.content.decode()
    assert not Response.objects.exists()


def test_rate_limit_per_citizen_behind_a_proxy(survey, answer_of, settings):
    """Behind the municipality's proxy every request arrives from 10.0.0.2: the
    limit must count each citizen, read from X-Forwarded-For, not the proxy."""
    settings.PREGON_SURVEY_RATE_LIMIT = 2
    settings.PREGON_TRUSTED_PROXIES = 1
    for n in range(4):
        citizen = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
        assert citizen.post(url(survey), answer_of()).status_code == 302
    same = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.1")
    same.post(url(survey), answer_of())
    assert same.post(url(survey), answer_of()).status_code == 429  # forged prefix ignored
    assert Response.objects.count() == 5
