"""Demo: the plan year's satisfaction survey (open around today, see core.demo_clock)
with a few hundred plausible answers."""

import random
from datetime import timedelta
from typing import TextIO

from django.db import transaction

from pregon.core import demo_clock
from pregon.surveys.models import AccessMode, Answer, Question, Response, Survey

SEED = 2023
OPEN_DAYS = 120
RESPONSES = 320
PRIVACY = (
    "El H. Ayuntamiento de Chapultepec, a través de la Unidad de Comunicación Social, "
    "utilizará sus respuestas únicamente para evaluar y mejorar la comunicación con la "
    "ciudadanía. La encuesta es anónima: no se recaban datos personales."
)
CHANNELS = ["Facebook", "Instagram", "X (Twitter)", "Portal web", "Perifoneo o radio", "Otro"]
TOPICS = [
    "Obras públicas",
    "Seguridad",
    "Eventos culturales y deportivos",
    "Programas sociales",
    "Trámites y servicios",
]
ERRANDS = [
    "Pago del predial",
    "Feria de Chapultepec",
    "Jornada de salud del DIF",
    "Licencia de funcionamiento",
    "Cierre de calles por obra",
    "Vacunación antirrábica",
]
COMMENTS = [
    "Que publiquen los horarios de las oficinas.",
    "Me gustaría que avisen antes de los cortes de agua.",
    "Muy buena información de las obras.",
    "Más videos cortos, por favor.",
    "Que contesten los mensajes en Facebook.",
    "La página web tarda en cargar desde el celular.",
]
QUESTIONS = [
    dict(
        kind="multiple",
        text="¿Por qué medios se entera de las noticias del Ayuntamiento?",
        choices=CHANNELS,
    ),
    dict(
        kind="csat", text="¿Qué tan satisfecho está con la información que publica el Ayuntamiento?"
    ),
    dict(
        kind="nps",
        text="¿Qué tan probable es que recomiende los canales del Ayuntamiento a un "
        "familiar o amigo?",
    ),
    dict(
        kind="yesno", text="¿La información le sirvió para hacer un trámite o asistir a un evento?"
    ),
    dict(kind="short", text="¿Qué trámite o evento?", required=False),
    dict(kind="single", text="¿Sobre qué tema le gustaría que informáramos más?", choices=TOPICS),
    dict(kind="long", text="Comentarios o sugerencias", required=False),
]


def _survey() -> Survey:
    """Open for the last four months and the next one (answers up to yesterday)."""
    year, today = demo_clock.plan_year(), demo_clock.today()
    survey, _ = Survey.objects.update_or_create(
        slug=f"satisfaccion-{year}",
        defaults=dict(
            title=f"Encuesta de satisfacción {year}",
            intro="Cinco minutos para decirnos cómo le informamos. ¡Gracias!",
            privacy_notice=PRIVACY,
            privacy_url="https://chapultepec.gob.mx/aviso-de-privacidad",
            opens_on=today - timedelta(days=OPEN_DAYS),
            closes_on=today + timedelta(days=30),
            anonymous=True,
            access_mode=AccessMode.PUBLIC,
        ),
    )
    return survey


def _questions(survey: Survey) -> list[Question]:
    questions = []
    for position, spec in enumerate(QUESTIONS, start=1):
        defaults = {"required": True, "choices": [], **spec}
        question, _ = Question.objects.update_or_create(
            survey=survey, position=position, defaults=defaults
        )
        questions.append(question)
    errand = questions[4]
    errand.show_if_question, errand.show_if_value = questions[3], "sí"
    errand.save()
    return questions


def _one_sheet(rng: random.Random, q: list[Question]) -> list[tuple[Question, str]]:
    happy = rng.random() < 0.62  # most followers are fairly content
    sheet = [(q[0], c) for c in rng.sample(CHANNELS, rng.choice([1, 1, 2, 3]))]
    sheet.append((q[1], str(rng.choice([4, 4, 5, 5, 3] if happy else [1, 2, 3, 3, 4]))))
    sheet.append((q[2], str(rng.choice([8, 9, 9, 10, 10, 7] if happy else [2, 4, 5, 6, 7, 8]))))
    useful = rng.random() < 0.55
    sheet.append((q[3], "sí" if useful else "no"))
    if useful and rng.random() < 0.7:
        sheet.append((q[4], rng.choice(ERRANDS)))
    sheet.append((q[5], rng.choice(TOPICS)))
    if rng.random() < 0.3:
        sheet.append((q[6], rng.choice(COMMENTS)))
    return sheet


@transaction.atomic
def load(stdout: TextIO) -> None:
    survey = _survey()
    questions = _questions(survey)
    if survey.responses.exists():
        stdout.write(f"Encuestas: «{survey.title}» ya tiene respuestas.\n")
        return
    rng = random.Random(SEED)
    days = OPEN_DAYS - 1  # up to yesterday
    for _ in range(RESPONSES):
        day = survey.opens_on + timedelta(days=rng.randint(0, days))
        response = Response.objects.create(survey=survey, submitted_on=day)
        Answer.objects.bulk_create(
            Answer(response=response, question=question, value=value)
            for question, value in _one_sheet(rng, questions)
        )
    stdout.write(f"Encuestas: «{survey.title}» con {RESPONSES} respuestas.\n")
