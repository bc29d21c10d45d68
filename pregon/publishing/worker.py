"""The worker's loop: every idle sender takes the next due delivery at once (split
from engine.py). `pregon worker` runs `run_forever` beside its task queue."""

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection

from pregon.core import versions
from pregon.publishing import engine

log = logging.getLogger(__name__)
CLAIM_AHEAD = 4  # deliveries claimed at once even when one sender asks
SWEEP_SECONDS = 1.0  # at most this often: rows to repair, dead workers' claims, holds
BUMP_SECONDS = 0.25  # what the senders wrote shows on cached pages at most this late


class Feed:
    """This process's claimed deliveries, handed to its senders one at a time. A free
    sender finding none claims (one `engine.claim_due`) for every sender then waiting,
    and at least `ahead` (a few: a claim per delivery costs more than the send's own
    writes), so a batch stays small and the other workers' idle senders take the rest.
    When a claim found less than it asked for, nothing more is due: for `quiet`
    seconds the others do not ask again (one look per process, not one per sender)."""

    def __init__(self, worker: str, quiet: float, ahead: int = 1) -> None:
        self.worker, self.quiet, self.ahead = worker, quiet, ahead
        self.claimed: deque[int] = deque()
        self.claiming = threading.Lock()  # one claim at a time in this process
        self.counting = threading.Lock()
        self.waiting = 0  # senders asking for their next delivery
        self.dry_until = 0.0

    def next(self) -> int | None:
        with self.counting:
            self.waiting += 1
        try:
            with self.claiming:
                if not self.claimed and time.monotonic() >= self.dry_until:
                    self._claim()
                return self.claimed.popleft() if self.claimed else None
        finally:
            with self.counting:
                self.waiting -= 1

    def _claim(self) -> None:
        with self.counting:
            wanted = max(self.waiting, self.ahead)
        claimed = engine.claim_due(self.worker, wanted)
        self.claimed.extend(claimed)
        if len(claimed) < wanted:
            self.dry_until = time.monotonic() + self.quiet

    def give_back(self) -> None:
        """Stopping: what was claimed and never started is pending again at once."""
        with self.claiming:
            left, self.claimed = list(self.claimed), deque()
        if left:
            engine.unclaim(left, self.worker)


def run_forever(
    *, senders: int | None = None, stop: threading.Event | None = None, idle: float = 1.0
) -> None:
    """What each worker process runs beside its task queue: `senders` threads, each
    taking the next due delivery as soon as it is free (no waiting for a minute
    tick), and this thread sweeping every SWEEP_SECONDS (or `idle`, if longer): rows
    to repair, dead workers' claims, held deliveries whose veda ended."""
    stop = stop or threading.Event()
    worker = engine.new_worker_id()
    engine.warm_up()  # before the senders: each would otherwise build it for itself
    count = senders or settings.PREGON_DELIVERY_CONCURRENCY
    feed = Feed(worker, quiet=idle, ahead=min(count, CLAIM_AHEAD))
    threads = [
        threading.Thread(target=_send_loop, args=(feed, stop, idle), daemon=True)
        for _ in range(count)
    ]
    stop_gathering = versions.gather_bumps(BUMP_SECONDS)
    for thread in threads:
        thread.start()
    try:
        while not stop.is_set():
            _guarded(lambda: _sweep(worker))
            stop.wait(max(idle, SWEEP_SECONDS))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        _guarded(feed.give_back)
        stop_gathering()
        connection.close()  # this thread's own connection (the sweeps)


def _sweep(worker: str) -> None:
    engine.repair_once()
    engine.recover_stale(worker)
    engine.recheck_uncertain(worker)
    engine.release_held()


def _send_loop(feed: Feed, stop: threading.Event, idle: float) -> None:
    try:
        while not stop.is_set():
            if not _guarded(lambda: _send_next(feed)):
                stop.wait(idle)
    finally:
        connection.close()


def _send_next(feed: Feed) -> str:
    delivery_id = feed.next()
    return "" if delivery_id is None else engine.deliver_claimed(delivery_id, feed.worker)


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
    claimed = engine.claim_due(worker, 1)
    return engine.deliver_claimed(claimed[0], worker) if claimed else ""
