"""Survey fixtures: a small survey with every question kind and one condition."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

PRIVACY = "Sus respuestas se usan solo para mejorar la comunicación municipal."


@pytest.fixture
def make_survey(db):
    from pregon.surveys.models import Question, Survey

    def make(slug: str = "satisfaccion", **kwargs) -> Survey:
        today = timezone.localdate()
        fields = dict(
            title="Encuesta de satisfacción",
            intro="Ayúdenos a mejorar.",
            privacy_notice=PRIVACY,
            privacy_url="https://chapultepec.gob.mx/aviso",
            opens_on=today - timedelta(days=10),
            closes_on=today + timedelta(days=10),
        )
        survey = Survey.objects.create(slug=slug, **{**fields, **kwargs})
        add = Question.objects.create
        add(survey=survey, position=1, kind="csat", text="¿Qué tan satisfecho está?")
        add(survey=survey, position=2, kind="nps", text="¿Nos recomendaría?")
        useful = add(survey=survey, position=3, kind="yesno", text="¿Le fue útil?")
        add(
            survey=survey,
            position=4,
            kind="short",
            text="¿Para qué trámite?",
            show_if_question=useful,
            show_if_value="sí",
        )
        add(
            survey=survey,
            position=5,
            kind="multiple",
            text="¿Por qué medios se entera?",
            choices=["Facebook", "Portal web", "Radio"],
            required=False,
        )
        add(survey=survey, position=6, kind="long", text="Comentarios", required=False)
        return survey

    return make


@pytest.fixture
def survey(make_survey):
    return make_survey()


def fields_of(survey) -> dict[str, str]:
    """question position → form field name, e.g. {1: "q12", ...}."""
    return {q.position: q.field_name for q in survey.questions.all()}


@pytest.fixture
def answer_of(survey):
    """A complete, valid POST body for the `survey` fixture."""

    def make(**overrides) -> dict:
        f = fields_of(survey)
        data = {f[1]: "5", f[2]: "9", f[3]: "sí", f[4]: "Pago del predial", f[5]: ["Facebook"]}
        data.update({f[int(k[1:])]: v for k, v in overrides.items()})
        return {k: v for k, v in data.items() if v is not None}

    return make


@pytest.fixture
def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)
