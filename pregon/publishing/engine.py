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
"""

import contextlib
import functools
import json
import logging
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from pregon.core.audit import log_action
from pregon.publishing import compliance, media_links, notify
from pregon.publishing.channels import registry
from pregon.publishing.channels.base import (
    AccountConfig,
    Channel,
    ChannelError,
    NotReady,
    OutgoingMedia,
    OutgoingPost,
    PostResult,
)
from pregon.publishing.channels.network import no_public_url
from pregon.publishing.models import (
    AttemptOutcome,
    ChannelAccount,
    ChannelState,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    PublicationStatus,
)
from pregon.publishing.services import (
    WAITS_FOR_RECONNECTION,
    publication_settle,
    publications_repair,
)
from pregon.publishing.validation import effective_text

log = logging.getLogger(__name__)
D = DeliveryStatus

# Written once, as data: the wait before each retry after a transient error. After
# the last one the delivery fails and Coordinación is told.
RETRY_SCHEDULE: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
)
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=1)
MAX_RATE_LIMITED = 20  # a network that never lets us through is a failure too
FIND_EXISTING_MARGIN = timedelta(minutes=5)
AUTO_CHECKS = 4  # uncertain attempts (the send and failed checks) before a person decides
AUTO_CHECK_AFTER = timedelta(seconds=30)
CANDIDATES = 32  # due deliveries a free sender looks at to find one not yet taken


def new_worker_id() -> str:
    return f"pub-{uuid.uuid4().hex[:12]}"


def account_config(account: ChannelAccount) -> AccountConfig:
    credentials = json.loads(account.credentials) if account.credentials else {}
    return AccountConfig(
        kind=account.kind,
        external_id=account.external_id,
        base_url=account.base_url,
        credentials=credentials,
    )


def channel_for(account: ChannelAccount) -> Channel:
    """The connector for an account (the registry lives in channels/__init__.py)."""
    from pregon.publishing.channels import get_channel

    return get_channel(account_config(account))


# Connectors are reused across deliveries (and threads) of one process: building an
# HTTP client loads the CA bundle, which costs more than the post itself. A change of
# credentials or address makes a new one.
_channels: dict[tuple, Channel] = {}
_channels_lock = threading.Lock()
_current = threading.local()  # the delivery this thread is working on


def _cached_channel(account: ChannelAccount) -> Channel:
    key = (account.pk, account.kind, account.external_id, account.base_url, account.credentials)
    with _channels_lock:
        if key not in _channels:
            if len(_channels) > 100:
                _channels.clear()
            channel = channel_for(account)
            channel.on_attempt = _on_attempt
            channel.on_credentials_changed = _on_credentials_changed
            channel.credentials_guard = functools.partial(credentials_guard, account.pk)
            channel.defer_waits = True
            _channels[key] = channel
        return _channels[key]


def _on_attempt(attempt) -> None:
    calls = getattr(_current, "calls", None)
    if calls is not None:
        calls.append(attempt)


def _on_credentials_changed(credentials: dict) -> None:
    _store_credentials(_current.account_id, credentials)


def connect(account: ChannelAccount) -> tuple[Channel, list]:
    """A connector wired to this thread's delivery: its HTTP calls are collected for
    the attempt log and refreshed tokens are stored (encrypted) at once."""
    channel = _cached_channel(account)
    _current.calls = []
    _current.account_id = account.pk
    return channel, _current.calls


@contextlib.contextmanager
def credentials_guard(account_id: int) -> Iterator[dict]:
    """The account's row, locked until the block ends (PostgreSQL: SELECT … FOR
    UPDATE; SQLite: the IMMEDIATE transaction's write lock), with the credentials
    stored now. Whatever is stored inside commits before anyone else gets in."""
    with transaction.atomic():
        account = ChannelAccount.objects.select_for_update().get(pk=account_id)
        yield json.loads(account.credentials) if account.credentials else {}


def _store_credentials(account_id: int, credentials: dict) -> None:
    account = ChannelAccount.objects.get(pk=account_id)
    account.credentials = json.dumps(credentials)
    account.save(update_fields=["credentials"])
    log_action(account, "publishing.credentials_refreshed", data={"credentials": "renovadas"})


def due(now: datetime) -> QuerySet:
    """Deliveries whose time has come. Manual channels wait for a person."""
    return (
        Delivery.objects.filter(
            status=D.PENDIENTE,
            scheduled_at__lte=now,
            variant__publication__status=PublicationStatus.PROGRAMADA,
            account__state=ChannelState.ACTIVE,
        )
        .exclude(account__kind__in=registry.kinds(needs_person=True))
        .order_by("scheduled_at", "pk")
    )


_repaired = threading.Event()


def repair_once() -> int:
    """At a worker's start (its first round): publications left «programada» by older
    versions although all their deliveries are closed are settled."""
    if _repaired.is_set():
        return 0
    _repaired.set()
    repaired = publications_repair()
    if repaired:
        log.warning("Se corrigió el estado de %s publicaciones", repaired)
    return repaired


def claim(delivery_id: int, worker: str, now: datetime) -> bool:
    """The conditional UPDATE: True only for the one worker that took the row.

    Single-table on purpose: with a join Django moves the conditions into a subquery,
    and PostgreSQL does not re-check a subquery after waiting for a concurrent update,
    so two workers could both "win"."""
    return (
        Delivery.objects.filter(pk=delivery_id, status=D.PENDIENTE, scheduled_at__lte=now).update(
            status=D.ENVIANDO,
            claimed_by=worker,
            claimed_at=now,
            lease_until=timezone.now() + _lease(),
            attempts=F("attempts") + 1,
        )
        == 1
    )


# --- leases: a live process keeps its claims; a dead one's are checked within seconds


def _lease() -> timedelta:
    return timedelta(seconds=settings.PREGON_DELIVERY_LEASE_SECONDS)


_held_claims: dict[int, str] = {}  # delivery id -> worker, sent by this process now
_held_lock = threading.Lock()
_keeper: threading.Thread | None = None


def _keep(delivery_id: int, worker: str) -> None:
    global _keeper
    with _held_lock:
        _held_claims[delivery_id] = worker
        if _keeper is None or not _keeper.is_alive():
            _keeper = threading.Thread(target=_renew_forever, name="pregon-leases", daemon=True)
            _keeper.start()


def _let_go(delivery_id: int) -> None:
    with _held_lock:
        _held_claims.pop(delivery_id, None)


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
        lease_until=timezone.now() + _lease()
    )


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
        outcomes = (deliver(delivery_id, worker, now) for delivery_id in ids)
        return _count(counts, outcomes, on_done)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        outcomes = pool.map(lambda pk: _deliver_in_thread(pk, worker, now), ids)
        return _count(counts, outcomes, on_done)


def _count(counts: Counter, outcomes, on_done) -> Counter:
    for outcome in outcomes:
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
    _keep(delivery_id, worker)
    try:
        return _deliver_claimed(delivery_id, worker, now)
    finally:
        _let_go(delivery_id)


def _deliver_claimed(delivery_id: int, worker: str, now: datetime) -> str:
    delivery = Delivery.objects.select_related("account", "variant__publication").get(
        pk=delivery_id
    )
    if delivery.account.state != ChannelState.ACTIVE:
        # The account was marked for reconnection after the list was read: wait.
        Delivery.objects.filter(pk=delivery.pk, status=D.ENVIANDO, claimed_by=worker).update(
            status=D.PENDIENTE, attempts=F("attempts") - 1
        )
        return "espera_reconexion"
    if delivery.variant.publication.status != PublicationStatus.PROGRAMADA:
        # Sent back to review or cancelled after the list was read: not ours to send.
        Delivery.objects.filter(pk=delivery.pk, status=D.ENVIANDO, claimed_by=worker).update(
            status=D.PENDIENTE, attempts=F("attempts") - 1
        )
        return "no_programada"
    refused = _compliance_refusal(delivery, worker, now)
    if refused:
        return refused
    try:
        channel, calls = connect(delivery.account)
        post = build_post(delivery)
        if channel.needs_person:  # never sent by the engine: back to the person's queue
            _release(delivery, worker, delivery.scheduled_at, "")
            return "manual"
    except ChannelError as exc:  # refused before any call: nothing went out
        _record(delivery, worker, _Call(timezone.now(), time.monotonic()), exc=exc)
        return _fail(delivery, exc.message, worker)
    return _send(delivery, channel, calls, post, worker)


def _compliance_refusal(delivery: Delivery, worker: str, now: datetime) -> str:
    """The rules again at delivery time (a veda may have been registered after the
    publication was scheduled). A veda holds the delivery until it ends; any other
    block (alt text, minors) fails it with the rule's message. "" = may go out."""
    verdict = compliance.delivery_verdict(delivery, now)
    if verdict.allowed:
        if verdict.messages:
            compliance.record_delivery(delivery, verdict, now)
        return ""
    compliance.record_delivery(delivery, verdict, now)
    if not compliance.waits(verdict):
        return _fail(delivery, verdict.message, worker)
    held = Delivery.objects.filter(pk=delivery.pk, status=D.ENVIANDO, claimed_by=worker).update(
        status=D.RETENIDA,
        held_until=verdict.until,
        last_error=verdict.message,
        attempts=F("attempts") - 1,  # nothing was sent
    )
    if held:
        log_action(delivery, "publishing.delivery_held", data={"rules": list(verdict.rules)})
    return "retenida"


