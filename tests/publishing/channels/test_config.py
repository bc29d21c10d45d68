"""A network's settings live in its package: Django settings win, then the environment,
then the package's default — so adding a network never touches settings.py."""

from pregon.publishing.channels.config import NetworkSettings
from pregon.publishing.channels.telegram.conf import conf as telegram


def test_default_then_environment_then_django_settings(monkeypatch, settings):
    conf = NetworkSettings(PREGON_PALOMA_API_URL="https://api.paloma.example")
    assert conf.PREGON_PALOMA_API_URL == "https://api.paloma.example"
    monkeypatch.setenv("PREGON_PALOMA_API_URL", "https://espejo.paloma.example")
    assert conf.PREGON_PALOMA_API_URL == "https://espejo.paloma.example"
    settings.PREGON_PALOMA_API_URL = "http://127.0.0.1:9"
    assert conf.PREGON_PALOMA_API_URL == "http://127.0.0.1:9"


def test_an_undeclared_name_is_an_error_not_an_empty_value():
    conf = NetworkSettings(PREGON_PALOMA_API_URL="x")
    try:
        conf.PREGON_PALOMA_TOKEN  # noqa: B018 - the read itself is the test
    except AttributeError:
        return
    raise AssertionError("an undeclared setting must not read as empty")


def test_packages_declare_their_own_settings(monkeypatch):
    monkeypatch.delenv("PREGON_TELEGRAM_API_URL", raising=False)
    assert telegram.PREGON_TELEGRAM_API_URL == "https://api.telegram.org"
