"""Periodic jobs as data: apps register `(name, every, task path)` in `ready()`;
the worker enqueues each one when due, once across all workers."""

import threading
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.module_loading import import_string

from pregon.core.models import PeriodicJob


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    task: str  # dotted path to a django-tasks task


REGISTRY: dict[str, Periodic] = {}


def register(name: str, every: timedelta, task: str) -> None:
    REGISTRY[name] = Periodic(name, every, task)


# Loops every worker process runs beside its task queue (name -> dotted path of a
# function that runs until the process ends), for work that must start the moment
# it is due on every idle worker, not at the next tick.
LOOPS: dict[str, str] = {}


def register_loop(name: str, function: str) -> None:
    LOOPS[name] = function


def start_loops() -> list[threading.Thread]:
    threads = []
    for name, path in LOOPS.items():
        thread = threading.Thread(target=import_string(path), name=name, daemon=True)
        thread.start()
        threads.append(thread)
    return threads


def enqueue_due() -> list[str]:
    """Enqueue every registered job whose time has come; return their names."""
    now = timezone.now()
    enqueued = []
    for job in REGISTRY.values():
        row, _ = PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
        if row.next_run_at > now:
            continue
        claimed = PeriodicJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=now + job.every, last_run_at=now
        )
        if claimed:
            import_string(job.task).enqueue()
            enqueued.append(job.name)
    return enqueued
