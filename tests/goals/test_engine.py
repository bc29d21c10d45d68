"""Every source and formula against counts written independently (month lookups in
local time, arithmetic on how the fixture year was built)."""

from datetime import date
from decimal import Decimal

import pytest

from pregon.agenda.models import Activity
from pregon.analytics.models import PageVisitDay, PostMetric
from pregon.goals import engine, periods, selectors, sources
from pregon.goals.models import BaselineScope, FormulaKind, Frequency, Indicator, Plan, Source
from pregon.publishing.models import ChannelAccount, ChannelKind, Publication

H1 = periods.parse("2023-H1")
H2 = periods.parse("2023-H2")


def read(source, period, filters=None):
    return sources.read(source, *period.bounds(), filters)


def published_in_months(first: int, last: int):
    # Independent: Django's __month lookups use the current (local) time zone.
    return Publication.objects.filter(
        status="publicada",
        published_at__year=2023,
        published_at__month__gte=first,
        published_at__month__lte=last,
    )


def test_publications_published_counts_local_semesters(year2023):
    # 12 acciones + 6 private reunions + sum(2+m) notices + the two edge posts.
    assert read(Source.PUBLICATIONS_PUBLISHED, H1) == 12 + 6 + sum(2 + m for m in range(1, 7)) + 2
    assert read(Source.PUBLICATIONS_PUBLISHED, H1) == published_in_months(1, 6).count()
    assert read(Source.PUBLICATIONS_PUBLISHED, H2) == published_in_months(7, 12).count()
    assert read(Source.PUBLICATIONS_PUBLISHED, H2) == 12 + 6 + sum(2 + m for m in range(7, 13))


def test_channel_and_area_filters(year2023):
    x_h1 = published_in_months(1, 6).filter(variants__account__kind="x").distinct().count()
    assert 0 < x_h1 < read(Source.PUBLICATIONS_PUBLISHED, H1)
    assert read(Source.PUBLICATIONS_PUBLISHED, H1, {"channel": "x"}) == x_h1
    opdu = published_in_months(1, 6).filter(area__short_name="OPDU").count()
    assert read(Source.PUBLICATIONS_PUBLISHED, H1, {"area": "OPDU"}) == opdu


def test_acciones_registered_and_published(year2023):
    public = Activity.objects.filter(
        is_public=True, starts_at__year=2023, starts_at__month__lte=6
    ).exclude(status="cancelada")
    with_pub = [a for a in public if a.publications.filter(status="publicada").exists()]
    assert read(Source.ACTIVITIES_REGISTERED, H1) == public.count() == 18
    assert read(Source.ACTIVITIES_PUBLISHED, H1) == len(with_pub) == 12


def test_audience_sources(year2023):
    # Followers at the end of H1: last figure of each account (15 June), summed.
    assert read(Source.FOLLOWERS, H1) == (6900 + 100 * 11) + (6900 + 50 * 11)
    posts = [p for p in PostMetric.objects.all() if p.published_at.month <= 6]
    assert read(Source.POSTS_MEASURED, H1) == len(posts) == 24
    assert read(Source.INTERACTIONS, H1) == sum(p.interactions for p in posts)
    visits = sum(v.visits for v in PageVisitDay.objects.all() if v.date < date(2023, 7, 1))
    assert read(Source.PORTAL_VISITS, H1) == visits
    assert read(Source.PORTAL_VISITS, H1, {"purpose": "tramites"}) == sum(
        100 + m for m in range(1, 7)
    )


def test_survey_score_pools_csat(year2023):
    assert read(Source.SURVEY_SCORE, H1) == Decimal("70.00")  # 7 of 10 answered 4–5
    assert read(Source.SURVEY_SCORE, H2) == Decimal("40.00")  # 2 of 5
    assert read(Source.SURVEY_SCORE, periods.parse("2023-01")) is None


def test_bulletins_without_their_app_read_sin_datos(year2023, monkeypatch):
    monkeypatch.setattr(sources, "bulletin_model", lambda: None)
    assert read(Source.BULLETINS_ISSUED, H1) is None


