"""Leases on claimed deliveries: a live process keeps its claims, a dead one's are
checked within seconds (split from engine.py). The claim itself is
`deliveries.claim`; the sweep that checks an expired lease is `engine.recover_stale`."""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from pregon.publishing.models import Delivery, DeliveryStatus

log = logging.getLogger(__name__)
D = DeliveryStatus


def duration() -> timedelta:
    return timedelta(seconds=settings.PREGON_DELIVERY_LEASE_SECONDS)


_held_claims: dict[int, str] = {}  # delivery id -> worker, sent by this process now
_held_lock = threading.Lock()
_keeper: threading.Thread | None = None


def keep(delivery_id: int, worker: str) -> None:
    global _keeper
    with _held_lock:
        _held_claims[delivery_id] = worker
        if _keeper is None or not _keeper.is_alive():
            _keeper = threading.Thread(target=_renew_forever, name="pregon-leases", daemon=True)
            _keeper.start()


def let_go(delivery_id: int) -> None:
    with _held_lock:
        _held_claims.pop(delivery_id, None)


def let_go_all() -> None:
    """This process renews none of its claims from now on (as if it had died): tests
    that «kill» a worker mid-send, so the next test starts with nothing held."""
    with _held_lock:
        _held_claims.clear()


def _renew_forever() -> None:
    """Renews this process's claims a few times per lease. It dies with the process,
    which is the point: then the leases run out and another worker checks them."""
    while True:
        time.sleep(max(settings.PREGON_DELIVERY_LEASE_SECONDS / 3, 0.5))
        try:
            renew_leases()
        except Exception:  # noqa: BLE001 - keep renewing through a database hiccup
            log.exception("No se pudieron renovar las reservas de envío")
        finally:
            connection.close()


def renew_leases() -> int:
    with _held_lock:
        held = dict(_held_claims)
    if not held:
        return 0
    return Delivery.objects.filter(pk__in=held, status=D.ENVIANDO).update(
        lease_until=timezone.now() + duration()
    )