def release_held(now: datetime | None = None) -> Counter:
    """Held deliveries are checked again; once no veda stops them they are pending
    (and due) again. Other rules are checked again when they are delivered."""
    now = now or timezone.now()
    counts: Counter = Counter()
    held = Delivery.objects.filter(status=D.RETENIDA).select_related(
        "account", "variant__publication"
    )
    for delivery in held:
        verdict = compliance.delivery_verdict(delivery, now)
        if verdict.blocked and compliance.waits(verdict):
            continue
        released = Delivery.objects.filter(pk=delivery.pk, status=D.RETENIDA).update(
            status=D.PENDIENTE, held_until=None
        )
        if released:
            log_action(delivery, "publishing.delivery_released", data={"at": now.isoformat()})
            counts["liberada"] += 1
    return counts


@dataclass
class _Call:
    started_at: datetime
    t0: float
    calls: list = field(default_factory=list)  # HttpAttempt from the connector


def _send(delivery: Delivery, channel: Channel, calls: list, post: OutgoingPost, worker) -> str:
    call = _Call(timezone.now(), time.monotonic(), calls)
    try:
        result = _publish_or_resume(channel, post, delivery.network_ref)
    except NotReady as wait:
        _record(delivery, worker, call, outcome=AttemptOutcome.PROCESSING)
        return _park(delivery, worker, wait)
    except ChannelError as exc:
        _record(delivery, worker, call, exc=exc)
        return _on_error(delivery, exc, worker)
    except Exception as exc:  # noqa: BLE001 - a bug or dropped connection: outcome unknown
        log.exception("Envío %s: error inesperado", delivery.pk)
        error = ChannelError(f"Error inesperado: {exc}", uncertain=True)
        _record(delivery, worker, call, exc=error)
        return _on_error(delivery, error, worker)
    _record(delivery, worker, call)
    return _published(delivery, result, worker)


