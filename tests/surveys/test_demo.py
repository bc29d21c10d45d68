import io

import pytest
from django.utils import timezone

from pregon.surveys import demo
from pregon.surveys.models import Answer, Survey
from pregon.surveys.selectors import survey_results


def test_demo_survey_has_a_few_hundred_answers_and_is_idempotent(db):
    demo.load(io.StringIO())
    stored = Answer.objects.count()
    demo.load(io.StringIO())
    today = timezone.localdate()
    survey = Survey.objects.get(slug=f"satisfaccion-{today.year}")
    assert survey.responses.count() == demo.RESPONSES
    assert Answer.objects.count() == stored
    assert survey.opens_on < today < survey.closes_on and survey.is_locked  # open now
    assert not survey.responses.filter(submitted_on__gte=today).exists()
    answers = Answer.objects.filter(response__survey=survey)
    scores = [int(v) for v in answers.filter(question__kind="csat").values_list("value", flat=True)]
    assert len(scores) == demo.RESPONSES  # CSAT is required
    satisfied = 100 * sum(1 for s in scores if s >= 4) / len(scores)
    results = survey_results(survey)
    assert results["csat"]["score"] == pytest.approx(satisfied, abs=0.05)
    assert 50 < results["csat"]["score"] < 90  # a plausible municipality
    assert results["csat"]["ci_low"] < results["csat"]["score"] < results["csat"]["ci_high"]
    # The follow-up only appears for people who said yes.
    said_yes = answers.filter(question__kind="yesno", value="sí").values("response")
    errands = answers.filter(question__kind="short")
    assert 0 < errands.count() < said_yes.count()
    assert not errands.exclude(response__in=said_yes).exists()
    errand = next(q for q in results["questions"] if q["kind"] == "short")
    useful = next(q for q in results["questions"] if q["kind"] == "yesno")
    assert errand["n"] == errands.count()
    yes = next(o for o in useful["options"] if o["value"] == "sí")
    assert yes["count"] == said_yes.count()
