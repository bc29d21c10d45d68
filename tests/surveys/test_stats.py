"""Intervals, CSAT and NPS against values computed by hand and published examples."""

import pytest

from pregon.surveys import stats
from pregon.surveys.models import Answer, Response
from pregon.surveys.selectors import survey_results


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857, table I, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # By hand: p=0.8, z²=3.8415: (0.8+0.19207)/1.38415 ± 1.96·√(0.016+0.0096)/1.38415
        (8, 10, 0.4902, 0.9433),
    ],
)
def test_wilson_interval_matches_published_values(k, n, low, high):
    got_low, got_high = stats.wilson(k, n)
    assert got_low == pytest.approx(low, abs=0.00006)
    assert got_high == pytest.approx(high, abs=0.00006)


def test_wilson_with_no_answers_is_empty():
    assert stats.wilson(0, 0) == (0.0, 0.0)


def test_csat_is_share_of_four_and_five_with_wilson_interval():
    scores = [5, 4, 4, 3, 2, 5, 1, 4, 5, 3]  # six of ten are 4 or 5
    result = stats.csat(scores)
    assert result["score"] == pytest.approx(60.0)
    assert result["n"] == 10
    # By hand: (0.6 + 0.19207)/1.38415 = 0.57226 ± 1.96·√(0.024+0.0096037)/1.38415 = 0.25957
    assert result["ci_low"] == pytest.approx(31.27, abs=0.01)
    assert result["ci_high"] == pytest.approx(83.18, abs=0.01)


def test_nps_and_its_interval_match_hand_computation():
    scores = [10, 10, 9, 9, 9, 10, 9, 9] + [7, 8, 8, 7, 8] + [0, 3, 5, 6, 6, 4, 2]
    result = stats.nps(scores)
    assert (result["promoters"], result["passives"], result["detractors"]) == (8, 5, 7)
    # NPS = 40 % − 35 % = 5; var = (0.40 + 0.35 − 0.05²)/20 = 0.037375; se = 0.193326
    assert result["score"] == pytest.approx(5.0)
    half = 1.959964 * 0.193326 * 100
    assert result["ci_low"] == pytest.approx(5.0 - half, abs=0.01)
    assert result["ci_high"] == pytest.approx(5.0 + half, abs=0.01)
    assert result["ci_low"] == pytest.approx(-32.89, abs=0.01)


def test_nps_interval_is_clipped_to_the_scale():
    result = stats.nps([10, 10, 9])
    assert result["score"] == 100.0
    assert result["ci_high"] == 100.0


def _store(survey, day, csat: int, nps: int, useful: str) -> None:
    q = {x.position: x for x in survey.questions.all()}
    response = Response.objects.create(survey=survey, submitted_on=day)
    for position, value in ((1, csat), (2, nps), (3, useful)):
        Answer.objects.create(response=response, question=q[position], value=str(value))


def test_survey_results_from_stored_rows(survey, yesterday):
    csat = [5, 4, 4, 3, 2, 5, 1, 4, 5, 3]
    nps = [10, 9, 9, 8, 7, 6, 5, 10, 0, 9]  # 5 promoters, 2 passives, 3 detractors
    for i, (c, p) in enumerate(zip(csat, nps, strict=True)):
        _store(survey, yesterday, c, p, "sí" if i < 3 else "no")
    result = survey_results(survey)
    assert result["n"] == 10
    assert result["csat"]["score"] == pytest.approx(60.0)
    assert result["csat"]["ci_low"] == pytest.approx(31.27, abs=0.01)
    assert result["nps"]["score"] == pytest.approx(20.0)
    # var = (0.5 + 0.3 − 0.2²)/10 = 0.076 → half = 1.96·0.27568 = 54.03 points
    assert result["nps"]["ci_low"] == pytest.approx(20.0 - 54.03, abs=0.01)
    yesno = next(q for q in result["questions"] if q["kind"] == "yesno")
    yes = next(o for o in yesno["options"] if o["value"] == "sí")
    assert (yes["count"], yes["n"], yes["percent"]) == (3, 10, pytest.approx(30.0))
    low, high = stats.wilson(3, 10)
    assert (yes["ci_low"], yes["ci_high"]) == (pytest.approx(100 * low), pytest.approx(100 * high))


def test_survey_results_filters_by_date(survey, yesterday):
    from datetime import timedelta

    _store(survey, yesterday - timedelta(days=5), 1, 0, "no")
    _store(survey, yesterday, 5, 10, "sí")
    result = survey_results(survey, start=yesterday, end=yesterday)
    assert result["n"] == 1
    assert result["csat"]["score"] == 100.0
    assert survey_results(survey, end=yesterday - timedelta(days=1))["csat"]["score"] == 0.0