INLINE_WAITS = 30  # NotReady with no wait is checked again at once, up to this many times


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
    Delivery.objects.filter(pk=delivery.pk, status=D.ENVIANDO, claimed_by=worker).update(
        status=D.PENDIENTE,
        scheduled_at=at,
        network_ref=wait.token[:200],
        attempts=F("attempts") - 1,
        last_error="",
    )
    return "en_proceso"


def build_post(delivery: Delivery) -> OutgoingPost:
    variant = delivery.variant
    publication = variant.publication
    network = delivery.account.network
    fetched = bool(network and network.needs_public_url)  # the network downloads the media
    if network and fetched and not settings.PREGON_PUBLIC_URL:
        raise ChannelError(no_public_url(network), permanent=True)
    media = []
    for item in variant.media.select_related("asset"):
        public = media_links.public_url(item.pk) if fetched else ""
        captions = item.public_captions()
        media.append(
            OutgoingMedia(
                path=_public_path(item),
                mime_type=item.sent_mime_type,
                alt_text=variant.alt_text_for(item),
                public_url=public,
                captions_vtt=captions[0] if captions else None,
                captions_srt=captions[1] if captions else None,
            )
        )
    return OutgoingPost(
        text=effective_text(variant),
        link=publication.link,
        title=publication.title,
        media=media,
        reference=f"pregon-{delivery.pk}",
    )


