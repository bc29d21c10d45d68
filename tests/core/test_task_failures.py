"""A task that raises fails alone, with its reason; a busy database is retried with
backoff; the worker goes on to the next task."""

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
    monkeypatch.setattr(taskrunner.time, "sleep", waits.append)

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
