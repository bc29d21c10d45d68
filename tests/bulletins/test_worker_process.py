"""A real `pregon worker` process (DB task backend) sends a bulletin to a local SMTP
server with a throttle; it is SIGKILLed while the server holds a message it has not yet
acknowledged, a new process is started, and every recipient ends with exactly one
message. The process shares the test database: PostgreSQL's test database when
DATABASE_URL is set; for SQLite (in memory under pytest) a file copy made with SQLite's
backup API, read back afterwards."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from pregon.bulletins import distribution, tasks

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
RECIPIENTS = 8
STATES = "SELECT status, COUNT(*) FROM bulletins_distributionrecipient GROUP BY status"
FINISHED = "SELECT finished_at FROM bulletins_distribution WHERE id = %s"
ROWS = "SELECT email, status FROM bulletins_distributionrecipient WHERE distribution_id = %s"
KILL_AT = 4  # the 4th message reaches the server; the worker dies before its 250 reply


class SharedDatabase:
    """The database the worker subprocess uses, and how to query it from the test."""

    def __init__(self, tmp_path: Path) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.file = tmp_path / "pregon.sqlite3"
        self.tmp_path = tmp_path

    def export(self) -> None:
        if self.sqlite:  # copy the committed in-memory test database to a file
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
            target.close()

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["PREGON_VAR_DIR"] = str(self.tmp_path)
        if not self.sqlite:
            s = connection.settings_dict
            password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
            env["DATABASE_URL"] = (
                f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:"
                f"{s['PORT'] or 5432}/{s['NAME']}"
            )
        return env

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """`sql` uses %s placeholders (SQLite's are ?)."""
        if self.sqlite:
            with sqlite3.connect(self.file, timeout=20) as db:
                rows = db.execute(sql.replace("%s", "?"), params).fetchall()
            db.close()
            return rows
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def execute(self, sql: str) -> None:
        if self.sqlite:
            with sqlite3.connect(self.file, timeout=20) as db:
                db.execute(sql)
            db.close()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql)


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pregon", "worker", "--interval", "0.2"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_real_worker_killed_mid_send_and_restarted_sends_exactly_once(
    smtp, approved_bulletin, press_list, mariana, settings, tmp_path
):
    settings.TASKS = DB_TASKS
    settings.PREGON_TASKS_BACKEND = "db"
    local = press_list("Medios locales", RECIPIENTS)
    emails = sorted(local.contacts.values_list("email", flat=True))
    sent = distribution.distribution_create(
        bulletin=approved_bulletin(), lists=[local], user=mariana
    )
    tasks.enqueue_send(sent.pk)  # autocommit: queued at once
    assert smtp.recipients() == []  # only queued
    shared = SharedDatabase(tmp_path)
    shared.export()

    env = shared.env() | {
        "PREGON_TASKS_BACKEND": "db",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "PREGON_PRESS_THROTTLE_SECONDS": "0.2",
        "PREGON_DELIVERY_STALE_SECONDS": "1",
    }
    log = tmp_path / "worker.log"
    first = start_worker(env, log)
    handle_data = smtp.handle_DATA

    async def kill_while_unacknowledged(server, session, envelope):
        reply = await handle_data(server, session, envelope)
        if len(smtp.messages) == KILL_AT:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
        return reply

    smtp.handle_DATA = kill_while_unacknowledged
    try:
        first.wait(40)
    except subprocess.TimeoutExpired:
        first.kill()
        raise AssertionError(log.read_text()) from None
    assert first.returncode == -signal.SIGKILL
    smtp.handle_DATA = handle_data
    assert len(smtp.recipients()) == KILL_AT
    states = dict(shared.query(STATES))
    assert states == {"enviado": KILL_AT - 1, "enviando": 1, "pendiente": RECIPIENTS - KILL_AT}

    # The periodic resume job runs every minute; the new process finds it due now.
    shared.execute("DELETE FROM core_periodicjob WHERE name = 'bulletins.resume_distributions'")
    second = start_worker(env, log)
    try:
        wait_for(
            lambda: shared.query(FINISHED, (sent.pk,))[0][0] is not None,
            45,
            "the restarted worker to finish",
        )
    except AssertionError:
        raise AssertionError(log.read_text()) from None
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait(10)

    received = smtp.recipients()
    assert sorted(received) == emails  # everyone exactly once
    rows = shared.query(ROWS, (sent.pk,))
    by_status = {}
    for email, status in rows:
        by_status.setdefault(status, []).append(email)
    assert len(by_status["enviado"]) == RECIPIENTS - 1
    # The message the server held when the worker died is not sent again automatically.
    assert by_status["incierto"] == [received[KILL_AT - 1]]