def _public_path(item) -> Path:
    """The archive's public derivative (no GPS/EXIF) or a pre-archive upload. An asset
    that may not be published (minors without consent, restricted rights) is a
    permanent refusal: nothing is sent, the delivery fails with the archive's reason."""
    from pregon.archive.services import IngestError

    try:
        return item.public_path()
    except IngestError as exc:
        what = "Video" if item.is_video else "Imagen"
        raise ChannelError(f"{what} «{item}»: {exc}", permanent=True) from exc


def _record(delivery, worker, call: _Call, *, exc=None, outcome=None) -> None:
    if outcome is None:
        outcome = AttemptOutcome.OK if exc is None else _outcome_of(exc)
    last = call.calls[-1] if call.calls else None
    status = getattr(exc, "status", None) or getattr(last, "status", None)
    text = getattr(exc, "response_text", "") or getattr(last, "response_text", "") or ""
    DeliveryAttempt.objects.create(
        delivery=delivery,
        started_at=call.started_at,
        duration_ms=int((time.monotonic() - call.t0) * 1000),
        http_status=status,
        outcome=outcome,
        response_text=text[:2000],
        error=exc.message if exc else "",
        worker=worker,
        calls=[_call_json(c) for c in call.calls],
    )


def _call_json(attempt) -> dict:
    return {
        "at": attempt.started_at.isoformat(),
        "method": attempt.method,
        "url": attempt.url.split("?", 1)[0],
        "status": attempt.status,
        "ms": attempt.duration_ms,
        "error": attempt.error[:300],
    }


def _outcome_of(exc: ChannelError) -> str:
    if exc.uncertain:
        return AttemptOutcome.UNCERTAIN
    if exc.reconnect:
        return AttemptOutcome.RECONNECT
    if exc.permanent:
        return AttemptOutcome.PERMANENT
    if exc.rate_limited:
        return AttemptOutcome.RATE_LIMITED
    return AttemptOutcome.TRANSIENT


def _close(delivery: Delivery, action: str, data: dict, **fields) -> bool:
    """A delivery's final change and its publication's status, in one transaction: a
    worker killed in between leaves both as they were. Also from "incierta": if a
    stale-claim sweep overtook a slow call, the network's answer is still the truth."""
    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk, status__in=[D.ENVIANDO, D.INCIERTA]
        ).update(**fields)
        if updated:
            log_action(delivery, action, data=data)
            publication_settle(delivery.variant.publication)
    return bool(updated)


def _published(delivery: Delivery, result: PostResult, worker: str) -> str:
    _close(
        delivery,
        "publishing.delivery_published",
        {"remote_id": result.remote_id},
        status=D.PUBLICADA,
        remote_id=result.remote_id,
        remote_url=result.remote_url,
        published_at=timezone.now(),
        network_ref="",
        last_error="",
    )
    return "publicada"


def _on_error(delivery: Delivery, exc: ChannelError, worker: str) -> str:
    if exc.uncertain:
        return _uncertain(delivery, exc.message, worker)
    if exc.reconnect:
        return _hold_for_reconnection(delivery, exc.message, worker)
    if exc.permanent:
        return _fail(delivery, exc.message, worker)
    if exc.rate_limited:
        return _rate_limited(delivery, exc, worker)
    return _transient(delivery, exc.message, worker)


