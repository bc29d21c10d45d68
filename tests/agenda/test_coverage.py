"""Coverage: suggested sets by tier, overlap warnings with travel margin, each
person's week, and "marcar como cubierta"."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from pregon.agenda import services
from pregon.agenda.models import CoverageAssignment, CoverageStatus
from tests.agenda.conftest import local


@pytest.fixture
def cabildo(make_activity):
    return make_activity(
        "Sesión solemne",
        start=local(2023, 9, 14, 10),
        hours=2,
        type="cabildo_solemne",
        with_mayor=True,
        area="SECAY",
    )


def test_tier_suggests_the_default_set(make_activity, cabildo):
    assert cabildo.tier == "A"
    assert services.default_kinds(cabildo) == ["fotografia", "video", "redaccion", "transmision"]
    tier_b = make_activity("Jornada", type="evento_publico", public_interest=True)
    assert tier_b.tier == "B"
    assert services.default_kinds(tier_b) == ["fotografia", "redaccion"]
    tier_c = make_activity("Reunión", type="reunion_trabajo")
    assert services.default_kinds(tier_c) == []


def test_enlace_requests_coverage_for_his_area_only(ricardo, make_activity, cabildo):
    works = make_activity("Obra", type="inauguracion_obra", with_mayor=True, area="OPDU")
    created = services.coverage_request(activity=works, user=ricardo)
    assert [c.kind for c in created] == ["fotografia", "video", "redaccion"]
    assert {c.status for c in created} == {CoverageStatus.PLANEADA}
    assert services.coverage_request(activity=works, user=ricardo) == []  # no duplicates
    with pytest.raises(PermissionDenied):
        services.coverage_request(activity=cabildo, user=ricardo)


def test_overlap_is_flagged_with_the_travel_margin(settings, mariana, luis, make_activity, cabildo):
    settings.PREGON_COVERAGE_TRAVEL_MARGIN_MINUTES = 30
    # Ends 10:00 + 2 h = 12:00; another event at 12:20 is within the 30-minute margin.
    close = make_activity("Entrega de apoyos", start=local(2023, 9, 14, 12, 20), hours=1)
    far = make_activity("Torneo", start=local(2023, 9, 14, 14, 0), hours=1)
    services.coverage_assign(activity=cabildo, kind="fotografia", assignee=luis, user=mariana)
    _, conflicts = services.coverage_assign(
        activity=close, kind="fotografia", assignee=luis, user=mariana
    )
    assert [c.activity for c in conflicts] == [cabildo]
    _, conflicts = services.coverage_assign(activity=far, kind="video", assignee=luis, user=mariana)
    assert conflicts == []
    settings.PREGON_COVERAGE_TRAVEL_MARGIN_MINUTES = 90  # 12:30–16:30 now reaches 13:20
    assert [c.activity for c in services.conflicts_for(luis, far)] == [close]


def test_conflict_warning_shows_before_saving(client, mariana, luis, make_activity, cabildo):
    overlap = make_activity("Rueda de prensa", start=local(2023, 9, 14, 11), hours=1)
    services.coverage_assign(activity=cabildo, kind="fotografia", assignee=luis, user=mariana)
    client.force_login(mariana)
    data = {"activity": overlap.pk, "kind": "fotografia", "assignee": luis.pk, "notes": ""}
    response = client.post(f"/agenda/actividad/{overlap.pk}/asignar/", data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Atención: traslape." in content and "«Sesión solemne»" in content
    assert "Asignar de todos modos" in content
    assert 'name="confirm" value="True"' in content or 'name="confirm" value="1"' in content
    assert not overlap.coverage.exists()  # nothing saved until confirmed
    response = client.post(
        f"/agenda/actividad/{overlap.pk}/asignar/", {**data, "confirm": "1"}, follow=True
    )
    content = response.content.decode()
    assert overlap.coverage.get().assignee == luis
    assert "Atención: Luis ya cubre «Sesión solemne»" in content
    week = client.get("/agenda/cobertura/", {"persona": luis.pk, "fecha": "2023-09-14"})
    assert "Traslape con «Rueda de prensa»" in week.content.decode()


def test_live_check_and_htmx_flow(client, mariana, luis, sofia, make_activity, cabildo):
    overlap = make_activity("Rueda de prensa", start=local(2023, 9, 14, 11), hours=1)
    services.coverage_assign(activity=cabildo, kind="video", assignee=luis, user=mariana)
    client.force_login(mariana)
    check = client.get(
        "/agenda/cobertura/verificar/", {"activity": overlap.pk, "assignee": luis.pk}
    )
    assert "Atención: traslape." in check.content.decode()
    free = client.get(
        "/agenda/cobertura/verificar/", {"activity": overlap.pk, "assignee": sofia.pk}
    )
    assert free.content.decode().strip() == ""
    htmx = {"HTTP_HX_REQUEST": "true"}
    data = {
        "activity": overlap.pk,
        "kind": "fotografia",
        "assignee": sofia.pk,
        "form_id": "assign-p9",
        "next": "/agenda/jerarquizacion/",
    }
    done = client.post("/agenda/cobertura/asignar/", data, **htmx)
    assert done.status_code == 204 and done["HX-Redirect"] == "/agenda/jerarquizacion/"
    assert overlap.coverage.get().assignee == sofia
    data = {**data, "assignee": luis.pk, "kind": "audio", "next": "https://otro.example/"}
    warn = client.post("/agenda/cobertura/asignar/", data, **htmx)
    assert "Asignar de todos modos" in warn.content.decode()
    assert 'id="assign-p9"' in warn.content.decode()  # the fragment replaces the form
    kept = client.post("/agenda/cobertura/asignar/", {**data, "confirm": "1"}, **htmx)
    assert kept["HX-Redirect"] == "/agenda/cobertura/"  # foreign `next` is ignored
    assert overlap.coverage.filter(assignee=luis, kind="audio").exists()


def test_assigning_fills_the_requested_slot(mariana, luis, cabildo):
    services.coverage_request(activity=cabildo, user=mariana)
    assignment, _ = services.coverage_assign(
        activity=cabildo, kind="video", assignee=luis, user=mariana
    )
    assert cabildo.coverage.count() == 4  # the planned video slot was filled, not doubled
    assert assignment.status == CoverageStatus.ASIGNADA


def test_default_set_in_one_click_from_the_queue(client, mariana, make_activity):
    soon = make_activity(
        "Sesión de cabildo",
        type="cabildo_ordinaria",
        with_mayor=True,
        area="SECAY",
        status="confirmada",
    )
    assert soon.tier == "A"
    client.force_login(mariana)
    page = client.get("/agenda/jerarquizacion/").content.decode()
    assert "Crear cobertura sugerida (Fotografía, Video, Redacción, Transmisión en vivo)" in page
    assert f'id="assign-a{soon.pk}"' in page
    response = client.post(
        f"/agenda/actividad/{soon.pk}/solicitar-cobertura/", HTTP_HX_REQUEST="true"
    )
    assert "Cobertura creada: Fotografía, Video, Redacción, Transmisión en vivo." in (
        response.content.decode()
    )
    assert sorted(soon.coverage.values_list("kind", flat=True)) == [
        "fotografia",
        "redaccion",
        "transmision",
        "video",
    ]
    page = client.get("/agenda/jerarquizacion/").content.decode()
    assert "Crear cobertura sugerida" not in page
    assert "Por asignar (4 de 4)" in page


def test_person_week_lists_only_that_week(client, luis, mariana, make_activity, cabildo):
    later = make_activity("Otra semana", start=cabildo.starts_at + timedelta(days=10))
    for activity in (cabildo, later):
        services.coverage_assign(activity=activity, kind="video", assignee=luis, user=mariana)
    client.force_login(luis)
    content = client.get("/agenda/cobertura/", {"fecha": "2023-09-11"}).content.decode()
    assert "Semana de Luis" in content
    assert "Sesión solemne" in content and "Otra semana" not in content


def test_mark_covered_asks_for_the_material(client, luis, sofia, mariana, cabildo):
    assignment, _ = services.coverage_assign(
        activity=cabildo, kind="fotografia", assignee=luis, user=mariana
    )
    client.force_login(sofia)
    response = client.post(f"/agenda/cobertura/{assignment.pk}/cubierta/", {"notes": ""})
    assert response.status_code == 403
    client.force_login(luis)
    page = client.get(f"/agenda/cobertura/{assignment.pk}/cubierta/").content.decode()
    assert f'href="/archivo/?activity={cabildo.pk}"' in page
    client.post(f"/agenda/cobertura/{assignment.pk}/cubierta/", {"notes": "120 fotos"})
    assignment.refresh_from_db()
    assert assignment.status == CoverageStatus.CUBIERTA
    assert "120 fotos" in assignment.notes


def test_cancelling_an_activity_cancels_pending_coverage(mariana, luis, cabildo):
    services.coverage_assign(activity=cabildo, kind="video", assignee=luis, user=mariana)
    services.change_status(cabildo, "cancelada", mariana, "Se pospone")
    assert CoverageAssignment.objects.get().status == CoverageStatus.CANCELADA
    assert services.conflicts_for(luis, cabildo) == []


def test_only_coordinacion_assigns(client, ricardo, luis, cabildo):
    with pytest.raises(PermissionDenied):
        services.coverage_assign(activity=cabildo, kind="video", assignee=luis, user=ricardo)
    client.force_login(luis)
    response = client.post(f"/agenda/actividad/{cabildo.pk}/asignar/", {"kind": "video"})
    assert response.status_code == 403


def test_assign_pages_are_for_coordinacion_only(client, ricardo, luis, cabildo):
    client.force_login(ricardo)
    check = client.get(
        "/agenda/cobertura/verificar/", {"activity": cabildo.pk, "assignee": luis.pk}
    )
    assert check.status_code == 403
    data = {"activity": cabildo.pk, "kind": "video", "assignee": luis.pk, "confirm": "1"}
    assert client.post("/agenda/cobertura/asignar/", data).status_code == 403
    assert "Asignar a" not in client.get("/agenda/cobertura/").content.decode()
    assert not CoverageAssignment.objects.exists()
