"""The API gives the same figures as the pages, with the same permissions."""

import pytest

from pregon.goals import periods
from pregon.publishing.models import Publication
from pregon.reports.services import report_issue

# How the fixture year is built (tests/goals/factories.py): in H1, 12 public acciones
# published, 6 private reunions, 2 + m notices in month m, and two local-time edge posts.
PUBLISHED_H1 = 12 + 6 + sum(2 + m for m in range(1, 7)) + 2


def test_period_figures_and_issued_reports(year2023, api_client, mariana, pedro, ricardo):
    response = api_client(pedro).get("/api/v1/reports/periods/2023-H1")
    assert response.status_code == 200
    data = response.json()
    assert data["period"]["label"] == "Primer semestre de 2023"
    # 3 areas × 6 months of public acciones; 12 of them published; 6 left to cover.
    assert data["tables"]["cobertura"]["rows"][-1] == ["Total", 18, 12, 66.7, 6]
    publications = data["tables"]["publicaciones"]
    total = publications["rows"][-1][publications["columns"].index("Publicaciones")]
    assert total == PUBLISHED_H1
    assert api_client(ricardo).get("/api/v1/reports/periods/2023-H1").status_code == 403
    assert api_client(pedro).get("/api/v1/reports/periods/2023-H9").status_code == 404
    report = report_issue(period=periods.parse("2023-H2"), conclusions="Bien.", user=mariana)
    report.refresh_from_db()
    body = api_client(pedro).get(f"/api/v1/reports/issued/{report.pk}").json()
    assert body["conclusions"] == "Bien." and body["figures"] == report.figures
    assert body["figures"]["period"]["label"] == "Segundo semestre de 2023"
    assert body["figures"]["tables"]["cobertura"]["rows"][-1][1:3] == [18, 12]


def test_goal_indicators(year2023, api_client, mariana, ricardo):
    rows = api_client(mariana).get("/api/v1/goals/indicators?as_of=2023-06-30").json()["items"]
    c1 = next(r for r in rows if r["code"] == "C1")
    assert (c1["period"], c1["value"], c1["target"], c1["on_track"]) == (
        "2023-H1",
        66.67,
        80,
        False,
    )
    p1 = next(r for r in rows if r["code"] == "P1")
    done = Publication.objects.filter(
        status="publicada", published_at__year=2023, published_at__month__lte=6
    ).count()
    assert done == PUBLISHED_H1
    # 181 of 365 days lived by 30 June: project the pace, and what 720 needs per week.
    assert (p1["period"], p1["value"], p1["target"]) == ("2023", done, 720)
    assert p1["projected"] == pytest.approx(done * 365 / 181, abs=0.005)
    assert p1["per_week_needed"] == pytest.approx((720 - done) / ((365 - 181) / 7), abs=0.005)
    assert p1["on_track"] is False
    assert api_client(ricardo).get("/api/v1/goals/indicators").status_code == 403
