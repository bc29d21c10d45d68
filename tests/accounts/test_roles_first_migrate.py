"""A brand-new database gets every role's permissions from ONE `pregon migrate`, the
way `make run` prepares it (not the way the test database is built)."""

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest

from pregon.accounts.roles import Role, role_permissions

GRANTS_SQL = """
    SELECT g.name, ct.app_label || '.' || p.codename
    FROM auth_group g
    JOIN auth_group_permissions gp ON gp.group_id = g.id
    JOIN auth_permission p ON p.id = gp.permission_id
    JOIN django_content_type ct ON ct.id = p.content_type_id
"""


def _pregon(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pregon", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _env(tmp_path: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PREGON_VAR_DIR"] = str(tmp_path)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _by_role(rows) -> dict[str, set[str]]:
    labels = {role.label: role.value for role in Role}
    granted: dict[str, set[str]] = {role.value: set() for role in Role}
    for group, perm in rows:
        granted[labels[group]].add(perm)
    return granted


def _assert_roles_match_declarations(granted: dict[str, set[str]]) -> None:
    declared = role_permissions()
    for role in Role:
        assert granted[role.value] == declared[role.value], role.label
    # The plan's main pages need these; a declaration typo would drop them silently.
    for perm in ("agenda.view_activity", "publishing.view_publication", "goals.view_indicator"):
        assert perm in granted["coordinacion"]


def test_one_migrate_on_a_new_sqlite_file_grants_every_role(tmp_path):
    result = _pregon("migrate", "--no-input", env=_env(tmp_path, None))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "pregon.sqlite3") as db:
        granted = _by_role(db.execute(GRANTS_SQL).fetchall())
    _assert_roles_match_declarations(granted)


@pytest.fixture
def new_postgres_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("solo con DATABASE_URL de PostgreSQL")
    server = dj_database_url.parse(url)
    name = f"{server['NAME']}_fresh_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        host=server["HOST"],
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_one_migrate_on_a_new_postgresql_database_grants_every_role(
    tmp_path, new_postgres_database
):
    result = _pregon("migrate", "--no-input", env=_env(tmp_path, new_postgres_database))
    assert result.returncode == 0, result.stderr
    with psycopg.connect(new_postgres_database) as db:
        granted = _by_role(db.execute(GRANTS_SQL).fetchall())
    _assert_roles_match_declarations(granted)


def test_later_migrate_adds_and_removes_grants(db, monkeypatch):
    """A grant an app no longer declares goes away; a new one arrives (sync on migrate)."""
    from django.apps import apps
    from django.core.management import call_command

    from pregon.accounts.roles import group_for

    consulta = group_for("consulta")
    agenda = apps.get_app_config("agenda")
    declared = {k: list(v) for k, v in agenda.role_permissions.items()}
    dropped = next(p for p in declared.get("consulta", []) if p.startswith("agenda."))
    declared["consulta"] = [p for p in declared["consulta"] if p != dropped]
    declared["consulta"].append("agenda.delete_campaign")
    monkeypatch.setattr(agenda, "role_permissions", declared, raising=False)
    call_command("migrate", verbosity=0)
    names = {f"{p.content_type.app_label}.{p.codename}" for p in consulta.permissions.all()}
    assert dropped not in names
    assert "agenda.delete_campaign" in names
