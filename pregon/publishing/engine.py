"""The delivery engine: sends what is due, never twice.

1. Claim: a conditional UPDATE (pendiente → enviando) before any call; only the
   worker whose UPDATE changed the row sends it.
2. Send and record the attempt (status, duration, trimmed response).
3. Outcome: publicada; transient → back to pendiente on RETRY_SCHEDULE; rate limited
   → back to pendiente after the network's wait; permanent → fallida and Coordinación
   is told; unknown → "resultado incierto", then `find_existing` settles it; if the
   network cannot tell, a person decides. An uncertain delivery is never resent blindly.
4. A claim older than PREGON_DELIVERY_STALE_SECONDS means its worker died mid-call:
   it becomes uncertain and goes through the same check.

Every status change goes through deliveries.py (the one table of moves). This module
is the round and one delivery's way through it; beside it, each with one job:
posts.py (what goes out), holds.py (the rules again at delivery time), outcomes.py
(what an answer does), reconcile.py (uncertain deliveries), connectors.py (connector
per account), leases.py (claims kept alive), attempts.py (the attempt log) and
worker.py (the loop `pregon worker` runs).
"""

import contextlib
import logging
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from pregon.publishing import (
    attempts,
    connectors,
    deliveries,
    holds,
    leases,
    outcomes,
    reconcile,
    twitter_text,
)
from pregon.publishing.channels import registry
from pregon.publishing.channels.base import (
    Channel,
    ChannelError,
    NotReady,
    OutgoingPost,
    PostResult,
)
from pregon.publishing.holds import release_held
from pregon.publishing.models import (
    AttemptOutcome,
    ChannelState,
    Delivery,
    DeliveryStatus,
    PublicationStatus,
)
from pregon.publishing.outcomes import RETRY_SCHEDULE
from pregon.publishing.posts import build_post
from pregon.publishing.reconcile import (
    awaiting_automatic_check,
    recheck_uncertain,
    recover_stale,
    settle,
)

# What callers read as `engine.<name>` (the worker, tasks, the benchmark, tests).
__all__ = [
    "RETRY_SCHEDULE",
    "awaiting_automatic_check",
    "build_post",
    "claim",
    "claim_due",
    "deliver",
    "deliver_claimed",
    "due",
    "new_worker_id",
    "publish_due",
    "recheck_uncertain",
    "recover_stale",
    "release_held",
    "repair_once",
    "settle",
    "unclaim",
    "warm_up",
]

log = logging.getLogger(__name__)
INLINE_WAITS = 30  # NotReady with no wait is checked again at once, up to this many times


def new_worker_id() -> str:
    return f"pub-{uuid.uuid4().hex[:12]}"


def due(now: datetime) -> QuerySet:
    """Deliveries whose time has come. Manual channels wait for a person."""
    return (
        Delivery.objects.filter(
            status=DeliveryStatus.PENDIENTE,
            scheduled_at__lte=now,
            variant__publication__status=PublicationStatus.PROGRAMADA,
            account__state=ChannelState.ACTIVE,
        )
        .exclude(account__kind__in=registry.kinds(needs_person=True))
        .order_by("scheduled_at", "pk")
    )


def warm_up() -> None:
    """What every sender would otherwise build for itself at its first delivery, each
    thread racing the others: the URL resolver (signed media links are reversed) and
    the network registry, X's list of domain endings (a YAML file and a large regex).
    Once per process, before the senders start."""
    registry.networks()
    twitter_text.load()
    with contextlib.suppress(NoReverseMatch):
        reverse("publishing:public_media", args=["warm-up"])


_repaired = threading.Event()


def repair_once() -> int:
    """At a worker's start (its first round): publications left «programada» by older
    versions although all their deliveries are closed are settled."""
    if _repaired.is_set():
        return 0
    _repaired.set()
    repaired = deliveries.publications_repair()
    if repaired:
        log.warning("Se corrigió el estado de %s publicaciones", repaired)
    return repaired


def claim(delivery_id: int, worker: str, now: datetime) -> bool:
    """The conditional UPDATE (deliveries.claim): True only for the one worker that
    took the row, with a lease its process keeps renewing."""
    return deliveries.claim(delivery_id, worker=worker, now=now, lease=leases.duration())


def publish_due(
    worker: str | None = None,
    limit: int | None = None,
    concurrency: int | None = None,
    on_done: Callable[[str], None] | None = None,
    now: datetime | None = None,
) -> Counter:
    """Send everything due at `now` (default: now), `concurrency` deliveries at a time
    (the networks' latency, not our CPU, is the bottleneck); returns counts per
    outcome. Held deliveries whose veda has ended are released first."""
    worker = worker or new_worker_id()
    counts: Counter = Counter()
    repair_once()
    counts.update(recover_stale(worker))
    counts.update(recheck_uncertain(worker))
    counts.update(release_held(now))
    ids = list(due(now or timezone.now()).values_list("pk", flat=True)[:limit])
    threads = concurrency or settings.PREGON_DELIVERY_CONCURRENCY
    if threads <= 1 or len(ids) <= 1:
        sent = (deliver(delivery_id, worker, now) for delivery_id in ids)
        return _count(counts, sent, on_done)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        sent = pool.map(lambda pk: _deliver_in_thread(pk, worker, now), ids)
        return _count(counts, sent, on_done)


def _count(counts: Counter, sent: Iterable[str], on_done: Callable[[str], None] | None) -> Counter:
    for outcome in sent:
        counts[outcome] += 1
        if on_done:
            on_done(outcome)
    return counts


def _deliver_in_thread(delivery_id: int, worker: str, now: datetime | None = None) -> str:
    try:
        return deliver(delivery_id, worker, now)
    finally:
        connection.close()  # each thread has its own connection; do not leak it


