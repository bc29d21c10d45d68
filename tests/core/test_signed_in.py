"""The signed-in person and their permissions come from the cache
(core/signed_in.py), but a change of roles, permissions, password or of the person
counts from the very next request."""

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGE = "/publicaciones/"


def _status(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PAGE)
    return response.status_code, len(ctx.captured_queries)


def test_person_and_permissions_are_read_once(client, person):
    client.force_login(person("irma", "coordinacion"))
    first = _status(client)
    again = _status(client)
    assert first[0] == again[0] == 200 and again[1] < first[1] and again[1] <= 1


def test_role_taken_away_counts_at_once(client, person):
    user = person("julio", "coordinacion")
    client.force_login(user)
    assert _status(client)[0] == 200
    assert _status(client)[0] == 200  # now from the cache
    user.groups.clear()
    assert _status(client)[0] == 403


def test_permission_taken_from_the_role_counts_at_once(client, person):
    user = person("karla", "coordinacion")
    client.force_login(user)
    assert _status(client)[0] == 200
    for group in Group.objects.filter(user=user):
        group.permissions.clear()
    assert _status(client)[0] == 403


def test_deactivated_or_new_password_signs_out(client, person):
    user = person("lalo", "coordinacion")
    client.force_login(user)
    assert _status(client)[0] == 200
    user.set_password("otra-clave-segura-2")
    user.save()
    assert client.get(PAGE).status_code == 302  # to the login page
    client.force_login(user)
    assert _status(client)[0] == 200
    user.is_active = False
    user.save()
    assert client.get(PAGE).status_code == 302


def test_roles_are_kept_with_the_person_and_count_at_once(person):
    from pregon.accounts import access
    from pregon.core.signed_in import CachedModelBackend

    user = person("lucia", "consulta")
    backend = CachedModelBackend()
    assert not access.has_role(backend.get_user(user.pk), "coordinacion")
    with CaptureQueriesContext(connection) as ctx:
        again = backend.get_user(user.pk)
        assert access.has_role(again, "consulta") and not access.has_role(again, "coordinacion")
    assert ctx.captured_queries == []  # person, permissions and roles from the cache
    user.groups.add(Group.objects.get(name=access.Role("coordinacion").label))
    assert access.has_role(backend.get_user(user.pk), "coordinacion")
