import io

from pregon.surveys import demo
from pregon.surveys.models import Survey
from pregon.surveys.selectors import survey_results


def test_demo_survey_has_a_few_hundred_answers_and_is_idempotent(db):
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    survey = Survey.objects.get(slug="satisfaccion-2023")
    assert survey.responses.count() == demo.RESPONSES
    assert survey.opens_on.year == 2023 and survey.is_locked
    results = survey_results(survey)
    assert 50 < results["csat"]["score"] < 90
    assert results["csat"]["ci_low"] < results["csat"]["score"] < results["csat"]["ci_high"]
    errand = next(q for q in results["questions"] if q["kind"] == "short")
    useful = next(q for q in results["questions"] if q["kind"] == "yesno")
    # The follow-up only appears for people who said yes.
    assert 0 < errand["n"] <= useful["options"][0]["count"]
