"""The database task worker, hardened: a task that raises fails alone (with its
reason), a transient database error is retried with backoff, and no error of the
database itself ends the worker process."""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("pregon.worker")

# Seconds to wait before each new attempt of a task that met a transient error.
TASK_RETRY_DELAYS = (2, 10, 30)
# Seconds to wait before recording a result again, or polling the queue again,
# while the database is busy or unreachable; the last value repeats.
DATABASE_RETRY_DELAYS = (1, 2, 5, 10, 30)

_TRANSIENT_MARKERS = (
    "database is locked",
    "database table is locked",
    "deadlock detected",
    "could not serialize access",
    "connection",
    "server closed",
    "timeout",
    "timed out",
)


def is_transient(exc: BaseException) -> bool:
    """Whether trying again later may succeed: a busy or briefly unreachable database."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return any(marker in text for marker in _TRANSIENT_MARKERS)


def pause(seconds: float) -> None:
    """The worker's own waits, one name so a test can count them without
    stopping every other thread's sleep in the process."""
    time.sleep(seconds)


def _delay(schedule: tuple[int, ...], attempt: int) -> int:
    return schedule[min(attempt, len(schedule) - 1)]


def call_with_retries(call: Callable[[], Any], label: str) -> Any:
    """Run `call`; on a transient error wait and try again per TASK_RETRY_DELAYS."""
    for attempt in range(len(TASK_RETRY_DELAYS) + 1):
        try:
            return call()
        except Exception as exc:
            if not is_transient(exc) or attempt == len(TASK_RETRY_DELAYS):
                raise
            delay = TASK_RETRY_DELAYS[attempt]
            logger.warning("%s: error transitorio (%s); nuevo intento en %s s", label, exc, delay)
            close_old_connections()
            pause(delay)
    raise AssertionError("unreachable")


def until_recorded(write: Callable[[], None], label: str) -> None:
    """Record a task's outcome, waiting out a busy database for as long as it takes."""
    attempt = 0
    while True:
        try:
            write()
            return
        except Exception as exc:
            if not is_transient(exc):
                raise
            delay = _delay(DATABASE_RETRY_DELAYS, attempt)
            logger.warning("%s: no se pudo guardar el resultado (%s); en %s s", label, exc, delay)
            close_old_connections()
            pause(delay)
            attempt += 1


class ResilientWorker(Worker):
    def run(self) -> None:
        attempt = 0
        while self.running:
            try:
                super().run()
                return
            except Exception as exc:
                if not is_transient(exc):
                    raise
                delay = _delay(DATABASE_RETRY_DELAYS, attempt)
                logger.warning("Base de datos ocupada (%s); el trabajador espera %s s", exc, delay)
                close_old_connections()
                pause(delay)
                attempt += 1

    def run_task(self, db_task_result: DBTaskResult) -> None:
        label = f"Tarea {db_task_result.task_path} ({db_task_result.id})"
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            task_started.send(sender=type(task.get_backend()), task_result=task_result)
            args, kwargs = list(task_result.args), dict(task_result.kwargs)
            if task.takes_context:
                args.insert(0, TaskContext(task_result=task_result))
            value = call_with_retries(lambda: task.call(*args, **kwargs), label)
            until_recorded(lambda: db_task_result.set_successful(value), label)
        # BaseException too, as django-tasks-db does: a signal's SystemExit ends the
        # task as failed and the loop then stops on its own (self.running is False).
        except BaseException as exc:  # noqa: BLE001 - any failure belongs to this task alone
            logger.warning("%s falló: %s: %s", label, type(exc).__name__, exc)
            close_old_connections()
            failure = exc
            until_recorded(lambda: db_task_result.set_failed(failure), label)
        finally:
            self.running_task = False
            self._run_tasks += 1
        self._announce_finished(db_task_result)

    def _announce_finished(self, db_task_result: DBTaskResult) -> None:
        try:
            task_finished.send(
                sender=type(db_task_result.task.get_backend()),
                task_result=db_task_result.task_result,
            )
        except Exception:  # noqa: BLE001 - a listener's error must not end the worker
            logger.exception("Aviso de fin de tarea %s fallido", db_task_result.id)
