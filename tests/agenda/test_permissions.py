"""Who may open what in the agenda, role by role."""

import pytest
from openapi_spec_validator import validate

PAGES = {
    "/agenda/vista/semana/": {
        "coordinacion",
        "presidencia",
        "enlace",
        "redaccion",
        "diseno",
        "fotografia",
        "consulta",
    },
    "/agenda/nueva/": {"coordinacion", "presidencia", "enlace"},
    "/agenda/importar/": {"coordinacion", "presidencia", "enlace"},
    "/agenda/jerarquizacion/": {"coordinacion", "presidencia", "redaccion", "consulta"},
    "/agenda/jerarquizacion/reglas/": {"coordinacion"},
    "/agenda/cobertura/": {
        "coordinacion",
        "presidencia",
        "enlace",
        "redaccion",
        "diseno",
        "fotografia",
        "consulta",
    },
}
ROLES = ["coordinacion", "presidencia", "enlace", "redaccion", "diseno", "fotografia", "consulta"]


@pytest.mark.parametrize("role", ROLES)
def test_page_access_by_role(client, person, role):
    user = person(f"u-{role}", role, area="OPDU")
    client.force_login(user)
    for url, allowed in PAGES.items():
        expected = 200 if role in allowed else 403
        assert client.get(url).status_code == expected, (role, url)


def test_user_without_role_sees_nothing(client, person):
    client.force_login(person("nadie"))
    assert client.get("/agenda/").status_code == 403
    assert client.get("/agenda/publica.ics").status_code == 200


def test_only_coordinacion_and_own_assignee_close_coverage(api_client, person, make_activity):
    from pregon.agenda import services
    from pregon.agenda.models import CoverageStatus

    coord = person("coord", "coordinacion", area="COMSOC")
    luis = person("luis", "fotografia", area="COMSOC")
    diseno = person("fer", "diseno", area="COMSOC")
    activity = make_activity("Evento")
    assignment, _ = services.coverage_assign(
        activity=activity, kind="video", assignee=luis, user=coord
    )
    url = f"/api/v1/coverage/{assignment.pk}/covered"
    assert api_client(diseno).post(url).status_code == 403
    assert api_client(person("p", "consulta")).post(url).status_code == 403
    assignment.refresh_from_db()
    assert assignment.status == CoverageStatus.ASIGNADA  # the refusals changed nothing
    assert api_client(coord).post(url).status_code == 200
    assignment.refresh_from_db()
    assert assignment.status == CoverageStatus.CUBIERTA


def test_openapi_lists_agenda_endpoints(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    validate(spec)
    for path in (
        "/api/v1/activities",
        "/api/v1/activities/{activity_id}",
        "/api/v1/activities/import-ics",
        "/api/v1/priority-queue",
        "/api/v1/activities/{activity_id}/coverage",
        "/api/v1/coverage/{assignment_id}/covered",
    ):
        assert path in spec["paths"], path
