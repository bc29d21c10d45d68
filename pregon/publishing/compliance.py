"""Publishing's side of the compliance rules (pregon.compliance): what a variant is
checked against at approve, schedule and delivery time, and how verdicts are
recorded. The rules themselves (periods, exemptions, servants) are data kept by
Coordinación in the compliance app."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pregon.compliance.rules import held_items
from pregon.compliance.services import record_verdict
from pregon.compliance.verdict import Verdict
from pregon.publishing.models import Delivery, DeliveryStatus, Publication, Variant
from pregon.publishing.verdict import check_variant, compliance_part

# Rules that lift by themselves when the period ends: a delivery they stop is held,
# not failed. Anything else (alt text, minors) needs a person.
WAITING_RULES = {"veda", "promocion_personal"}


def variant_verdict(variant: Variant, when: datetime) -> Verdict:
    """Every compliance rule for one channel's variant at `when`: the verdict's part
    that compliance records (the network's own limits are refused at approval)."""
    return compliance_part(check_variant(variant, when))


@dataclass
class VariantCheck:
    variant: Variant
    verdict: Verdict


def publication_checks(publication: Publication, when: datetime | None = None) -> list:
    """Verdicts per variant (what the review page shows, with matched names)."""
    when = when or publication.scheduled_at or timezone.now()
    variants = publication.variants.select_related("account", "publication")
    return [VariantCheck(v, variant_verdict(v, when)) for v in variants]


def gate(publication: Publication, *, user, when: datetime | None, stage: str) -> list:
    """Check and record every variant; raise ValidationError naming the rule (and
    until when) if any blocks. Must run outside the caller's transaction so the
    recorded refusal survives the refusal itself."""
    when = when or publication.scheduled_at or timezone.now()
    checks = publication_checks(publication, when)
    for check in checks:
        _record(check, user, when)
    blocked = [c for c in checks if c.verdict.blocked]
    if blocked:
        raise ValidationError(
            [f"No se puede {stage}."] + list(dict.fromkeys(_messages(blocked))),
            code="compliance",
        )
    return checks


def _messages(checks: list[VariantCheck]):
    for check in checks:
        for rule, level, message in check.verdict.entries():
            if level != "block":
                continue
            # A veda concerns the publication, not one channel: say it once.
            yield message if rule == "veda" else f"{check.variant.account.name}: {message}"


def _record(check: VariantCheck, user, when: datetime) -> None:
    variant = check.variant
    record_verdict(
        check.verdict,
        app_label="publishing",
        object_id=variant.publication_id,
        object_label=f"{variant.publication} · {variant.account}",
        user=user,
        item_date=when,
    )


def delivery_verdict(delivery: Delivery, now: datetime) -> Verdict:
    return variant_verdict(delivery.variant, now)


def record_delivery(delivery: Delivery, verdict: Verdict, now: datetime) -> None:
    _record(VariantCheck(delivery.variant, verdict), None, now)


def waits(verdict: Verdict) -> bool:
    """Blocked only by rules that lift when the period ends → hold, do not fail."""
    blocking = {rule for rule, level, _ in verdict.entries() if level == "block"}
    return bool(blocking) and blocking <= WAITING_RULES


def upcoming_held(deliveries) -> list:
    """Pending deliveries a veda will hold when their time comes (compliance's
    `held_items`), whenever they were scheduled."""
    rows = [(d, d.variant.publication.category, d.scheduled_at) for d in deliveries]
    by_id = {d.pk: d for d, _, _ in rows}
    held = held_items((d.pk, category, at) for d, category, at in rows)
    return [(by_id[h.id], h.verdict) for h in held]


def held_for_compliance_page() -> list[dict]:
    """The compliance page's list: held now, and pending ones a veda will hold."""
    held = Delivery.objects.filter(status=DeliveryStatus.RETENIDA).select_related(
        "account", "variant__publication"
    )
    pending = Delivery.objects.filter(status=DeliveryStatus.PENDIENTE).select_related(
        "account", "variant__publication"
    )
    items = [_item(d, d.last_error, reverse, "Retenida", d.held_until) for d in held.order_by("pk")]
    for delivery, verdict in upcoming_held(pending.order_by("scheduled_at")[:500]):
        items.append(_item(delivery, verdict.message, reverse, "Se retendrá", verdict.until))
    return items


def _item(delivery: Delivery, message: str, reverse, state: str, until) -> dict:
    local = timezone.localtime(delivery.scheduled_at)
    return {
        "text": f"{delivery.variant.publication} · {delivery.account}",
        "url": reverse("publishing:detail", args=[delivery.variant.publication_id]),
        "meta": f"{state} · programada para el {local:%d/%m/%Y %H:%M}",
        "message": message,
        "until": until,
    }
