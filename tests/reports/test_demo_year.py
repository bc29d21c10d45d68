"""`pregon demo`'s plan year, the current one up to today (accounts, agenda,
publishing, analytics, surveys, goals loaders): the dashboard and the evaluations of
the halves that have begun, against independent database counts."""

import io
from importlib import import_module

import pytest
from django.test import Client
from django.utils import timezone

from pregon.agenda.models import Activity
from pregon.analytics.models import PageVisitDay
from pregon.archive.models import Clipping
from pregon.goals import periods
from pregon.publishing.models import Publication
from pregon.reports import figures
from pregon.surveys.models import Answer, Question, Response

LOADERS = ["accounts", "archive", "agenda", "publishing", "analytics", "surveys", "goals"]
TODAY = timezone.localdate()
YEAR = TODAY.year
HALVES = {f"{YEAR}-H1": (1, 6), f"{YEAR}-H2": (7, 12)}


@pytest.fixture
def demo_year(db):
    for app in LOADERS:
        import_module(f"pregon.{app}.demo").load(io.StringIO())


def column(table: dict, name: str) -> list:
    i = table["columns"].index(name)
    return [row[i] for row in table["rows"]]


def test_demo_year(demo_year, mariana):
    """One test on purpose: loading the demo year takes ~30 s on the shared box."""
    for key, (first, _) in HALVES.items():
        if TODAY.month >= first:  # a half that has begun
            check_evaluation(key)
    check_dashboard(mariana)


def check_evaluation(key: str) -> None:
    first, last = HALVES[key]
    data = figures.compute(periods.parse(key))
    published = Publication.objects.filter(
        status="publicada",
        published_at__year=YEAR,
        published_at__month__gte=first,
        published_at__month__lte=last,
    )
    pubs = data["tables"]["publicaciones"]
    assert column(pubs, "Publicaciones")[-1] == published.count()
    assert published.count() >= 15 * (min(TODAY.month, last) - first)  # about 54 a month
    acts = Activity.objects.filter(
        is_public=True,
        starts_at__year=YEAR,
        starts_at__month__gte=first,
        starts_at__month__lte=last,
    ).exclude(status="cancelada")
    covered = acts.filter(publications__status="publicada").distinct().count()
    total = data["tables"]["cobertura"]["rows"][-1]
    assert total[1:3] == [acts.count(), covered]
    visits = sum(
        v for v, d in PageVisitDay.objects.values_list("visits", "date") if first <= d.month <= last
    )
    assert data["tables"]["visitas"]["rows"][-1][1] == visits
    check_surveys(data["tables"]["encuestas"]["rows"], first, last)
    clippings = Clipping.objects.filter(
        date__year=YEAR, date__month__gte=first, date__month__lte=last
    )
    press = dict(data["tables"]["prensa"]["rows"])
    assert press["Notas de prensa: total"] == clippings.count() > 0
    assert press["Notas de prensa: negativo"] == clippings.filter(tone="negativo").count()
    p1 = next(d for d in data["diagnosis"] if d["code"] == "P1")
    assert p1["gap"] == 360 - published.count()


def check_surveys(rows: list, first: int, last: int) -> None:
    """Counted straight from the stored answers of the surveys open in the half."""
    answered = Response.objects.filter(
        submitted_on__year=YEAR, submitted_on__month__gte=first, submitted_on__month__lte=last
    )
    titles = sorted(set(answered.values_list("survey__title", flat=True)))
    assert [row[0] for row in rows] == titles
    # The demo's satisfaction survey has been answered over the last four months.
    if first <= TODAY.month <= last and TODAY.day > 1:
        assert titles == [f"Encuesta de satisfacción {YEAR}"]
    for row in rows:
        mine = answered.filter(survey__title=row[0])
        csat = Question.objects.filter(survey__title=row[0], kind="csat").order_by("position")
        values = Answer.objects.filter(question=csat[0], response__in=mine)
        scores = [int(v) for v in values.values_list("value", flat=True)]
        assert row[1] == mine.count()
        assert row[2] == round(100 * sum(1 for s in scores if s >= 4) / len(scores), 2)


def check_dashboard(mariana) -> None:
    client = Client()
    client.force_login(mariana)
    response = client.get("/metas/")
    statuses = {s.indicator.code: s for s in response.context["statuses"]}
    year = Publication.objects.filter(status="publicada", published_at__year=YEAR).count()
    assert statuses["P1"].result.value == year
    quarters = [int(q["result"].value) for q in response.context["quarters"]]
    assert sum(quarters) == year
    acts = Activity.objects.filter(is_public=True, starts_at__year=YEAR).exclude(status="cancelada")
    assert response.context["coverage_total"]["registered"] == acts.count()