def _hold_for_reconnection(delivery: Delivery, error: str, worker: str) -> str:
    """The account's credentials are dead: nothing went out (the network refused the
    call). The whole account stops: it is marked for reconnection, so `due()` skips
    its deliveries; this one goes back to pending, not failed. The first delivery to
    find out tells Coordinación; reconnecting the account makes them due again, and
    the claim still sends each exactly once."""
    marked = ChannelAccount.objects.filter(
        pk=delivery.account_id, state=ChannelState.ACTIVE
    ).update(state=ChannelState.RECONNECT)
    message = f"{WAITS_FOR_RECONNECTION}{error}"
    _release(delivery, worker, delivery.scheduled_at, message)
    if marked:
        account = ChannelAccount.objects.get(pk=delivery.account_id)
        log_action(account, "publishing.account_needs_reconnection", data={"error": error})
        notify.account_needs_reconnection(account, error)
    return "espera_reconexion"


def _release(delivery: Delivery, worker: str, at: datetime, error: str) -> bool:
    return bool(
        Delivery.objects.filter(pk=delivery.pk, status=D.ENVIANDO, claimed_by=worker).update(
            status=D.PENDIENTE, scheduled_at=at, last_error=error
        )
    )


def _transient(delivery: Delivery, error: str, worker: str) -> str:
    failures = delivery.attempt_log.filter(outcome=AttemptOutcome.TRANSIENT).count()
    if failures > len(RETRY_SCHEDULE):
        return _fail(delivery, f"{error} (sin éxito tras {failures} intentos)", worker)
    _retry_at(delivery, worker, timezone.now() + RETRY_SCHEDULE[failures - 1], error)
    return "reintentar"


def _rate_limited(delivery: Delivery, exc: ChannelError, worker: str) -> str:
    limited = delivery.attempt_log.filter(outcome=AttemptOutcome.RATE_LIMITED).count()
    if limited > MAX_RATE_LIMITED:
        return _fail(delivery, exc.message, worker)
    wait = timedelta(seconds=exc.retry_after) if exc.retry_after else DEFAULT_RATE_LIMIT_WAIT
    _retry_at(delivery, worker, timezone.now() + wait, exc.message)
    return "limite"


def _retry_at(delivery: Delivery, worker: str, at: datetime, error: str) -> bool:
    """Back to pending until `at`, saying when in the municipality's time (a retry
    must not read as «maybe published»)."""
    when = timezone.localtime(at)
    day = "" if when.date() == timezone.localdate() else f" del {when:%d/%m}"
    return _release(delivery, worker, at, f"{error} Se reintentará a las {when:%H:%M}{day}.")


def _fail(delivery: Delivery, error: str, worker: str) -> str:
    if _close(
        delivery, "publishing.delivery_failed", {"error": error}, status=D.FALLIDA, last_error=error
    ):
        delivery.refresh_from_db()
        notify.delivery_needs_attention(delivery, error)
    return "fallida"


def _uncertain(delivery: Delivery, error: str, worker: str) -> str:
    updated = Delivery.objects.filter(pk=delivery.pk, status=D.ENVIANDO).update(
        status=D.INCIERTA, last_error=error
    )
    if not updated:
        return "incierta"
    log_action(delivery, "publishing.delivery_uncertain", data={"error": error})
    return settle(delivery.pk, worker)


