"""Reads: survey results. `survey_results` is the contract goals and reports use."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from pregon.surveys import stats
from pregon.surveys.models import TEXT_KINDS, Answer, Question, QuestionKind, Response, Survey


def responses_between(survey: Survey, start: date | None, end: date | None) -> QuerySet:
    responses = Response.objects.filter(survey=survey)
    if start:
        responses = responses.filter(submitted_on__gte=start)
    if end:
        responses = responses.filter(submitted_on__lte=end)
    return responses


@dataclass
class Tally:
    """Aggregates computed in the database: per question, people who answered,
    count per value (choice questions) and the texts (free-text questions)."""

    answered: dict[int, int] = field(default_factory=dict)
    counts: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    texts: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))


def _tally(responses: QuerySet) -> Tally:
    answers = Answer.objects.filter(response__in=responses)
    tally = Tally()
    tally.answered = dict(
        answers.values("question_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("question_id", "n")
    )
    chosen = answers.exclude(question__kind__in=TEXT_KINDS).values("question_id", "value")
    for question_id, value, count in chosen.annotate(c=Count("id")).values_list(
        "question_id", "value", "c"
    ):
        tally.counts[question_id][value] = count
    typed = answers.filter(question__kind__in=TEXT_KINDS).values_list("question_id", "value")
    for question_id, value in typed.iterator():
        tally.texts[question_id].append(value)
    return tally


def _text_result(texts: list[str]) -> dict:
    texts = sorted(texts)
    repeated = Counter(text.strip().casefold() for text in texts)
    first_spelling = {text.strip().casefold(): text for text in reversed(texts)}
    grouped = [{"text": first_spelling[k], "count": c} for k, c in repeated.most_common()]
    return {"texts": texts, "text_counts": grouped}


def _scores(counts: Counter) -> list[int]:
    return [int(value) for value, count in counts.items() for _ in range(count)]


def _question_result(question: Question, tally: Tally) -> dict:
    n = tally.answered.get(question.pk, 0)
    result: dict[str, Any] = {
        "id": question.pk,
        "text": question.text,
        "kind": question.kind,
        "kind_label": question.get_kind_display(),
        "n": n,
        "options": [],
        "texts": [],
        "text_counts": [],
        "csat": None,
        "nps": None,
    }
    if question.is_text:
        return {**result, **_text_result(tally.texts.get(question.pk, []))}
    counts = tally.counts.get(question.pk, Counter())
    for value, label in question.options():
        result["options"].append(
            {"value": value, "label": label, **stats.proportion(counts[value], n)}
        )
    if question.kind == QuestionKind.CSAT:
        result["csat"] = stats.csat(_scores(counts))
    elif question.kind == QuestionKind.NPS:
        result["nps"] = stats.nps(_scores(counts))
    return result


def survey_results(survey: Survey, start: date | None = None, end: date | None = None) -> dict:
    """Results of `survey` for responses submitted between `start` and `end` (dates,
    both inclusive, either may be None).

    Returns a dict:
      n          number of responses in the range
      start, end the range asked for
      method     how the 95 % intervals were computed (Spanish, for display)
      questions  per question: id, text, kind, n (people who answered it), options
                 [{value, label, count, n, percent, ci_low, ci_high}], texts [str]
                 (every text answer), text_counts [{text, count}] (same texts grouped
                 ignoring case, most frequent first),
                 csat / nps (as below, or None)
      csat       first CSAT question: {score, count, n, percent, ci_low, ci_high}
                 (score = % of 4–5), or None when the survey has no CSAT question
      nps        first NPS question: {score, n, promoters, passives, detractors,
                 ci_low, ci_high} (score in −100…100), or None
    Percentages are 0–100 floats, not rounded.
    """
    responses = responses_between(survey, start, end)
    tally = _tally(responses)
    questions = [_question_result(q, tally) for q in survey.questions.all()]
    return {
        "survey": {"id": survey.pk, "title": survey.title, "slug": survey.slug},
        "start": start,
        "end": end,
        "n": responses.count(),
        "method": stats.METHOD,
        "questions": questions,
        "csat": next((q["csat"] for q in questions if q["csat"]), None),
        "nps": next((q["nps"] for q in questions if q["nps"]), None),
    }


def visible_questions(questions: list[Question], values: dict[int, list[str]]) -> list[Question]:
    """Questions shown given the answers: a conditional question is shown only when
    the question it depends on is itself shown and was answered with the value."""
    shown: set[int] = set()
    for question in questions:
        parent = question.show_if_question_id
        if parent is None or (parent in shown and question.show_if_value in values.get(parent, [])):
            shown.add(question.pk)
    return [q for q in questions if q.pk in shown]
