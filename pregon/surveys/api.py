"""Surveys API: CRUD for Coordinación, results, and the public answer endpoint."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from pregon.accounts import access
from pregon.core.api_types import Count, Day, ErrorOut, Id, Page
from pregon.surveys import abuse, services
from pregon.surveys.models import AccessMode, Question, QuestionKind, Survey
from pregon.surveys.public import TOO_MANY
from pregon.surveys.selectors import survey_results

router = Router(tags=["Encuestas"])


class QuestionIn(Schema):
    kind: QuestionKind
    text: str
    help_text: str = ""
    required: bool = True
    choices: list[str] = []
    show_if_question_id: Id | None = None
    show_if_value: str = ""
    position: Count = 0


class QuestionOut(QuestionIn):
    id: int
    field_name: str


class SurveyIn(Schema):
    title: str
    slug: str
    intro: str = ""
    privacy_notice: str
    privacy_url: str
    opens_on: Day
    closes_on: Day
    anonymous: bool = True
    access_mode: AccessMode = AccessMode.PUBLIC


class SurveyOut(SurveyIn):
    id: int
    is_locked: bool
    public_path: str
    questions: list[QuestionOut]


class ThanksOut(Schema):
    detail: str


class PublicAnswerIn(Schema):
    answers: dict[str, str | list[str]]
    codigo: str = ""
    sitio_web: str = ""  # honeypot: people never fill it


def _survey(pk: int) -> Survey:
    return get_object_or_404(Survey, pk=pk)


@router.get("/surveys", response=list[SurveyOut], summary="Encuestas")
@paginate(Page)
def list_surveys(request: HttpRequest):
    access.check(request.auth, "surveys.view_survey")
    return Survey.objects.prefetch_related("questions")


@router.post("/surveys", response={201: SurveyOut}, summary="Crear encuesta")
def create_survey(request: HttpRequest, payload: SurveyIn):
    access.check(request.auth, "surveys.add_survey")
    survey = services.survey_save(survey=Survey(**payload.dict()), user=request.auth)
    return Status(201, survey)


@router.get("/surveys/{pk}", response=SurveyOut, summary="Una encuesta con sus preguntas")
def get_survey(request: HttpRequest, pk: Id):
    access.check(request.auth, "surveys.view_survey")
    return _survey(pk)


@router.put("/surveys/{pk}", response=SurveyOut, summary="Modificar datos de la encuesta")
def update_survey(request: HttpRequest, pk: Id, payload: SurveyIn):
    access.check(request.auth, "surveys.change_survey")
    survey = _survey(pk)
    data = payload.dict()
    frozen = ("slug", "anonymous", "access_mode")
    if survey.is_locked and any(getattr(survey, f) != data[f] for f in frozen):
        raise ValidationError(services.LOCKED)
    for name, value in data.items():
        setattr(survey, name, value)
    return services.survey_save(survey=survey, user=request.auth)


@router.delete("/surveys/{pk}", response={204: None}, summary="Eliminar encuesta")
def delete_survey(request: HttpRequest, pk: Id):
    access.check(request.auth, "surveys.delete_survey")
    survey = _survey(pk)
    services.survey_delete(survey=survey, user=request.auth)
    return Status(204, None)


@router.post("/surveys/{pk}/questions", response={201: QuestionOut}, summary="Agregar pregunta")
def add_question(request: HttpRequest, pk: Id, payload: QuestionIn):
    access.check(request.auth, "surveys.change_survey")
    question = Question(survey=_survey(pk), **payload.dict())
    return Status(201, services.question_save(question=question, user=request.auth))


@router.delete(
    "/surveys/{pk}/questions/{question_pk}", response={204: None}, summary="Eliminar pregunta"
)
def delete_question(request: HttpRequest, pk: Id, question_pk: Id):
    access.check(request.auth, "surveys.change_survey")
    question = get_object_or_404(Question, pk=question_pk, survey_id=pk)
    services.question_delete(question=question, user=request.auth)
    return Status(204, None)


@router.post("/surveys/{pk}/duplicate", response={201: SurveyOut}, summary="Duplicar encuesta")
def duplicate_survey(request: HttpRequest, pk: Id):
    access.check(request.auth, "surveys.add_survey")
    return Status(201, services.survey_duplicate(survey=_survey(pk), user=request.auth))


@router.get("/surveys/{pk}/results", summary="Resultados (n, %, IC 95 %, CSAT, NPS)")
def results(request: HttpRequest, pk: Id, start: Day | None = None, end: Day | None = None):
    access.check(request.auth, "surveys.view_results")
    return survey_results(_survey(pk), start, end)


@router.post(
    "/public/surveys/{slug}/answers",
    auth=None,
    response={201: ThanksOut, 400: ErrorOut, 429: ErrorOut},
    summary="Responder una encuesta (público, sin autenticación)",
)
def public_answer(request: HttpRequest, slug: str, payload: PublicAnswerIn):
    survey = get_object_or_404(Survey, slug=slug)
    if abuse.over_limit(request):
        return Status(429, {"detail": TOO_MANY})
    if abuse.is_bot(payload.dict()):
        return Status(400, {"detail": "Solicitud rechazada."})
    raw = {k: ([v] if isinstance(v, str) else v) for k, v in payload.answers.items()}
    sheet = services.read_answers(list(survey.questions.all()), lambda name: raw.get(name, []))
    try:
        services.response_submit(survey=survey, sheet=sheet, code=payload.codigo)
    except services.SubmissionError as exc:
        return Status(400, {"detail": "Respuestas inválidas.", "errors": exc.errors})
    return Status(201, {"detail": "¡Gracias! Sus respuestas se recibieron."})