def test_formulas_and_targets(year2023):
    plan = Plan.objects.get(year=2023)
    p1, c1, a1, a2 = (plan.indicators.get(code=c) for c in ("P1", "C1", "A1", "A2"))
    assert engine.target_for(p1, H1) == 360  # 720 a year, prorated
    assert engine.target_for(plan.indicators.get(code="P2"), H1) == 360  # 180 a quarter
    assert engine.target_for(c1, H1) == 80
    r = engine.evaluate_period(c1, H1)
    assert r.value == Decimal("66.67") and r.met is False and r.gap == Decimal("13.33")
    followers = (6900 + 100 * 11) + (6900 + 50 * 11)
    # Both accounts are the Ayuntamiento's: the plan's 6,900 is their starting total.
    assert engine.evaluate_period(a1, H1).value == engine.round2(
        Decimal(100) * (followers - 6900) / 6900
    )
    posts = [p for p in PostMetric.objects.all() if p.published_at.month <= 6]
    average = Decimal(sum(p.interactions for p in posts)) / len(posts)
    assert engine.evaluate_period(a2, H1).value == engine.round2(average)


def test_configured_indicator_for_another_plan(year2023):
    """A different municipality's indicator is data: OPDU's share of X posts."""
    plan = Plan.objects.create(municipality="Otro", year=2023, title="Plan de otro")
    ind = Indicator.objects.create(
        plan=plan,
        code="X1",
        name="Visitas a trámites",
        formula_kind=FormulaKind.COUNT,
        numerator=Source.PORTAL_VISITS,
        filters={"purpose": "tramites"},
        frequency=Frequency.MONTHLY,
        target=100,
    )
    result = engine.evaluate_period(ind, periods.parse("2023-03"))
    assert result.value == 103 and result.met is True
    assert engine.target_for(ind, H1) == 600


def test_bulletins_issued_counts_approved_by_date(year2023):
    from datetime import date as day

    from pregon.bulletins.models import Bulletin

    author = year2023["author"]
    for n, (dated, status) in enumerate(
        [
            (day(2023, 2, 1), "aprobado"),
            (day(2023, 6, 30), "aprobado"),
            (day(2023, 7, 1), "aprobado"),
            (day(2023, 3, 3), "borrador"),  # a draft is not issued
        ],
        start=1,
    ):
        Bulletin.objects.create(
            title=f"Boletín {n}",
            body="Texto",
            author=author,
            dated=dated,
            status=status,
            year=2023 if status == "aprobado" else None,
            number=n if status == "aprobado" else None,
        )
    approved_h1 = Bulletin.objects.filter(status="aprobado", dated__month__lte=6).count()
    assert read(Source.BULLETINS_ISSUED, H1) == approved_h1 == 2
    assert read(Source.BULLETINS_ISSUED, H2) == 1


@pytest.mark.parametrize(
    "scope, account, followers",
    [
        (BaselineScope.INSTITUTIONAL, None, 6900 + 100 * 11),  # X is personal here
        (BaselineScope.ALL, None, (6900 + 100 * 11) + (6900 + 50 * 11)),
        (BaselineScope.ACCOUNT, ChannelKind.X, 6900 + 50 * 11),
    ],
)
def test_followers_baseline_covers_the_accounts_it_says(year2023, scope, account, followers):
    """The baseline is never multiplied: the value sums the accounts the baseline covers."""
    accounts = year2023["accounts"]
    ChannelAccount.objects.filter(pk=accounts[ChannelKind.X].pk).update(is_institutional=False)
    a1 = Plan.objects.get(year=2023).indicators.get(code="A1")
    a1.baseline_scope = scope
    a1.baseline_account = accounts[account] if account else None
    a1.save()
    result = engine.evaluate_period(a1, H1)
    assert result.numerator == followers
    assert result.value == engine.round2(Decimal(100) * (followers - 6900) / 6900)
    note = selectors.baseline_note(a1)
    assert note.startswith("Línea base: 6,900 seguidores al 1 de enero de 2023, en ")
    named = [a.name for a in accounts.values() if a.name in note]
    assert len(named) == (2 if scope == BaselineScope.ALL else 1)
