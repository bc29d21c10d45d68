"""The Coordinación dashboard: indicators with pace, quarters, coverage by area."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from pregon.agenda.models import Activity
from pregon.goals import selectors
from pregon.goals.models import Plan
from pregon.publishing.models import Publication


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def published_h1_by_quarter() -> list[int]:
    rows = Publication.objects.filter(status="publicada", published_at__year=2023)
    return [rows.filter(published_at__quarter=q).count() for q in range(1, 5)]


@pytest.mark.parametrize(
    "who,status", [("mariana", 200), ("pedro", 200), ("laura", 200), ("ricardo", 403)]
)
def test_who_sees_the_dashboard(year2023, request, who, status):
    user = request.getfixturevalue(who)
    assert client_for(user).get("/metas/").status_code == status
    assert client_for(user).get("/metas/sin-publicar/").status_code == status


def test_anonymous_goes_to_login(year2023):
    response = Client().get("/metas/")
    assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]


def test_quarters_against_independent_counts(year2023, mariana):
    response = client_for(mariana).get("/metas/")
    quarters = response.context["quarters"]
    assert [int(q["result"].value) for q in quarters] == published_h1_by_quarter()
    assert all(q["result"].target == 180 for q in quarters)
    assert "Publicaciones por trimestre" in response.content.decode()


def test_coverage_by_area_against_the_database(year2023, mariana):
    response = client_for(mariana).get("/metas/?periodo=2023-H1")
    rows = {r["area"]: r for r in response.context["coverage"]}
    for short, row in rows.items():
        acts = Activity.objects.filter(
            area__short_name=short, is_public=True, starts_at__year=2023, starts_at__month__lte=6
        ).exclude(status="cancelada")
        done = sum(1 for a in acts if a.publications.filter(status="publicada").exists())
        assert (row["registered"], row["published"]) == (acts.count(), done)
    assert response.context["coverage_total"] == {
        "registered": 18,
        "published": 12,
        "percent": 66.7,
    }
    html = response.content.decode()
    assert "12 de 18 (66.7 %)" in html
    assert "/metas/sin-publicar/?periodo=2023-H1&amp;area=OPDU" in html


def test_unpublished_list_is_one_click_away(year2023, mariana):
    response = client_for(mariana).get("/metas/sin-publicar/?periodo=2023-H1&area=SEGPUB")
    listed = {a.title for a in response.context["activities"]}
    # SEGPUB is area index 1: unpublished when (month + 1) % 3 == 0 → months 2 and 5.
    assert listed == {"Acción SEGPUB 02", "Acción SEGPUB 05"}
    assert "Acción SEGPUB 02" in response.content.decode()


def test_pace_midyear(year2023, mariana):
    """At 30 June, P1 (720 a year) projects the H1 rate onto the year."""
    plan = Plan.objects.get(year=2023)
    status = selectors.indicator_status(plan.indicators.get(code="P1"), date(2023, 6, 30))
    done = Publication.objects.filter(
        status="publicada", published_at__year=2023, published_at__month__lte=6
    ).count()
    assert status.result.value == done
    assert status.projected == round(Decimal(done * 365) / 181, 2)
    assert status.on_track is False
    weeks_left = Decimal(365 - 181) / 7
    assert status.per_week_needed == round((720 - done) / weeks_left, 2)
    response = client_for(mariana).get("/metas/?al=2023-06-30")
    assert [q["label"] for q in response.context["quarters"]] == ["T1", "T2"]
    html = response.content.decode()
    row = re.search(r'<tr id="ind-P1">.*?</tr>', html, re.S).group(0)
    assert "rezagado" in row and "por semana" in row and f"{done} publicaciones" in row


def test_year_over_shows_whole_year(year2023, mariana):
    statuses = client_for(mariana).get("/metas/").context["statuses"]
    p1 = next(s for s in statuses if s.indicator.code == "P1")
    assert p1.period.key == "2023" and p1.elapsed == 1
    assert (
        p1.result.value
        == Publication.objects.filter(status="publicada", published_at__year=2023).count()
    )


def test_mistyped_period_explains_itself_and_shows_the_year(year2023, mariana):
    for url, typed in (
        ("/metas/?periodo=2023-H9", "2023-H9"),
        ("/metas/sin-publicar/?periodo=semestre", "semestre"),
    ):
        response = client_for(mariana).get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert f"Periodo «{typed}» no válido: use 2023, 2023-H1" in html
        assert "Se muestra 2023." in html
        assert response.context["period"].key == "2023"


def test_home_panel_lists_indicators_behind(year2023, mariana, pedro):
    html = client_for(mariana).get("/").content.decode()
    assert "Metas rezagadas" in html and "P1 Publicaciones por año" in html
    assert "C1 Acciones de gobierno publicadas" in html  # 66.7 % of acciones < 80 %
    assert "Metas rezagadas" not in client_for(pedro).get("/").content.decode()


def test_dashboard_prints_what_followers_are_measured_against(year2023, mariana):
    html = client_for(mariana).get("/metas/?plan=&al=2023-06-30").content.decode()
    row = re.search(r'<tr id="ind-A1">(.*?)</tr>', html, re.S).group(1)
    assert (
        "Línea base: 6,900 seguidores al 1 de enero de 2023, en las cuentas del Ayuntamiento" in row
    )
    for account in year2023["accounts"].values():
        assert account.name in row
