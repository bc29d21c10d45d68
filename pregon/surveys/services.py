"""Writes: building surveys, invitation codes and storing answers."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from pregon.accounts.models import User
from pregon.core.audit import log_action
from pregon.surveys.models import (
    AccessMode,
    Answer,
    InvitationCode,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from pregon.surveys.selectors import visible_questions

LOCKED = (
    "La encuesta ya tiene respuestas: sus preguntas están bloqueadas para no alterar lo "
    "respondido. Duplique la encuesta para hacer una nueva versión."
)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed on a phone
CODE_USED = (
    "Este código ya fue utilizado. Cada código de invitación sirve para responder "
    "una sola vez; si cree que es un error, solicite un código nuevo."
)
CODE_INVALID = "El código de invitación no es válido para esta encuesta. Revise que esté completo."
CODE_MISSING = "Escriba el código de invitación que recibió."
TEXT_LIMITS: dict[str, int] = {QuestionKind.SHORT: 300, QuestionKind.LONG: 5000}


class SubmissionError(Exception):
    """An answer sheet that cannot be stored; `errors` maps field name → Spanish message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


# ---- builder ---------------------------------------------------------------


def ensure_unlocked(survey: Survey) -> None:
    if survey.is_locked:
        raise ValidationError(LOCKED)


def survey_save(*, survey: Survey, user: User) -> Survey:
    created = survey.pk is None
    if created:
        survey.created_by = user
    survey.full_clean()
    survey.save()
    log_action(survey, "surveys.created" if created else "surveys.changed", user=user)
    return survey


def survey_delete(*, survey: Survey, user: User) -> None:
    log_action(survey, "surveys.deleted", user=user, data={"title": survey.title})
    survey.delete()


def question_save(*, question: Question, user: User) -> Question:
    ensure_unlocked(question.survey)
    if question.pk is None and not question.position:
        question.position = question.survey.questions.count() + 1
    question.full_clean()
    question.save()
    log_action(question.survey, "surveys.question_saved", user=user, data={"question": question.pk})
    return question


def question_delete(*, question: Question, user: User) -> None:
    ensure_unlocked(question.survey)
    log_action(question.survey, "surveys.question_deleted", user=user, data={"text": question.text})
    question.delete()


def _free_slug(base: str) -> str:
    base = slugify(base)[:70] or "encuesta"
    slug, i = base, 2
    while Survey.objects.filter(slug=slug).exists():
        slug, i = f"{base}-{i}", i + 1
    return slug


@transaction.atomic
def survey_duplicate(*, survey: Survey, user: User) -> Survey:
    """A fresh, unlocked copy with the same questions and conditions; no answers, no codes."""
    questions = list(survey.questions.all())
    copy = Survey.objects.get(pk=survey.pk)
    copy.pk = None
    copy.title = f"{survey.title} (copia)"[:200]
    copy.slug = _free_slug(f"{survey.slug}-copia")
    copy.created_by = user
    copy.save()
    mapping: dict[int, Question] = {}
    for question in questions:
        old_pk, old_parent = question.pk, question.show_if_question_id
        question.pk, question.survey = None, copy
        question.show_if_question = mapping.get(old_parent) if old_parent else None
        question.save()
        mapping[old_pk] = question
    log_action(copy, "surveys.duplicated", user=user, data={"from": survey.pk})
    return copy


def codes_generate(*, survey: Survey, count: int, user: User) -> list[InvitationCode]:
    if not 1 <= count <= 5000:
        raise ValidationError("Indique entre 1 y 5000 códigos.")
    codes: list[InvitationCode] = []
    while len(codes) < count:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not InvitationCode.objects.filter(code=raw).exists():
            codes.append(InvitationCode(survey=survey, code=raw))
    InvitationCode.objects.bulk_create(codes)
    log_action(survey, "surveys.codes_generated", user=user, data={"count": count})
    return codes


def normalize_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


# ---- answering --------------------------------------------------------------


@dataclass
class AnswerSheet:
    """Validated answers: question id → values, only for questions that were shown."""

    values: dict[int, list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _clean_one(question: Question, raw: list[str]) -> tuple[list[str], str]:
    values = [v.strip() for v in raw if v and v.strip()]
    if question.is_text:
        text = values[0] if values else ""
        if len(text) > TEXT_LIMITS[question.kind]:
            return [], f"Escriba como máximo {TEXT_LIMITS[question.kind]} caracteres."
        return ([text] if text else []), ""
    allowed = {value for value, _ in question.options()}
    if any(v not in allowed for v in values):
        return [], "Elija una de las opciones."
    if question.kind != QuestionKind.MULTIPLE and len(values) > 1:
        return [], "Elija solo una opción."
    return list(dict.fromkeys(values)), ""


def read_answers(questions: list[Question], get_list: Callable[[str], list[str]]) -> AnswerSheet:
    """Validate raw input. Conditional questions that end up hidden are ignored
    (their input is dropped), so a person never has to answer what they did not see."""
    sheet = AnswerSheet()
    for question in questions:
        values, error = _clean_one(question, get_list(question.field_name))
        if error:
            sheet.errors[question.field_name] = error
        elif values:
            sheet.values[question.pk] = values
    shown = visible_questions(questions, sheet.values)
    shown_ids = {q.pk for q in shown}
    sheet.values = {pk: v for pk, v in sheet.values.items() if pk in shown_ids}
    sheet.errors = {k: v for k, v in sheet.errors.items() if int(k[1:]) in shown_ids}
    for question in shown:
        if question.required and question.pk not in sheet.values:
            sheet.errors.setdefault(question.field_name, "Esta pregunta es obligatoria.")
    return sheet


def check_code(survey: Survey, raw_code: str) -> str:
    """Return the normalised code or raise SubmissionError with a clear message."""
    code = normalize_code(raw_code)
    if not code:
        raise SubmissionError({"codigo": CODE_MISSING})
    found = InvitationCode.objects.filter(survey=survey, code=code).first()
    if found is None:
        raise SubmissionError({"codigo": CODE_INVALID})
    if found.used:
        raise SubmissionError({"codigo": CODE_USED})
    return code


def _consume_code(survey: Survey, raw_code: str) -> str:
    code = check_code(survey, raw_code)
    # The conditional update wins exactly once even with two simultaneous submissions.
    if not InvitationCode.objects.filter(survey=survey, code=code, used=False).update(used=True):
        raise SubmissionError({"codigo": CODE_USED})
    return code


def response_submit(
    *, survey: Survey, sheet: AnswerSheet, code: str = "", today: date | None = None
) -> Response:
    """Store one answer sheet. For an anonymous survey only the date is kept; the
    invitation code is marked used in its own table, with nothing pointing back."""
    today = today or timezone.localdate()
    if not survey.is_open_on(today):
        raise SubmissionError({"general": "La encuesta no está abierta en esta fecha."})
    if sheet.errors:
        raise SubmissionError(sheet.errors)
    with transaction.atomic():
        used_code = _consume_code(survey, code) if survey.access_mode == AccessMode.CODES else ""
        response = Response.objects.create(survey=survey, submitted_on=today)
        if not survey.anonymous:
            response.submitted_at = timezone.now()
            response.invitation_code = used_code
            response.save(update_fields=["submitted_at", "invitation_code"])
        Answer.objects.bulk_create(
            Answer(response=response, question_id=pk, value=value)
            for pk, values in sheet.values.items()
            for value in values
        )
    return response