def settle(delivery_id: int, worker: str) -> str:
    """Ask the network whether an uncertain delivery is there. Found → publicada; certainly
    absent → pendiente again (safe: the network says it is not there); cannot tell →
    stays incierta and Coordinación is asked to decide."""
    delivery = Delivery.objects.select_related("account", "variant__publication").get(
        pk=delivery_id
    )
    if delivery.status != D.INCIERTA:
        return delivery.status
    call = _Call(timezone.now(), time.monotonic())
    since = (delivery.claimed_at or delivery.scheduled_at) - FIND_EXISTING_MARGIN
    try:
        channel, call.calls = connect(delivery.account)
        found = channel.find_existing(build_post(delivery), since)
    except Exception as exc:  # noqa: BLE001 - any failure here means "cannot tell"
        error = exc if isinstance(exc, ChannelError) else ChannelError(str(exc))
        _record(delivery, worker, call, exc=error, outcome=AttemptOutcome.UNCERTAIN)
        reason = f"No se pudo comprobar si se publicó: {error.message}"
        if awaiting_automatic_check().filter(pk=delivery.pk).exists():
            reason += " Pregón lo comprobará de nuevo en un momento."
        else:  # no more automatic checks: a person decides
            notify.delivery_needs_attention(delivery, f"{reason} Revise la red y decida.")
        Delivery.objects.filter(pk=delivery.pk, status=D.INCIERTA).update(last_error=reason)
        return "incierta"
    if found:
        _record(delivery, worker, call, outcome=AttemptOutcome.FOUND)
        return _published(delivery, found, worker)
    _record(delivery, worker, call, outcome=AttemptOutcome.NOT_FOUND)
    Delivery.objects.filter(pk=delivery.pk, status=D.INCIERTA).update(
        status=D.PENDIENTE,
        scheduled_at=timezone.now(),
        last_error="Se comprobó en la red que no se publicó: se envía de nuevo.",
    )
    return "reintentar"


def recover_stale(worker: str) -> Counter:
    """Deliveries whose worker died mid-call (its lease ran out; rows from versions
    without leases: claimed longer ago than PREGON_DELIVERY_STALE_SECONDS): uncertain,
    then checked on the network."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.PREGON_DELIVERY_STALE_SECONDS)
    counts: Counter = Counter()
    stale = Delivery.objects.filter(status=D.ENVIANDO).filter(
        Q(lease_until__lt=now) | Q(lease_until__isnull=True, claimed_at__lt=cutoff)
    )
    for delivery in stale.select_related("account", "variant__publication"):
        updated = Delivery.objects.filter(
            pk=delivery.pk,
            status=D.ENVIANDO,
            claimed_at=delivery.claimed_at,
            lease_until=delivery.lease_until,
        ).update(status=D.INCIERTA, last_error="El proceso se detuvo durante el envío.")
        if updated:
            log_action(delivery, "publishing.delivery_stale", data={"by": delivery.claimed_by})
            counts[settle(delivery.pk, worker)] += 1
    return counts


# --- the worker's loop: every idle sender takes the next due delivery at once


def run_forever(
    *, senders: int | None = None, stop: threading.Event | None = None, idle: float = 1.0
) -> None:
    """What each worker process runs beside its task queue: `senders` threads, each
    taking the next due delivery as soon as it is free (no waiting for a minute
    tick), and this thread sweeping every `idle` seconds: rows to repair, dead
    workers' claims, held deliveries whose veda ended."""
    stop = stop or threading.Event()
    worker = new_worker_id()
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
    repair_once()
    recover_stale(worker)
    recheck_uncertain(worker)
    release_held()


def awaiting_automatic_check() -> QuerySet:
    """Uncertain deliveries the engine still checks by itself: a network that could
    not answer the check (down, rate-limited) may answer a little later. After
    AUTO_CHECKS failed checks a person decides."""
    failed_checks = Count("attempt_log", filter=Q(attempt_log__outcome=AttemptOutcome.UNCERTAIN))
    return (
        Delivery.objects.filter(status=D.INCIERTA, settled_by__isnull=True)
        .annotate(failed_checks=failed_checks, last_check=Max("attempt_log__started_at"))
        .filter(failed_checks__lt=AUTO_CHECKS)
    )


def recheck_uncertain(worker: str) -> Counter:
    cutoff = timezone.now() - AUTO_CHECK_AFTER
    counts: Counter = Counter()
    for delivery_id in (
        awaiting_automatic_check()
        .filter(Q(last_check__lt=cutoff) | Q(last_check__isnull=True))
        .values_list("pk", flat=True)[:50]
    ):
        counts[settle(delivery_id, worker)] += 1
    return counts


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
    candidates = list(due(now).values_list("pk", flat=True)[:CANDIDATES])
    random.shuffle(candidates)  # senders of several processes spread over the list
    for delivery_id in candidates:
        outcome = deliver(delivery_id, worker, now)
        if outcome != "tomada_por_otro":
            return outcome
    return ""