def deliver(delivery_id: int, worker: str, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if not claim(delivery_id, worker, now):
        return "tomada_por_otro"
    leases.keep(delivery_id, worker)
    try:
        return _deliver_claimed(delivery_id, worker, now)
    finally:
        leases.let_go(delivery_id)


def claim_due(worker: str, limit: int) -> list[int]:
    """Claim up to `limit` due deliveries at once (deliveries.claim_due), each with a
    lease this process keeps renewing until it is sent (`deliver_claimed`) or let go."""
    now = timezone.now()
    claimed = deliveries.claim_due(
        due(now), worker=worker, now=now, lease=leases.duration(), limit=limit
    )
    for delivery_id in claimed:
        leases.keep(delivery_id, worker)
    return claimed


def deliver_claimed(delivery_id: int, worker: str) -> str:
    """Send a delivery `claim_due` gave this worker."""
    try:
        return _deliver_claimed(delivery_id, worker, timezone.now())
    finally:
        leases.let_go(delivery_id)


def unclaim(delivery_ids: list[int], worker: str) -> None:
    """Claimed but never started (the worker is stopping): pending again at once."""
    for delivery in Delivery.objects.filter(pk__in=delivery_ids, claimed_by=worker):
        if delivery.status == DeliveryStatus.ENVIANDO:
            _unclaim(delivery, worker)
        leases.let_go(delivery.pk)


def _load(delivery_id: int) -> Delivery:
    """The delivery with what its send reads (account, publication, media with their
    assets) in two queries; the variant's account is the delivery's, not read again."""
    delivery = Delivery.objects.select_related("account", "variant__publication").get(
        pk=delivery_id
    )
    if delivery.variant.account_id == delivery.account_id:
        delivery.variant.account = delivery.account
    delivery.variant.load_media()
    return delivery


def _deliver_claimed(delivery_id: int, worker: str, now: datetime) -> str:
    delivery = _load(delivery_id)
    if delivery.status != DeliveryStatus.ENVIANDO or delivery.claimed_by != worker:
        return "tomada_por_otro"  # not (or no longer) this worker's claim: never sent
    if delivery.account.state != ChannelState.ACTIVE:
        # The account was marked for reconnection after the list was read: wait.
        _unclaim(delivery, worker)
        return "espera_reconexion"
    if delivery.variant.publication.status != PublicationStatus.PROGRAMADA:
        # Sent back to review or cancelled after the list was read: not ours to send.
        _unclaim(delivery, worker)
        return "no_programada"
    refused = holds.refusal(delivery, worker, now)
    if refused:
        return refused
    try:
        channel, calls = connectors.connect(delivery.account)
        post = build_post(delivery)
        if channel.needs_person:  # never sent by the engine: back to the person's queue
            outcomes.release(delivery, worker, delivery.scheduled_at, "")
            return "manual"
    except ChannelError as exc:  # refused before any call: nothing went out
        attempts.record(delivery, worker, attempts.Call(timezone.now(), time.monotonic()), exc=exc)
        return outcomes.fail(delivery, exc.message)
    return _send(delivery, channel, calls, post, worker)


def _unclaim(delivery: Delivery, worker: str) -> None:
    """Nothing was sent: the try does not count."""
    deliveries.transition(delivery, "unclaim", worker=worker, attempts=F("attempts") - 1)


def _send(
    delivery: Delivery, channel: Channel, calls: list, post: OutgoingPost, worker: str
) -> str:
    call = attempts.Call(timezone.now(), time.monotonic(), calls)
    try:
        result = _publish_or_resume(channel, post, delivery.network_ref)
    except NotReady as wait:
        with transaction.atomic():  # one write: the attempt and the move
            attempts.record(delivery, worker, call, outcome=AttemptOutcome.PROCESSING)
            return _park(delivery, worker, wait)
    except ChannelError as exc:
        attempts.record(delivery, worker, call, exc=exc)
        return _on_error(delivery, exc, worker)
    except Exception as exc:  # noqa: BLE001 - a bug or dropped connection: outcome unknown
        log.exception("Envío %s: error inesperado", delivery.pk)
        error = ChannelError(f"Error inesperado: {exc}", uncertain=True)
        attempts.record(delivery, worker, call, exc=error)
        return _on_error(delivery, error, worker)
    with transaction.atomic():  # one write: the attempt, the move and the publication
        attempts.record(delivery, worker, call)
        return outcomes.published(delivery, result)


def _on_error(delivery: Delivery, exc: ChannelError, worker: str) -> str:
    if exc.uncertain:  # maybe it went out: ask the network, never resend blindly
        return reconcile.uncertain(delivery, exc.message, worker)
    return outcomes.refused(delivery, exc, worker)


def _publish_or_resume(channel: Channel, post: OutgoingPost, token: str) -> PostResult:
    for _ in range(INLINE_WAITS):
        try:
            return channel.resume(post, token) if token else channel.publish(post)
        except NotReady as wait:
            if wait.retry_after > 0:
                raise
            token = wait.token
    raise ChannelError("La red sigue procesando el contenido; se reintentará.")


def _park(delivery: Delivery, worker: str, wait: NotReady) -> str:
    """Nothing is public yet: the delivery waits as pending, keeping what the network
    is processing, and any free sender checks it again after the network's wait. No
    thread sleeps meanwhile; the attempt does not count as a failure."""
    at = timezone.now() + timedelta(seconds=wait.retry_after)
    deliveries.transition(
        delivery,
        "park",
        worker=worker,
        scheduled_at=at,
        network_ref=wait.token,  # whole: a cut token cannot be resumed (a session URI)
        attempts=F("attempts") - 1,
        last_error=wait.message,
    )
    return "en_proceso"
