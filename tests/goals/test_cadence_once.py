"""The goals dashboard builds the permanent themes' cadence board once per page: the
cadence indicator's numerator (targets met), its denominator (targets in force) and
the dashboard's «Temas permanentes» section read the same board
(goals.sources.one_reading); its query count does not grow with the themes."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pregon.core import page_cache, versions
from pregon.goals import sources
from pregon.goals.apps import FIGURES_SCOPE
from pregon.goals.models import FormulaKind, Frequency, Indicator, Plan, Source
from pregon.publishing.models import Category, ChannelKind, Theme, ThemeTarget

THEMES_QUERY = re.compile(r'FROM "publishing_theme"\s+WHERE', re.I)
BUDGET = 25  # the /metas/ budget of tests/core/test_query_budgets.py, with T1 and themes


def _themes(n: int) -> None:
    for i in range(Theme.objects.count(), n):
        theme = Theme.objects.create(name=f"Tema {i}", category=Category.SALUD, order=i)
        ThemeTarget.objects.create(theme=theme, channel=ChannelKind.FACEBOOK_PAGE, count=1)
        ThemeTarget.objects.create(theme=theme, channel=ChannelKind.X, count=2)


def _plan_with_cadence() -> None:
    plan = Plan.objects.create(
        municipality="Chapultepec", year=timezone.localdate().year, title="Plan"
    )
    Indicator.objects.create(
        plan=plan,
        code="T1",
        name="Temas permanentes al día",
        formula_kind=FormulaKind.RATIO,
        numerator=Source.CADENCE_MET,
        denominator=Source.CADENCE_TARGETS,
        frequency=Frequency.MONTHLY,
        target=100,
        unit="%",
    )


def _dashboard(client: Client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/metas/")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def test_the_board_is_built_once_per_dashboard(mariana):
    Theme.objects.all().delete()  # the seeded themes; ours are counted below
    _plan_with_cadence()
    _themes(3)
    client = Client()
    client.force_login(mariana)
    _dashboard(client)  # one-off rows (settings, the menu's cache) out of the count
    # Drawn again, not served from the person's page cache nor the cached figures.
    versions.bump(page_cache.SCOPE, FIGURES_SCOPE)
    page, queries = _dashboard(client)
    assert len([sql for sql in queries if THEMES_QUERY.search(sql)]) == 1
    # The indicator and the section agree: 0 of 6 targets met, read from one board.
    assert 'id="cadence-met">0 de 6<' in page
    assert re.search(r'id="ind-T1">.*?rezagado', page, re.S)

    _themes(12)
    page, more = _dashboard(client)
    assert 'id="cadence-met">0 de 24<' in page
    assert len(more) == len(queries) <= BUDGET, (len(queries), len(more))


def test_outside_a_reading_each_board_is_fresh(db):
    Theme.objects.all().delete()
    _themes(1)
    today = timezone.localdate()
    first = sources.cadence_board(today)
    _themes(2)
    assert len(sources.cadence_board(today).measured()) == len(first.measured()) + 2
    with sources.one_reading():
        kept = sources.cadence_board(today)
        _themes(3)
        assert sources.cadence_board(today) is kept
        with sources.one_reading():  # nested: the outer reading holds
            assert sources.cadence_board(today) is kept
    assert sources.cadence_board(today) is not kept
