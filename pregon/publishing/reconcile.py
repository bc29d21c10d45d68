"""Uncertain deliveries (split from engine.py): the network may or may not have the
post. `settle` asks it (`find_existing` over the whole window since the attempt
began): found → publicada; certainly absent → pendiente again; cannot tell → stays
«incierta», checked again by itself AUTO_CHECKS times, then a person decides. A
delivery is never resent blindly. A claim whose lease ran out (its worker died
mid-call) becomes uncertain and goes the same way."""

import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from pregon.publishing import attempts, connectors, deliveries, notify, outcomes
from pregon.publishing.channels.base import ChannelError
from pregon.publishing.channels.registry import networks
from pregon.publishing.models import AttemptOutcome, Delivery, DeliveryStatus
from pregon.publishing.posts import build_post

D = DeliveryStatus
FIND_EXISTING_MARGIN = timedelta(minutes=5)
AUTO_CHECKS = 4  # uncertain attempts (the send and failed checks) before a person decides
AUTO_CHECK_AFTER = timedelta(seconds=30)


def uncertain(delivery: Delivery, error: str, worker: str) -> str:
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
        return _cannot_tell(delivery, error)
    if found:
        attempts.record(delivery, worker, call, outcome=AttemptOutcome.FOUND)
        return outcomes.published(delivery, found)
    attempts.record(delivery, worker, call, outcome=AttemptOutcome.NOT_FOUND)
    deliveries.transition(
        delivery,
        "absent",
        scheduled_at=timezone.now(),
        last_error="Se comprobó en la red que no se publicó: se envía de nuevo.",
    )
    return "reintentar"


def _cannot_tell(delivery: Delivery, error: ChannelError) -> str:
    reason = f"No se pudo comprobar si se publicó: {error.message}"
    if awaiting_automatic_check().filter(pk=delivery.pk).exists():
        reason += " Pregón lo comprobará de nuevo en un momento."
    else:  # no more automatic checks: a person decides
        notify.delivery_needs_attention(delivery, f"{reason} Revise la red y decida.")
    Delivery.objects.filter(pk=delivery.pk, status=D.INCIERTA).update(last_error=reason)
    return "incierta"


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
    unreadable = [n.kind for n in networks().values() if not n.connector.can_find_existing]
    return (
        Delivery.objects.filter(status=D.INCIERTA, settled_by__isnull=True)
        .exclude(account__kind__in=unreadable)
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
