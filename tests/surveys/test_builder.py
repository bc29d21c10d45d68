"""Coordinación builds surveys; answers lock the questions; duplicates are free."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from pregon.core.models import AuditEntry
from pregon.surveys import services
from pregon.surveys.models import Question, Response, Survey


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_mariana_builds_a_survey_with_a_conditional_question(mariana):
    client = client_for(mariana)
    response = client.post(
        reverse("surveys:create"),
        {
            "title": "Satisfacción con la Feria",
            "slug": "feria",
            "intro": "",
            "privacy_notice": "Usamos sus respuestas solo para mejorar.",
            "privacy_url": "https://chapultepec.gob.mx/aviso",
            "opens_on": "2026-01-01",
            "closes_on": "2026-12-31",
            "anonymous": "on",
            "access_mode": "public",
        },
    )
    survey = Survey.objects.get(slug="feria")
    assert response.status_code == 302 and survey.created_by == mariana
    add = reverse("surveys:question_add", args=[survey.pk])
    client.post(
        add,
        {
            "kind": "single",
            "text": "¿Asistió?",
            "required": "on",
            "choices_text": "Sí, con familia\nSí, solo\nNo",
            "position": 1,
        },
    )
    parent = Question.objects.get(text="¿Asistió?")
    assert parent.choices == ["Sí, con familia", "Sí, solo", "No"]
    client.post(
        add,
        {
            "kind": "long",
            "text": "¿Qué le gustó?",
            "position": 2,
            "show_if_question": parent.pk,
            "show_if_value": "Sí, solo",
        },
    )
    child = Question.objects.get(text="¿Qué le gustó?")
    assert child.show_if_question == parent and not child.required
    assert AuditEntry.objects.filter(verb="surveys.created").exists()


def test_privacy_notice_is_required(mariana):
    response = client_for(mariana).post(
        reverse("surveys:create"),
        {
            "title": "Sin aviso",
            "slug": "sin-aviso",
            "opens_on": "2026-01-01",
            "closes_on": "2026-02-01",
            "access_mode": "public",
        },
    )
    assert response.status_code == 200
    assert not Survey.objects.exists()
    assert "Este campo es obligatorio" in response.content.decode()


def test_condition_value_must_be_a_possible_answer(survey):
    useful = survey.questions.get(position=3)
    question = Question(
        survey=survey,
        position=9,
        kind="short",
        text="x",
        show_if_question=useful,
        show_if_value="quizá",
    )
    with pytest.raises(ValidationError, match="no es una respuesta posible"):
        question.full_clean()


def test_choice_question_needs_two_options(survey):
    with pytest.raises(ValidationError, match="al menos dos opciones"):
        Question(survey=survey, position=9, kind="single", text="x", choices=["a"]).full_clean()


def test_answers_lock_the_questions(survey, mariana, yesterday):
    Response.objects.create(survey=survey, submitted_on=yesterday)
    question = survey.questions.first()
    with pytest.raises(ValidationError, match="bloqueadas"):
        services.question_save(question=question, user=mariana)
    with pytest.raises(ValidationError, match="bloqueadas"):
        services.question_delete(question=question, user=mariana)
    client = client_for(mariana)
    page = client.get(reverse("surveys:question_edit", args=[survey.pk, question.pk]), follow=True)
    assert "bloqueadas" in page.content.decode()
    client.post(reverse("surveys:question_delete", args=[survey.pk, question.pk]))
    assert survey.questions.count() == 6
    # The survey's address and anonymity are frozen too; its dates are not.
    form = client.get(reverse("surveys:edit", args=[survey.pk])).context["form"]
    assert form.fields["anonymous"].disabled and not form.fields["closes_on"].disabled


def test_duplicate_copies_questions_and_conditions_but_not_answers(survey, mariana, yesterday):
    Response.objects.create(survey=survey, submitted_on=yesterday)
    response = client_for(mariana).post(reverse("surveys:duplicate", args=[survey.pk]))
    copy = Survey.objects.exclude(pk=survey.pk).get()
    assert response.status_code == 302 and copy.slug == "satisfaccion-copia"
    assert copy.questions.count() == 6 and not copy.is_locked
    child = copy.questions.get(position=4)
    assert child.show_if_question.survey == copy and child.show_if_value == "sí"
    assert survey.questions.get(position=4).show_if_question.survey == survey


def test_only_coordinacion_builds(survey, pedro, client):
    assert client.get(reverse("surveys:create")).status_code == 302  # to the login page
    viewer = client_for(pedro)
    assert viewer.get(reverse("surveys:create")).status_code == 403
    assert viewer.post(reverse("surveys:duplicate", args=[survey.pk])).status_code == 403
    assert list(Survey.objects.all()) == [survey]  # no copy was made
    assert viewer.get(reverse("surveys:detail", args=[survey.pk])).status_code == 200
    assert viewer.get(reverse("surveys:list")).status_code == 200


def test_list_shows_answer_counts(
    survey, make_survey, pedro, yesterday, django_assert_max_num_queries
):
    make_survey(slug="feria", title="Satisfacción con la Feria")
    for _ in range(2):
        Response.objects.create(survey=survey, submitted_on=yesterday)
    client = client_for(pedro)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("surveys:list"))
    rows = re.findall(
        r"<tr><td><a [^>]*>([^<]+)</a>.*?<td>(\d+)</td></tr>", page.content.decode(), re.S
    )
    assert sorted(rows) == [("Encuesta de satisfacción", "2"), ("Satisfacción con la Feria", "0")]


SURVEY_FIELDS = {
    "intro": "",
    "privacy_notice": "Usamos sus respuestas solo para mejorar.",
    "privacy_url": "https://chapultepec.gob.mx/aviso",
    "opens_on": "2026-01-01",
    "closes_on": "2026-12-31",
    "anonymous": "on",
    "access_mode": "public",
}


def test_the_identifier_is_made_from_the_title_when_left_empty(mariana):
    client = client_for(mariana)
    for _ in range(2):
        response = client.post(
            reverse("surveys:create"),
            {"title": "Satisfacción con la Feria de Otoño", "slug": "", **SURVEY_FIELDS},
        )
        assert response.status_code == 302
    slugs = sorted(Survey.objects.values_list("slug", flat=True))
    assert slugs == ["satisfaccion-con-la-feria-de-otono", "satisfaccion-con-la-feria-de-otono-2"]
    # Typed by hand, it is kept.
    client.post(
        reverse("surveys:create"), {"title": "Otra", "slug": "mi-encuesta", **SURVEY_FIELDS}
    )
    assert Survey.objects.filter(title="Otra", slug="mi-encuesta").exists()


def test_a_conditional_question_left_at_order_0_goes_after_its_condition(mariana, make_survey):
    survey = make_survey()
    useful = survey.questions.get(kind="yesno")
    last = max(q.position for q in survey.questions.all())
    add = reverse("surveys:question_add", args=[survey.pk])
    form_page = client_for(mariana).get(add).content.decode()
    assert f'name="position" value="{last + 1}"' in form_page
    response = client_for(mariana).post(
        add,
        {
            "kind": "long",
            "text": "¿Qué le faltó?",
            "position": 0,
            "show_if_question": useful.pk,
            "show_if_value": "no",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Question.objects.get(text="¿Qué le faltó?")
    assert added.position == last + 1 and added.show_if_question == useful
