"""The compliance rules again at delivery time (split from engine.py): a veda
registered after the publication was scheduled holds the delivery until it ends
(«retenida», released by `release_held`); any other block (alt text, minors) fails
it with the rule's message."""

from collections import Counter
from datetime import datetime

from django.db.models import F
from django.utils import timezone

from pregon.publishing import compliance, deliveries, outcomes
from pregon.publishing.models import Delivery, DeliveryStatus


def refusal(delivery: Delivery, worker: str, now: datetime) -> str:
    """The outcome when the rules stop this delivery now; "" = it may go out."""
    verdict = compliance.delivery_verdict(delivery, now)
    if verdict.allowed:
        if verdict.messages:
            compliance.record_delivery(delivery, verdict, now)
        return ""
    compliance.record_delivery(delivery, verdict, now)
    if not compliance.waits(verdict):
        return outcomes.fail(delivery, verdict.message)
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
    held = Delivery.objects.filter(status=DeliveryStatus.RETENIDA).select_related(
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
