"""Property-based fuzzing of the whole API (schemathesis): for every operation in
/api/v1/openapi.json, generated requests as Coordinación and as Consulta against a
database with the demo data. Any 5xx, an undocumented status, or an answer that does
not match its documented schema fails. Bounded and deterministic: a few examples per
operation, no randomness between runs, no example database on disk."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings

from pregon.accounts.models import ApiToken, User
from pregon.accounts.roles import sync_roles

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "max-examples": 6,
            "deterministic": True,
            "database": "none",
            "no-shrink": True,
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "checks": {
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
            # A request that fits the schema may still be refused (a business rule, a
            # row that does not exist, Consulta writing): a 4xx is a fair answer.
            "positive_data_acceptance": {"enabled": False},
        },
    }
)
ROLES = ("coordinacion", "consulta")


@pytest.fixture(scope="module", autouse=True)
def _connection_kept_between_requests():
    """The requests go through the WSGI handler, which closes the database connection
    after each one, and with it the test's transaction on PostgreSQL. Django's test
    client unhooks the same signal handlers."""
    hooks = (request_started, request_finished)
    for hook in hooks:
        hook.disconnect(close_old_connections)
    yield
    for hook in hooks:
        hook.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo_tokens(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, str]:
    """The demo data, loaded once for this module and rolled back after it."""
    media = tmp_path_factory.mktemp("fuzz-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            sync_roles()
            call_command("demo", verbosity=0)
            users = User.objects.filter(username__in=ROLES)
            yield {u.username: ApiToken.issue(u, "fuzz")[1] for u in users} | {"media": media}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def _media_root(settings, demo_tokens):
    """The demo's files stay where the demo stored them (replaces the suite's own)."""
    settings.MEDIA_ROOT = demo_tokens["media"]


def _load_schema():
    from pregon.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


# Loaded when the module is collected (the document needs no database), so that each
# operation is its own test: `pytest tests/api/test_fuzz.py -k "GET /api/v1/bulletins"`.
schema = _load_schema()


def _bearer(tokens: dict, role: str) -> dict[str, str]:
    # identity: the WSGI client does not undo GZipMiddleware's compression, and the
    # checks read the body as JSON (gzip itself is tested in tests/core).
    return {"Authorization": f"Bearer {tokens[role]}", "Accept-Encoding": "identity"}


# The database fixture is shared by an operation's examples on purpose: one example's
# write is the next one's data, as for a real client.
FUZZ = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@schema.parametrize()
@FUZZ
def test_api_as_coordinacion(case, db, demo_tokens):
    case.call_and_validate(headers=_bearer(demo_tokens, "coordinacion"))


@schema.parametrize()
@FUZZ
def test_api_as_consulta(case, db, demo_tokens):
    case.call_and_validate(headers=_bearer(demo_tokens, "consulta"))
