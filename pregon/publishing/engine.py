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

Every status change goes through deliveries.py (the one table of moves). Beside this
module: connectors.py (connector per account), leases.py (claims kept alive),
attempts.py (the attempt log) and worker.py (the loop `pregon worker` runs).
"""

import logging
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from pregon.archive.services import IngestError
from pregon.core.audit import log_action
from pregon.publishing import (
    attempts,
    compliance,
    connectors,
    deliveries,
    leases,
    media_links,
    notify,
)
from pregon.publishing.channels import registry
from pregon.publishing.channels.base import (
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
    DeliveryStatus,
    PublicationStatus,
)
from pregon.publishing.services import (
    WAITS_FOR_RECONNECTION,
    media_public_captions,
    media_public_path,
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


def new_worker_id() -> str:
    return f"pub-{uuid.uuid4().hex[:12]}"


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
    leases.keep(delivery_id, worker)
    try:
        return _deliver_claimed(delivery_id, worker, now)
    finally:
        leases.let_go(delivery_id)


def _deliver_claimed(delivery_id: int, worker: str, now: datetime) -> str:
    delivery = Delivery.objects.select_related("account", "variant__publication").get(
        pk=delivery_id
    )
    if delivery.account.state != ChannelState.ACTIVE:
        # The account was marked for reconnection after the list was read: wait.
        _unclaim(delivery, worker)
        return "espera_reconexion"
    if delivery.variant.publication.status != PublicationStatus.PROGRAMADA:
        # Sent back to review or cancelled after the list was read: not ours to send.
        _unclaim(delivery, worker)
        return "no_programada"
    refused = _compliance_refusal(delivery, worker, now)
    if refused:
        return refused
    try:
        channel, calls = connectors.connect(delivery.account)
        post = build_post(delivery)
        if channel.needs_person:  # never sent by the engine: back to the person's queue
            _release(delivery, worker, delivery.scheduled_at, "")
            return "manual"
    except ChannelError as exc:  # refused before any call: nothing went out
        attempts.record(delivery, worker, attempts.Call(timezone.now(), time.monotonic()), exc=exc)
        return _fail(delivery, exc.message, worker)
    return _send(delivery, channel, calls, post, worker)


def _unclaim(delivery: Delivery, worker: str) -> None:
    """Nothing was sent: the try does not count."""
    deliveries.transition(delivery, "unclaim", worker=worker, attempts=F("attempts") - 1)


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
    deliveries.transition(
        delivery,
        "hold",
        worker=worker,
        data={"rules": list(verdict.rules)},
        held_until=verdict.until,
        last_error=verdict.message,
        attempts=F("attempts") - 1,  # nothing was sent
    )
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
        data = {"at": now.isoformat()}
        if deliveries.transition(delivery, "release", data=data, held_until=None):
            counts["liberada"] += 1
    return counts


def _send(delivery: Delivery, channel: Channel, calls: list, post: OutgoingPost, worker) -> str:
    call = attempts.Call(timezone.now(), time.monotonic(), calls)
    try:
        result = _publish_or_resume(channel, post, delivery.network_ref)
    except NotReady as wait:
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
    attempts.record(delivery, worker, call)
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
        captions = media_public_captions(item)
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
    try:
        return media_public_path(item)
    except IngestError as exc:
        what = "Video" if item.is_video else "Imagen"
        raise ChannelError(f"{what} «{item}»: {exc}", permanent=True) from exc


def _published(delivery: Delivery, result: PostResult, worker: str) -> str:
    # With its publication's status, in one transaction (deliveries.transition).
    deliveries.transition(
        delivery,
        "publish",
        data={"remote_id": result.remote_id},
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
    return deliveries.transition(
        delivery, "requeue", worker=worker, scheduled_at=at, last_error=error
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
    if deliveries.transition(delivery, "fail", data={"error": error}, last_error=error):
        delivery.refresh_from_db()
        notify.delivery_needs_attention(delivery, error)
    return "fallida"


def _uncertain(delivery: Delivery, error: str, worker: str) -> str:
    if not deliveries.transition(delivery, "uncertain", data={"error": error}, last_error=error):
        return "incierta"
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
    call = attempts.Call(timezone.now(), time.monotonic())
    since = (delivery.claimed_at or delivery.scheduled_at) - FIND_EXISTING_MARGIN
    try:
        channel, call.calls = connectors.connect(delivery.account)
        found = channel.find_existing(build_post(delivery), since)
    except Exception as exc:  # noqa: BLE001 - any failure here means "cannot tell"
        error = exc if isinstance(exc, ChannelError) else ChannelError(str(exc))
        attempts.record(delivery, worker, call, exc=error, outcome=AttemptOutcome.UNCERTAIN)
        reason = f"No se pudo comprobar si se publicó: {error.message}"
        if awaiting_automatic_check().filter(pk=delivery.pk).exists():
            reason += " Pregón lo comprobará de nuevo en un momento."
        else:  # no more automatic checks: a person decides
            notify.delivery_needs_attention(delivery, f"{reason} Revise la red y decida.")
        Delivery.objects.filter(pk=delivery.pk, status=D.INCIERTA).update(last_error=reason)
        return "incierta"
    if found:
        attempts.record(delivery, worker, call, outcome=AttemptOutcome.FOUND)
        return _published(delivery, found, worker)
    attempts.record(delivery, worker, call, outcome=AttemptOutcome.NOT_FOUND)
    deliveries.transition(
        delivery,
        "absent",
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
        if deliveries.transition(
            delivery,
            "stale",
            # nobody renewed or re-took the claim since it was read
            where=Q(claimed_at=delivery.claimed_at, lease_until=delivery.lease_until),
            data={"by": delivery.claimed_by},
            last_error="El proceso se detuvo durante el envío.",
        ):
            counts[settle(delivery.pk, worker)] += 1
    return counts


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
