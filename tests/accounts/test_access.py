"""Personas: Mariana (Coordinación), Ricardo (Enlace de Obras Públicas), Pedro (Consulta)."""

import pytest

from pregon.accounts import access
from pregon.agenda.models import Activity


@pytest.mark.parametrize("url", ["/", "/cuenta/bitacora/", "/cuenta/contrasena/"])
def test_anonymous_reaches_nothing_private(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/cuenta/entrar/")


def test_anonymous_api_gets_401_in_spanish(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Se requiere autenticación")


def test_enlace_cannot_do_what_only_coordinacion_may(mariana, ricardo):
    assert access.can(mariana, "core.browse_audit")
    assert not access.can(ricardo, "core.browse_audit")


def test_enlace_sees_only_own_area(mariana, ricardo, area_factory):
    from django.utils import timezone

    now = timezone.now()
    obras = Activity.objects.create(title="Bacheo", area=ricardo.area, starts_at=now, ends_at=now)
    dif = Activity.objects.create(
        title="Jornada DIF", area=area_factory("SMDIF"), starts_at=now, ends_at=now
    )
    assert list(access.scope_to_area(ricardo, Activity.objects.all())) == [obras]
    assert set(access.scope_to_area(mariana, Activity.objects.all())) == {obras, dif}
    assert access.can_act_for_area(ricardo, ricardo.area_id)
    assert not access.can_act_for_area(ricardo, dif.area_id)


def test_consulta_is_read_only(pedro):
    assert access.can(pedro, "accounts.view_area")
    assert not access.can(pedro, "accounts.change_area")


def test_home_shows_role(client, ricardo):
    client.force_login(ricardo)
    content = client.get("/").content.decode()
    assert "Enlace de área" in content
    assert "Bitácora" not in content  # not in his navigation
