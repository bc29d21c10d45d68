"""The plan's 6,900 followers is one baseline kept in goals (its date and the accounts
it covers, summed); the audience pages compare that sum with it and each account with
its own first figure, never each account with 6,900."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pregon.analytics import baseline, selectors
from pregon.analytics import demo as analytics_demo
from pregon.analytics.models import AccountMetric
from pregon.goals.models import BaselineScope, FormulaKind, Frequency, Indicator, Plan, Source
from pregon.publishing import demo as publishing_demo
from pregon.publishing.models import ChannelAccount


@pytest.fixture
def demo_year(db):
    publishing_demo.load(io.StringIO())
    analytics_demo.load(io.StringIO())


def followers_goal(scope=BaselineScope.INSTITUTIONAL, account=None) -> Indicator:
    year = timezone.localdate().year
    plan = Plan.objects.create(municipality="Chapultepec", year=year, title="Plan")
    return Indicator.objects.create(
        plan=plan,
        code="A3",
        name="Crecimiento de seguidores",
        formula_kind=FormulaKind.GROWTH,
        numerator=Source.FOLLOWERS,
        frequency=Frequency.ANNUAL,
        target=20,
        unit="%",
        baseline=6900,
        baseline_date=date(year, 1, 1),
        baseline_scope=scope,
        baseline_account=account,
    )


def latest_sum(accounts, day) -> int:
    """Counted apart from the selectors: each account's newest figure up to `day`."""
    total = 0
    for account in accounts:
        rows = AccountMetric.objects.filter(account=account, date__lte=day).exclude(followers=None)
        total += rows.order_by("-date").first().followers
    return total


def test_the_dashboard_compares_the_covered_sum_with_the_one_baseline(demo_year, mariana, client):
    followers_goal()
    year = timezone.localdate().year
    institutional = list(
        ChannelAccount.objects.filter(is_institutional=True, metrics__isnull=False).distinct()
    )
    total = latest_sum(institutional, date(year, 12, 31))
    client.force_login(mariana)
    body = client.get(reverse("analytics:dashboard")).content.decode()
    growth = f"{100 * (total - 6900) / 6900:,.1f}"
    note = re.search(r'<p id="plan-baseline">(.*?)</p>', body, re.S).group(1)
    assert "6,900 seguidores al 01/01/" in note and "en las cuentas del Ayuntamiento" in note
    assert f"hoy suman {total:,} ({growth} % de crecimiento)" in note
    # The chart: the baseline beside the covered accounts' sum, not beside each account.
    assert "Suma de las cuentas del Ayuntamiento" in body
    assert f"Línea base del plan (01/01/{year}): 6,900" in body


def test_one_account_is_measured_against_its_own_first_figure(demo_year, mariana, client):
    followers_goal()
    account = ChannelAccount.objects.get(name__startswith="Instagram")
    client.force_login(mariana)
    body = client.get(reverse("analytics:dashboard"), {"cuenta": account.pk}).content.decode()
    assert 'id="plan-baseline"' not in body and "Línea base del plan" not in body
    end = timezone.localdate() - timedelta(days=1)
    first = AccountMetric.objects.get(account=account, date=date(end.year, 1, 1)).followers
    last = AccountMetric.objects.get(account=account, date=end).followers
    summary = selectors.post_summary([account], date(end.year, 1, 1), date(end.year, 12, 31))
    assert summary["growth"] == round(100 * (last - first) / first, 2)


def test_the_baseline_comes_from_goals_with_its_scope(demo_year):
    assert baseline.plan_baseline() is None  # no plan: no baseline, nothing compared
    account = ChannelAccount.objects.get(name__startswith="X")
    followers_goal(BaselineScope.ACCOUNT, account)
    found = baseline.plan_baseline()
    assert found.followers == 6900 and found.account_ids == {account.pk}
    assert found.scope == f"la cuenta {account}"
    progress = selectors.plan_progress(found, timezone.localdate())
    assert progress["followers"] == latest_sum([account], timezone.localdate())


def test_the_home_panel_says_the_plan_baseline_once(demo_year, mariana, client):
    followers_goal()
    client.force_login(mariana)
    page = client.get("/").content.decode()
    assert page.count("Línea base del plan: 6,900 seguidores") == 1
    assert "frente a la línea base de 6,900" not in page
    assert "desde su primera cifra del año" in page


def test_a_changed_baseline_shows_on_the_dashboard_at_once(demo_year, mariana, client):
    """The figures are cached with the baseline; the plan's writes drop them."""
    indicator = followers_goal()
    client.force_login(mariana)
    url = reverse("analytics:dashboard")
    assert "Línea base del plan" in client.get(url, {"vez": 1}).content.decode()
    indicator.baseline = 7100
    indicator.save()
    body = client.get(url, {"vez": 2}).content.decode()
    assert f"Línea base del plan (01/01/{timezone.localdate().year}): 7,100" in body
    indicator.delete()
    assert "Línea base del plan" not in client.get(url, {"vez": 3}).content.decode()
