"""Reads: survey results. `survey_results` is the contract goals and reports use."""

from collections import Counter, defaultdict
from datetime import date

from django.db.models import QuerySet

from pregon.surveys import stats
from pregon.surveys.models import Answer, Question, QuestionKind, Response, Survey


def responses_between(survey: Survey, start: date | None, end: date | None) -> QuerySet:
    responses = Response.objects.filter(survey=survey)
    if start:
        responses = responses.filter(submitted_on__gte=start)
    if end:
        responses = responses.filter(submitted_on__lte=end)
    return responses


def _answers_by_question(responses: QuerySet) -> dict[int, dict[int, list[str]]]:
    """question id → response id → values (one value, or several for multiple choice)."""
    grouped: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = Answer.objects.filter(response__in=responses).values_list(
        "question_id", "response_id", "value"
    )
    for question_id, response_id, value in rows.iterator():
        grouped[question_id][response_id].append(value)
    return grouped


def _question_result(question: Question, by_response: dict[int, list[str]]) -> dict:
    n = len(by_response)
    result = {
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
        result["texts"] = sorted(v[0] for v in by_response.values())
        repeated = Counter(text.strip().casefold() for text in result["texts"])
        first_spelling = {text.strip().casefold(): text for text in reversed(result["texts"])}
        result["text_counts"] = [
            {"text": first_spelling[key], "count": count} for key, count in repeated.most_common()
        ]
        return result
    counts = Counter(value for values in by_response.values() for value in values)
    for value, label in question.options():
        result["options"].append(
            {"value": value, "label": label, **stats.proportion(counts[value], n)}
        )
    if question.kind == QuestionKind.CSAT:
        result["csat"] = stats.csat([int(v[0]) for v in by_response.values()])
    elif question.kind == QuestionKind.NPS:
        result["nps"] = stats.nps([int(v[0]) for v in by_response.values()])
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
    grouped = _answers_by_question(responses)
    questions = [_question_result(q, grouped.get(q.pk, {})) for q in survey.questions.all()]
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
