"""The worker's loop: every idle sender takes the next due delivery at once (split
from engine.py). `pregon worker` runs `run_forever` beside its task queue."""

import logging
import random
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from pregon.publishing import engine

log = logging.getLogger(__name__)
CANDIDATES = 32  # due deliveries a free sender looks at to find one not yet taken


def run_forever(
    *, senders: int | None = None, stop: threading.Event | None = None, idle: float = 1.0
) -> None:
    """What each worker process runs beside its task queue: `senders` threads, each
    taking the next due delivery as soon as it is free (no waiting for a minute
    tick), and this thread sweeping every `idle` seconds: rows to repair, dead
    workers' claims, held deliveries whose veda ended."""
    stop = stop or threading.Event()
    worker = engine.new_worker_id()
    count = senders or settings.PREGON_DELIVERY_CONCURRENCY
    threads = [
        threading.Thread(target=_send_loop, args=(worker, stop, idle), daemon=True)
        for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    try:
        while not stop.is_set():
            _guarded(lambda: _sweep(worker))
            stop.wait(idle)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        connection.close()  # this thread's own connection (the sweeps)


def _sweep(worker: str) -> None:
    engine.repair_once()
    engine.recover_stale(worker)
    engine.recheck_uncertain(worker)
    engine.release_held()


def _send_loop(worker: str, stop: threading.Event, idle: float) -> None:
    try:
        while not stop.is_set():
            if not _guarded(lambda: deliver_next(worker)):
                stop.wait(idle)
    finally:
        connection.close()


def _guarded(step: Callable[[], object]) -> object:
    """One step of a loop that must outlive a database hiccup or a bug."""
    try:
        return step()
    except Exception:  # noqa: BLE001 - logged; the loop goes on
        log.exception("Error en el ciclo de envíos")
        return None
    finally:
        close_old_connections()


def deliver_next(worker: str) -> str:
    """Claim and send one due delivery; "" when none is due (or all were taken)."""
    now = timezone.now()
    candidates = list(engine.due(now).values_list("pk", flat=True)[:CANDIDATES])
    random.shuffle(candidates)  # senders of several processes spread over the list
    for delivery_id in candidates:
        outcome = engine.deliver(delivery_id, worker, now)
        if outcome != "tomada_por_otro":
            return outcome
    return ""
