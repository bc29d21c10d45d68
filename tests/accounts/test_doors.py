"""The login doors: the admin's login is throttled like the app's, the throttle
counts per account + address (nobody locks Mariana out from elsewhere) and slows
an attacker down more with each failure."""

import pytest
from django.test import Client

from pregon.accounts import throttle

OFFICE = "198.51.100.7"
ATTACKER = "203.0.113.66"


def login(client: Client, password: str, url: str = "/cuenta/entrar/", user: str = "mariana"):
    return client.post(url, {"username": user, "password": password})


@pytest.fixture
def root(person):
    return person("raiz", is_staff=True, is_superuser=True)


def test_admin_login_is_throttled(root):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(30):
        login(client, "adivinanza", url="/admin/login/", user="raiz")
    response = login(client, "raiz-clave-segura-1", url="/admin/login/", user="raiz")
    assert response.status_code == 200
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_still_works(root):
    client = Client(REMOTE_ADDR=OFFICE)
    response = login(client, "raiz-clave-segura-1", url="/admin/login/", user="raiz")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_failures_elsewhere_do_not_lock_the_owner_out(mariana):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(30):
        login(attacker, "adivinanza")
    assert "Demasiados intentos" in login(attacker, "mariana-clave-segura-1").content.decode()
    owner = Client(REMOTE_ADDR=OFFICE)
    assert login(owner, "mariana-clave-segura-1").status_code == 302


def test_wait_grows_with_each_failure(mariana, settings):
    settings.PREGON_LOGIN_MAX_FAILURES = 3
    waits = []
    for _ in range(6):
        throttle.record_failure("mariana", ATTACKER)
        waits.append(throttle.seconds_to_wait("mariana", ATTACKER))
    assert waits[:2] == [0, 0]
    assert waits[2] > 0 and waits[3] > waits[2] and waits[4] > waits[3]
    assert max(waits) <= settings.PREGON_LOGIN_LOCKOUT_SECONDS


def test_wait_ends_and_the_right_password_then_works(mariana, settings, monkeypatch):
    settings.PREGON_LOGIN_MAX_FAILURES = 2
    client = Client(REMOTE_ADDR=ATTACKER)
    login(client, "mala")
    login(client, "mala")
    assert "Demasiados intentos" in login(client, "mariana-clave-segura-1").content.decode()
    later = throttle._now() + throttle.FIRST_WAIT_SECONDS + 1
    monkeypatch.setattr(throttle, "_now", lambda: later)
    assert login(client, "mariana-clave-segura-1").status_code == 302


def test_one_address_trying_many_accounts_is_slowed(person, settings):
    settings.PREGON_LOGIN_MAX_FAILURES = 2
    for name in ("ana", "beto", "carla", "dora", "eva", "fito", "gil", "hugo"):
        person(name)
    client = Client(REMOTE_ADDR=ATTACKER)
    for name in ("ana", "beto", "carla", "dora", "eva", "fito", "gil", "hugo"):
        login(client, "mala", user=name)
    response = login(client, "ana-clave-segura-1", user="ana")
    assert "Demasiados intentos" in response.content.decode()
    assert login(Client(REMOTE_ADDR=OFFICE), "ana-clave-segura-1", user="ana").status_code == 302


def test_throttle_reads_the_client_behind_a_trusted_proxy(mariana, settings):
    """Behind one proxy every request comes from the proxy's address: the attacker's
    failures must not slow down a citizen or colleague coming through the same proxy."""
    settings.PREGON_TRUSTED_PROXIES = 1
    settings.PREGON_LOGIN_MAX_FAILURES = 2
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=ATTACKER)
    for _ in range(5):
        login(attacker, "mala")
    assert "Demasiados intentos" in login(attacker, "mariana-clave-segura-1").content.decode()
    owner = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=OFFICE)
    assert login(owner, "mariana-clave-segura-1").status_code == 302
