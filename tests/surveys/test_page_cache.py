"""The answering page is rendered once and served from the cache; each visitor still
gets their own CSRF token, and a survey edited in the builder shows at once."""

import re

from django.test import Client
from django.urls import reverse

from pregon.surveys.models import Response


def url(survey) -> str:
    return reverse("surveys:answer", args=[survey.slug])


def token_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_each_visitor_gets_a_working_token_from_the_cached_page(
    survey, answer_of, django_assert_num_queries
):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = first.get(url(survey))
    assert "private" in page["Cache-Control"] and "public" not in page["Cache-Control"]
    with django_assert_num_queries(0):  # served from the cache, token filled in
        again = second.get(url(survey))
    mine, theirs = token_in(page.content.decode()), token_in(again.content.decode())
    assert "placeholder" not in mine + theirs and mine != theirs
    # The cached page's token works for its visitor, and only with their cookie.
    refused = first.post(url(survey), {**answer_of(), "csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403 and not Response.objects.exists()
    sent = second.post(url(survey), {**answer_of(), "csrfmiddlewaretoken": theirs})
    assert sent.status_code == 302 and Response.objects.count() == 1


def test_edited_question_shows_at_once(survey):
    client = Client()
    assert "¿Qué tan satisfecho está?" in client.get(url(survey)).content.decode()
    question = survey.questions.get(position=1)
    question.text = "¿Qué tan satisfecho quedó con el trámite?"
    question.save()
    assert "satisfecho quedó con el trámite" in client.get(url(survey)).content.decode()


def test_link_with_invitation_code_is_never_cached(make_survey):
    survey = make_survey(access_mode="codes")
    html = Client().get(url(survey) + "?codigo=NOEXISTE").content.decode()
    assert "NOEXISTE" in html
    assert "NOEXISTE" not in Client().get(url(survey)).content.decode()
