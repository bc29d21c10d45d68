"""Month, week, list and day views with filters; quick creation; rescheduling."""

from datetime import timedelta

import pytest

from pregon.agenda.models import Activity, ActivityChange, ActivityStatus
from tests.agenda.conftest import local


@pytest.fixture
def week(make_activity):
    cabildo = make_activity(
        "Sesión de Cabildo", start=local(2023, 3, 9, 10), area="SECAY", type="cabildo_ordinaria"
    )
    works = make_activity("Arranque de obra Hidalgo", start=local(2023, 3, 10, 11), area="OPDU")
    private = make_activity(
        "Reunión con Tesorería", start=local(2023, 3, 8, 13), area="TES", is_public=False
    )
    return cabildo, works, private


@pytest.mark.parametrize("view", ["mes", "semana", "lista", "dia"])
def test_every_view_shows_the_activities_of_its_period(client, mariana, week, view):
    client.force_login(mariana)
    day = "2023-03-09" if view == "dia" else "2023-03-08"
    response = client.get(f"/agenda/vista/{view}/", {"fecha": day})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Sesión de Cabildo" in content
    if view != "dia":
        assert "Arranque de obra Hidalgo" in content


def test_week_view_is_monday_to_sunday_in_spanish(client, mariana, week):
    client.force_login(mariana)
    content = client.get("/agenda/vista/semana/", {"fecha": "2023-03-09"}).content.decode()
    assert "semana del 6 de marzo al 12 de marzo de 2023" in content
    assert "Lunes 6" in content and "Domingo 12" in content


def test_filters_by_area_type_and_status(client, mariana, week):
    client.force_login(mariana)
    url = "/agenda/vista/lista/"
    content = client.get(url, {"fecha": "2023-03-01", "area": "OPDU"}).content.decode()
    assert "Arranque de obra Hidalgo" in content and "Sesión de Cabildo" not in content
    content = client.get(url, {"fecha": "2023-03-01", "tipo": "cabildo_ordinaria"}).content.decode()
    assert "Sesión de Cabildo" in content and "Arranque de obra" not in content
    cabildo, works, _ = week
    works.status = ActivityStatus.CANCELADA
    works.save()
    content = client.get(url, {"fecha": "2023-03-01", "estado": "cancelada"}).content.decode()
    assert "Arranque de obra Hidalgo" in content and "Sesión de Cabildo" not in content


def test_enlace_sees_only_his_area(client, ricardo, week):
    client.force_login(ricardo)
    content = client.get("/agenda/vista/lista/", {"fecha": "2023-03-01"}).content.decode()
    assert "Arranque de obra Hidalgo" in content
    assert "Sesión de Cabildo" not in content
    cabildo = week[0]
    assert client.get(f"/agenda/actividad/{cabildo.pk}/").status_code == 404


def test_quick_create_with_htmx_redirects_to_the_week(client, ricardo):
    client.force_login(ricardo)
    data = {
        "title": "Entrega de luminarias",
        "day": "2023-05-17",
        "start": "10:00",
        "end": "11:30",
        "area": ricardo.area_id,
        "type": "evento_publico",
    }
    response = client.post("/agenda/rapida/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/agenda/vista/semana/?fecha=2023-05-17"
    activity = Activity.objects.get(title="Entrega de luminarias")
    assert activity.starts_at == local(2023, 5, 17, 10)
    assert activity.created_by == ricardo


def test_quick_create_errors_are_shown_in_spanish(client, ricardo):
    client.force_login(ricardo)
    data = {"title": "X", "day": "2023-05-17", "start": "11:00", "end": "10:00"}
    data.update(area=ricardo.area_id, type="evento_publico")
    response = client.post("/agenda/rapida/", data, HTTP_HX_REQUEST="true")
    assert "La hora de fin debe ser posterior a la de inicio." in response.content.decode()
    assert not Activity.objects.exists()


def test_enlace_cannot_quick_create_for_another_area(client, ricardo, area_factory):
    other = area_factory("SEGPUB")
    client.force_login(ricardo)
    data = {"title": "X", "day": "2023-05-17", "start": "10:00", "end": "11:00"}
    data.update(area=other.pk, type="evento_publico")
    response = client.post("/agenda/rapida/", data)
    assert "Seleccione una opción válida" in response.content.decode()
    assert not Activity.objects.exists()


def test_moving_a_confirmed_activity_keeps_history(client, mariana, make_activity):
    activity = make_activity("Gira", start=local(2023, 6, 1, 10), status=ActivityStatus.CONFIRMADA)
    client.force_login(mariana)
    form = client.get(f"/agenda/actividad/{activity.pk}/editar/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "campaign"}
    data.update(
        starts_at="2023-06-02T10:00",
        ends_at="2023-06-02T12:00",
        area=activity.area_id,
        reason="Lluvias",
    )
    response = client.post(f"/agenda/actividad/{activity.pk}/editar/", data)
    assert response.status_code == 302, response.context["form"].errors
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.REPROGRAMADA
    change = ActivityChange.objects.get(activity=activity)
    assert change.old_starts_at == local(2023, 6, 1, 10)
    assert change.reason == "Lluvias"
    detail = client.get(f"/agenda/actividad/{activity.pk}/").content.decode()
    assert "Lluvias" in detail and "reprogramada" in detail


def test_status_change_is_recorded(client, ana, make_activity):
    activity = make_activity("Audiencia", area="PRES", start=local(2023, 6, 1, 10))
    client.force_login(ana)
    client.post(
        f"/agenda/actividad/{activity.pk}/estado/", {"status": "cancelada", "reason": "Agenda"}
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELADA
    assert activity.changes.get().from_status == ActivityStatus.PROPUESTA


def test_anonymous_is_sent_to_login(client):
    response = client.get("/agenda/")
    assert response.status_code == 302 and "/cuenta/entrar/" in response["Location"]


def test_home_panels_for_presidencia_and_fotografia(client, ana, luis, make_activity):
    from django.utils import timezone

    from pregon.agenda import services

    # Under way right now, so it is on today's agenda whatever the time of day.
    now = timezone.now()
    activity = make_activity("Izamiento de bandera", area="PRES", start=now, hours=1)
    make_activity("Ceremonia próxima", area="PRES", start=now + timedelta(days=2))
    client.force_login(ana)
    content = client.get("/").content.decode()
    assert "Agenda de hoy" in content
    assert "Izamiento de bandera" in content
    assert f"{timezone.localtime(now):%H:%M} · PRES" in content
    assert "Ceremonia próxima" not in content
    services.coverage_assign(
        activity=activity, kind="fotografia", assignee=luis, user=_coordinator(), notes=""
    )
    client.force_login(luis)
    content = client.get("/").content.decode()
    assert "Mis coberturas" in content and "Fotografía: Izamiento de bandera" in content


def _coordinator():
    from pregon.accounts.models import User
    from pregon.accounts.roles import group_for

    user = User.objects.create_user("coord2", password="x-clave-segura-1")
    user.groups.add(group_for("coordinacion"))
    return User.objects.get(pk=user.pk)


def test_mayor_agenda_filter(client, ana, make_activity):
    make_activity("Gira", start=local(2023, 3, 9, 10), area="PRES", with_mayor=True)
    make_activity("Reunión interna", start=local(2023, 3, 9, 12), area="PRES")
    client.force_login(ana)
    content = client.get(
        "/agenda/vista/lista/", {"fecha": "2023-03-01", "presidenta": "1"}
    ).content.decode()
    assert "Gira" in content and "Reunión interna" not in content
