"""Dashboards show the demo year with definitions next to the figures; who may see them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pregon.analytics import charts, selectors
from pregon.analytics import demo as analytics_demo
from pregon.analytics.models import AccountMetric, PageVisitDay, PostMetric, Purpose, PurposeRule
from pregon.publishing import demo as publishing_demo

YEAR = timezone.localdate().year


@pytest.fixture
def demo_year(db):
    import io

    publishing_demo.load(io.StringIO())
    analytics_demo.load(io.StringIO())


def test_demo_year_is_plausible_and_idempotent(demo_year):
    import io

    counts = (
        AccountMetric.objects.count(),
        PostMetric.objects.count(),
        PageVisitDay.objects.count(),
    )
    analytics_demo.load(io.StringIO())
    assert counts == (
        AccountMetric.objects.count(),
        PostMetric.objects.count(),
        PageVisitDay.objects.count(),
    )
    today = timezone.localdate()
    january = AccountMetric.objects.filter(date=date(today.year, 1, 1))
    assert january.count() == 4  # Facebook ×2, Instagram, X
    assert all(6850 <= m.followers <= 6950 for m in january)
    assert not AccountMetric.objects.filter(date__gte=today).exists()  # measured up to yesterday
    latest = AccountMetric.objects.filter(date=today - timedelta(days=1))
    grown = 6900 + 4 * (today - date(today.year, 1, 1)).days  # the slowest account's pace
    assert latest.count() == 4 and all(m.followers >= min(grown, 7500) for m in latest)
    likes = list(PostMetric.objects.values_list("reactions", flat=True))
    in_band = sum(1 for n in likes if 50 <= n <= 200)
    assert in_band / len(likes) > 0.8


def test_coordinacion_sees_social_dashboard_with_definitions(demo_year, mariana, client):
    client.force_login(mariana)
    response = client.get(reverse("analytics:dashboard"))  # the current year by default
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") == 4
    assert "6,900" not in body  # no plan baseline set: no account is compared with it
    assert "Rango del plan: 50–200" in body
    from django.utils.html import escape

    from pregon.analytics.definitions import DEFINITIONS

    for key in ("growth", "engagement_reach", "engagement_followers", "avg_interactions"):
        assert escape(DEFINITIONS[key].text) in body  # each definition shown in full


def test_summary_figures_follow_the_definitions(demo_year):

    from pregon.publishing.models import ChannelAccount

    account = ChannelAccount.objects.get(name__startswith="Instagram")
    end = timezone.localdate() - timedelta(days=1)  # the last measured day
    start = date(end.year, 1, 1)
    posts = list(PostMetric.objects.filter(account=account))
    summary = selectors.post_summary([account], start, end)
    total = sum(p.reactions + p.comments + p.shares + p.saves for p in posts)
    assert summary["posts"] == len(posts)
    assert summary["avg_interactions"] == round(total / len(posts), 1)
    assert summary["engagement_reach"] == round(100 * total / sum(p.reach for p in posts), 2)
    last = AccountMetric.objects.get(account=account, date=end).followers
    first = AccountMetric.objects.get(account=account, date=start).followers
    assert summary["growth"] == round(100 * (last - first) / first, 2)  # its own start


def test_portal_dashboard_and_purpose_rules(demo_year, mariana, client):
    client.force_login(mariana)
    body = client.get(reverse("analytics:portal"), {"anio": YEAR}).content.decode()
    assert "Trámites" in body and "/tramites/predial/" in body
    response = client.post(
        reverse("analytics:rules"), {"prefix": "/directorio/", "purpose": Purpose.TOPICS}
    )
    assert response.status_code == 302
    assert PurposeRule.objects.filter(prefix="/directorio/").exists()
    assert set(
        PageVisitDay.objects.filter(path="/directorio/").values_list("purpose", flat=True)
    ) == {Purpose.TOPICS}
    bad = client.post(reverse("analytics:rules"), {"prefix": "sin-diagonal", "purpose": "otros"})
    assert "debe empezar con «/»" in bad.content.decode()


def test_consulta_reads_but_cannot_edit_rules(demo_year, pedro, client):
    client.force_login(pedro)
    social = client.get(reverse("analytics:dashboard"), {"anio": YEAR}).content.decode()
    assert "Audiencias: redes sociales" in social and "Seguidores por día" in social
    portal = client.get(reverse("analytics:portal"), {"anio": YEAR}).content.decode()
    assert "Visitas por propósito" in portal and "/tramites/predial/" in portal
    assert "Reglas de propósito" not in portal and "Editar las reglas" not in portal
    assert client.get(reverse("analytics:rules")).status_code == 403
    refused = client.post(reverse("analytics:rules"), {"prefix": "/x/", "purpose": "temas"})
    assert refused.status_code == 403 and not PurposeRule.objects.filter(prefix="/x/").exists()


def test_enlace_cannot_see_audiences(ricardo, client):
    client.force_login(ricardo)
    assert client.get(reverse("analytics:dashboard")).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("analytics:dashboard"))
    assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]


def test_charts_escape_labels_and_describe_themselves():

    svg = charts.line_chart(
        {"<b>Cuenta</b>": [(date(2023, 1, 1), 6900), (date(2023, 2, 1), 7100)]},
        title="Seguidores",
        baseline=6900,
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "<title>Seguidores</title>" in svg and "de 6,900 a 7,100" in svg
    empty = charts.bar_chart([], title="Nada")
    assert "Sin datos" in empty
