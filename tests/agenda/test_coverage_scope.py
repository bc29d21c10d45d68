"""Another person's coverage week, seen by an Enlace de área: their own area's
activities in full, another area's only as busy time (no title, no link), also in
the overlap warnings."""

from pregon.agenda import services
from tests.agenda.conftest import local


def test_enlace_sees_other_areas_private_work_only_as_busy(
    client, mariana, ricardo, luis, make_activity
):
    secret = make_activity(
        "Reunión privada con sindicato", start=local(2023, 9, 14, 10), area="TESO", is_public=False
    )
    own = make_activity("Bacheo en San Miguel", start=local(2023, 9, 14, 11), area="OPDU")
    for activity in (secret, own):
        services.coverage_assign(activity=activity, kind="fotografia", assignee=luis, user=mariana)
    client.force_login(ricardo)  # Enlace of OPDU
    week = client.get("/agenda/cobertura/", {"persona": luis.pk, "fecha": "2023-09-14"})
    assert week.status_code == 200
    content = week.content.decode()
    assert "Reunión privada con sindicato" not in content
    assert f"/agenda/actividad/{secret.pk}/" not in content
    assert "Ocupado: actividad de otra área" in content
    assert "Traslape con una actividad de otra área" in content
    assert "Bacheo en San Miguel" in content


def test_coordinacion_sees_every_activity(client, mariana, luis, make_activity):
    secret = make_activity(
        "Reunión privada con sindicato", start=local(2023, 9, 14, 10), area="TESO", is_public=False
    )
    services.coverage_assign(activity=secret, kind="fotografia", assignee=luis, user=mariana)
    client.force_login(mariana)
    week = client.get("/agenda/cobertura/", {"persona": luis.pk, "fecha": "2023-09-14"})
    assert "Reunión privada con sindicato" in week.content.decode()
