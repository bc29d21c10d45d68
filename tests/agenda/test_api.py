"""The agenda API: activities, import, priority queue, coverage; per-role access."""

import pytest

from pregon.agenda.models import Activity, CoverageStatus
from tests.agenda.conftest import DATA, local


@pytest.fixture
def opdu_activity(make_activity):
    return make_activity("Obra Hidalgo", start=local(2023, 5, 4, 11), area="OPDU")


def test_enlace_creates_for_his_area_and_not_for_others(api_client, ricardo, area_factory):
    area_factory("SEGPUB")
    client = api_client(ricardo)
    body = {
        "title": "Arranque de obra",
        "starts_at": "2023-05-04T11:00:00-06:00",
        "ends_at": "2023-05-04T12:30:00-06:00",
        "area": "OPDU",
        "type": "inauguracion_obra",
        "with_mayor": True,
    }
    response = client.post("/api/v1/activities", body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["tier"], data["priority_score"]) == ("A", 40 + 30 + 10)
    assert {t["label"] for t in data["priority_terms"]} >= {"Con la Presidenta Municipal"}
    response = client.post(
        "/api/v1/activities", {**body, "area": "SEGPUB"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Solo puede registrar actividades de su propia área."
    assert Activity.objects.count() == 1


def test_consulta_reads_but_cannot_write(api_client, pedro, opdu_activity):
    client = api_client(pedro)
    listed = client.get("/api/v1/activities")
    assert [a["title"] for a in listed.json()["items"]] == ["Obra Hidalgo"]
    response = client.patch(
        f"/api/v1/activities/{opdu_activity.pk}", {"title": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    opdu_activity.refresh_from_db()
    assert opdu_activity.title == "Obra Hidalgo"


def test_list_filters_and_scope(api_client, mariana, ricardo, make_activity, opdu_activity):
    make_activity("Cabildo", start=local(2023, 5, 4, 10), area="SECAY", type="cabildo_ordinaria")
    titles = lambda r: [a["title"] for a in r.json()["items"]]  # noqa: E731
    assert titles(api_client(ricardo).get("/api/v1/activities")) == ["Obra Hidalgo"]
    everything = api_client(mariana).get("/api/v1/activities")
    assert titles(everything) == ["Cabildo", "Obra Hidalgo"]
    only = api_client(mariana).get("/api/v1/activities", {"type": "cabildo_ordinaria"})
    assert titles(only) == ["Cabildo"]
    window = api_client(mariana).get(
        "/api/v1/activities",
        {"start": "2023-05-04T10:30:00-06:00", "end": "2023-05-05T00:00:00-06:00"},
    )
    assert titles(window) == ["Cabildo", "Obra Hidalgo"]  # 10:00–12:00 overlaps 10:30


def test_patch_reschedules_and_changes_status(api_client, mariana, opdu_activity):
    client = api_client(mariana)
    response = client.patch(
        f"/api/v1/activities/{opdu_activity.pk}",
        {"status": "confirmada"},
        content_type="application/json",
    )
    assert response.json()["status"] == "confirmada"
    response = client.patch(
        f"/api/v1/activities/{opdu_activity.pk}",
        {
            "starts_at": "2023-05-05T11:00:00-06:00",
            "ends_at": "2023-05-05T13:00:00-06:00",
            "reason": "Lluvia",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "reprogramada"
    assert opdu_activity.changes.filter(reason="Lluvia").exists()
    bad = client.patch(
        f"/api/v1/activities/{opdu_activity.pk}",
        {"ends_at": "2023-05-01T10:00:00-06:00"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"]["ends_at"] == ["El fin no puede ser anterior al inicio."]


def test_enlace_cannot_see_other_areas_by_id(api_client, ricardo, make_activity):
    other = make_activity("Cabildo", area="SECAY")
    assert api_client(ricardo).get(f"/api/v1/activities/{other.pk}").status_code == 404


def test_import_ics_via_api(api_client, ana, pres):
    client = api_client(ana)
    with open(DATA / "google_cabildo_2023.ics", "rb") as handle:
        response = client.post(
            "/api/v1/activities/import-ics", {"file": handle, "area": "PRES", "dry_run": "true"}
        )
    assert response.status_code == 200, response.content
    assert response.json()["creadas"] == 10 and Activity.objects.count() == 0
    with open(DATA / "broken_ical.ics", "rb") as handle:
        response = client.post("/api/v1/activities/import-ics", {"file": handle, "area": "PRES"})
    assert response.status_code == 422
    assert response.json()["errors"]["file"][0].startswith("Línea 4:")


def test_priority_queue_and_coverage_endpoints(api_client, mariana, person, make_activity):
    from django.utils import timezone

    luis = person("luis", "fotografia", area="COMSOC")
    soon = timezone.now() + timezone.timedelta(days=1)
    first = make_activity("Sesión solemne", start=soon, type="cabildo_solemne", with_mayor=True)
    second = make_activity("Rueda de prensa", start=soon + timezone.timedelta(minutes=30))
    client = api_client(mariana)
    queue = client.get("/api/v1/priority-queue").json()["items"]
    assert [row["title"] for row in queue] == ["Sesión solemne", "Rueda de prensa"]
    assert queue[0]["coverage_state"] == "Sin cobertura"
    assert [row["published"] for row in queue] == [False, False]
    created = client.post(
        f"/api/v1/activities/{first.pk}/coverage",
        {"kind": "fotografia", "assignee": "luis"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["conflicts"] == []
    # Luis is already at the session: the overlap is refused until confirmed.
    clash = client.post(
        f"/api/v1/activities/{second.pk}/coverage",
        {"kind": "fotografia", "assignee": "luis"},
        content_type="application/json",
    )
    assert clash.status_code == 409 and "confirm=true" in clash.json()["detail"]
    assert [c["activity_id"] for c in clash.json()["conflicts"]] == [first.pk]
    assert client.get(f"/api/v1/activities/{second.pk}/coverage").json()["items"] == []
    confirmed = client.post(
        f"/api/v1/activities/{second.pk}/coverage",
        {"kind": "fotografia", "assignee": "luis", "confirm": True},
        content_type="application/json",
    )
    assert confirmed.status_code == 201
    assert [c["activity_id"] for c in confirmed.json()["conflicts"]] == [first.pk]
    assignment_id = created.json()["assignment"]["id"]
    assert (
        api_client(luis).post(f"/api/v1/coverage/{assignment_id}/covered").json()["status"]
        == CoverageStatus.CUBIERTA
    )
    listed = client.get(f"/api/v1/activities/{first.pk}/coverage").json()["items"]
    assert listed[0]["assignee"] == "luis"
    assert api_client(luis).get("/api/v1/priority-queue").status_code == 403


def test_override_via_api_needs_reason(api_client, mariana, opdu_activity):
    client = api_client(mariana)
    url = f"/api/v1/activities/{opdu_activity.pk}/priority"
    tier = opdu_activity.tier
    bad = client.post(url, {"tier": "A", "reason": " "}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["errors"]["reason"] == ["Indique el motivo del ajuste de prioridad."]
    opdu_activity.refresh_from_db()
    assert (opdu_activity.tier, opdu_activity.priority_override) == (tier, "")
    ok = client.post(
        url, {"tier": "A", "reason": "Visita del gobernador"}, content_type="application/json"
    )
    assert ok.json()["tier"] == "A"
    opdu_activity.refresh_from_db()
    assert opdu_activity.tier == "A"
    assert opdu_activity.priority_override_reason == "Visita del gobernador"


def test_anonymous_gets_401(api_client):
    assert api_client().get("/api/v1/activities").status_code == 401
