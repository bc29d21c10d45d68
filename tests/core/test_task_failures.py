"""A task that raises fails alone, with its reason; a busy database is retried with
backoff; the worker goes on to the next task."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django_tasks import task

from pregon.core import taskrunner
from pregon.core.taskrunner import is_transient

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
ATTEMPTS: dict[str, int] = {}


@task()
def broken(label: str) -> None:
    ATTEMPTS[label] = ATTEMPTS.get(label, 0) + 1
    raise ValueError(f"foto ilegible: {label}")


@task()
def locked_then_fine(label: str, failures: int) -> str:
    ATTEMPTS[label] = ATTEMPTS.get(label, 0) + 1
    if ATTEMPTS[label] <= failures:
        raise OperationalError("database is locked")
    return f"listo tras {ATTEMPTS[label]} intentos"


@pytest.fixture
def db_worker(settings, transactional_db, monkeypatch):
    settings.TASKS = DB_TASKS
    settings.PREGON_TASKS_BACKEND = "db"
    ATTEMPTS.clear()
    waits: list[float] = []
    monkeypatch.setattr(taskrunner, "pause", waits.append)

    def run() -> list[float]:
        call_command("worker", "--burst", "--interval", "0")
        return waits

    return run


def test_a_raising_task_fails_with_its_reason_and_the_next_one_runs(db_worker):
    bad = broken.enqueue("IMG_0042.jpg")
    good = locked_then_fine.enqueue("siguiente", 0)
    waits = db_worker()
    bad.refresh()
    good.refresh()
    assert bad.status.name == "FAILED"
    assert bad.errors[0].exception_class is ValueError
    assert "foto ilegible: IMG_0042.jpg" in bad.errors[0].traceback
    assert ATTEMPTS["IMG_0042.jpg"] == 1  # a permanent error is not retried
    assert waits == []
    assert good.status.name == "SUCCESSFUL"


def test_database_is_locked_is_retried_with_backoff(db_worker):
    result = locked_then_fine.enqueue("bloqueada", 2)
    waits = db_worker()
    result.refresh()
    assert result.status.name == "SUCCESSFUL"
    assert result.return_value == "listo tras 3 intentos"
    assert waits == [2, 10]


def test_a_lock_that_never_clears_fails_the_task_not_the_worker(db_worker):
    stuck = locked_then_fine.enqueue("atascada", 99)
    after = locked_then_fine.enqueue("después", 0)
    waits = db_worker()
    stuck.refresh()
    after.refresh()
    assert stuck.status.name == "FAILED"
    assert "database is locked" in stuck.errors[0].traceback
    assert ATTEMPTS["atascada"] == 1 + len(taskrunner.TASK_RETRY_DELAYS)
    assert waits == list(taskrunner.TASK_RETRY_DELAYS)
    assert after.status.name == "SUCCESSFUL"


def test_which_errors_are_transient():
    assert is_transient(OperationalError("database is locked"))
    assert is_transient(OperationalError("server closed the connection unexpectedly"))
    assert not is_transient(OperationalError("no such table: archive_asset"))
    assert not is_transient(ValueError("database is locked"))


def test_the_worker_outlives_a_real_sqlite_lock(tmp_path):
    """Another writer holds SQLite's lock longer than the busy timeout: the worker
    waits it out and then runs the task, in a real process."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(PREGON_VAR_DIR=str(tmp_path), PREGON_TASKS_BACKEND="db", PREGON_SQLITE_TIMEOUT="1")
    enqueue = "from pregon.core.tasks import prune_heartbeats; prune_heartbeats.enqueue()"
    for args in (("migrate", "--no-input"), ("shell", "-c", enqueue)):
        done = subprocess.run([sys.executable, "-m", "pregon", *args], env=env, timeout=300)
        assert done.returncode == 0
    path = tmp_path / "pregon.sqlite3"
    status = "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%prune%'"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("DELETE FROM core_periodicjob")
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "pregon", "worker", "--interval", "0.2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.time() + 120
        while "database is locked" not in log.read_text() and time.time() < deadline:
            assert worker.poll() is None, log.read_text()
            time.sleep(0.5)
        assert "database is locked" in log.read_text()
        time.sleep(3)  # a few more busy timeouts while the lock is held
        assert worker.poll() is None, log.read_text()
        holder.execute("ROLLBACK")
        deadline = time.time() + 90
        while time.time() < deadline:
            with sqlite3.connect(path) as db:
                states = [s for (s,) in db.execute(status)]
            if "SUCCESSFUL" in states:
                break
            time.sleep(0.5)
        assert "SUCCESSFUL" in states
        assert worker.poll() is None
    finally:
        holder.close()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
