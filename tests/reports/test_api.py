"""The API gives the same figures as the pages, with the same permissions."""

from pregon.goals import periods
from pregon.reports import figures
from pregon.reports.services import report_issue


def test_period_figures_and_issued_reports(year2023, api_client, mariana, pedro, ricardo):
    response = api_client(pedro).get("/api/v1/reports/periods/2023-H1")
    assert response.status_code == 200
    expected = figures.compute(periods.parse("2023-H1"))
    assert response.json()["tables"]["cobertura"] == expected["tables"]["cobertura"]
    assert api_client(ricardo).get("/api/v1/reports/periods/2023-H1").status_code == 403
    assert api_client(pedro).get("/api/v1/reports/periods/2023-H9").status_code == 404
    report = report_issue(period=periods.parse("2023-H2"), conclusions="Bien.", user=mariana)
    report.refresh_from_db()
    body = api_client(pedro).get(f"/api/v1/reports/issued/{report.pk}").json()
    assert body["conclusions"] == "Bien." and body["figures"] == report.figures


def test_goal_indicators(year2023, api_client, mariana, ricardo):
    rows = api_client(mariana).get("/api/v1/goals/indicators?as_of=2023-06-30").json()
    c1 = next(r for r in rows if r["code"] == "C1")
    assert (c1["period"], c1["value"], c1["target"], c1["on_track"]) == (
        "2023-H1",
        66.67,
        80,
        False,
    )
    p1 = next(r for r in rows if r["code"] == "P1")
    assert p1["projected"] is not None and p1["per_week_needed"] > 0
    assert api_client(ricardo).get("/api/v1/goals/indicators").status_code == 403
