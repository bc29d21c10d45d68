"""Writes of the publishing workflow: borrador → en revisión → aprobada → programada →
publicada / fallida / cancelada. Every transition is audited. The delivery engine
(sending) lives in engine.py."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.core.audit import log_action
from pregon.publishing import cadence, compliance, deliveries, notify, publications, verdict
from pregon.publishing.models import (
    PUBLICATION_FIELDS,
    ChannelAccount,
    Delivery,
    DeliveryAction,
    DeliveryStatus,
    Publication,
    PublicationStatus,
    Variant,
)
from pregon.publishing.validation import publication_problems

S = PublicationStatus


# --- writing ----------------------------------------------------------------------


@transaction.atomic
def publication_create(*, author: User, variants: dict | None = None, **fields: Any) -> Publication:
    publication = Publication(author=author, last_edited_by=author, **_only_fields(fields))
    _default_theme(publication)
    publication.full_clean()
    publication.save()
    if variants:
        variants_set(publication=publication, variants=variants, user=author)
    log_action(publication, "publishing.created", user=author)
    return publication


def _default_theme(publication: Publication) -> None:
    """Without a chosen theme, a publication takes its category's (when one maps)."""
    if publication.theme_id is None:
        publication.theme = cadence.theme_for_category(publication.category)


def _only_fields(fields: dict) -> dict:
    unknown = set(fields) - set(PUBLICATION_FIELDS) - {"scheduled_at"}
    if unknown:
        raise ValidationError(f"Campos desconocidos: {', '.join(sorted(unknown))}.")
    return fields


@transaction.atomic
def publication_update(
    *, publication: Publication, user: User, variants: dict | None = None, **fields: Any
) -> Publication:
    """Edit; an approved or scheduled publication goes back to review (and a scheduled
    one loses its pending deliveries)."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    publications.require(publication, "edit")
    changed = _changes_content(publication, fields, variants)
    for name, value in _only_fields(fields).items():
        setattr(publication, name, value)
    _default_theme(publication)
    publication.full_clean()
    publication.save()
    if variants is not None:
        variants_set(publication=publication, variants=variants, user=user)
    if changed:
        _content_changed(publication, user)
    _back_to_review_if_approved(publication, user)
    log_action(publication, "publishing.edited", user=user, data={"fields": sorted(fields)})
    return publication


def _back_to_review_if_approved(publication: Publication, user: User) -> None:
    if not publications.allows(publication, "back_to_review"):
        return
    cancelled = deliveries.cancel_open(publication)
    publication.approved_by = None
    publication.approved_at = None
    publications.move(
        publication,
        "back_to_review",
        user=user,
        data={"cancelled": cancelled},
        fields=("approved_by", "approved_at"),
    )


def variants_set(*, publication: Publication, variants: dict, user: User) -> list[Variant]:
    """`variants`: {account_id: {"text": str, "media": [media ids], "alt_texts": {...}}}.
    Accounts not listed lose their variant."""
    keep = []
    for account_id, spec in variants.items():
        account = ChannelAccount.objects.filter(pk=account_id).first()
        if account is None:
            raise ValidationError(
                {"variants": f"No existe la cuenta de canal con id {account_id}."}
            )
        defaults = {"text": spec.get("text", "")}
        if "alt_texts" in spec:  # a form without per-channel alt texts keeps them
            defaults["alt_texts"] = spec["alt_texts"] or {}
        variant, _ = Variant.objects.update_or_create(
            publication=publication, account=account, defaults=defaults
        )
        media_ids = spec.get("media") or []
        variant.media.set(publication.media.filter(pk__in=media_ids))
        keep.append(variant.pk)
    publication.variants.exclude(pk__in=keep).filter(deliveries__isnull=True).delete()
    return list(publication.variants.all())


# --- workflow ---------------------------------------------------------------------


class SubmitRefused(ValidationError):
    """A submission the verdict refuses; `problems` says for each its channel and field."""

    def __init__(self, problems: list[verdict.Problem]) -> None:
        self.problems = problems
        super().__init__(["No se puede enviar a revisión.", *map(str, problems)], code="submit")


@transaction.atomic
def publication_submit(*, publication: Publication, user: User) -> Publication:
    """To review, once the verdict's part that no date changes (AT_SUBMIT: the
    networks' rules, alt text, subtitles, contrast, minors, usage rights) allows every
    channel; veda, promotion and the report window are Coordinación's at approval."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    publications.require(publication, "submit")
    variants = list(publication.variants.select_related("account", "publication"))
    if not variants:
        raise ValidationError("Agregue al menos un canal antes de enviar a revisión.")
    problems = verdict.submit_problems(variants, publication.scheduled_at or timezone.now())
    if problems:
        raise SubmitRefused(problems)
    publication.submitted_at = timezone.now()
    publication.missed_at = None
    return publications.move(publication, "submit", user=user, fields=("submitted_at", "missed_at"))


def approval_refusal(publication: Publication, user: User) -> str:
    """Why `user` may not approve this version ("" when they may)."""
    return access.approval_refusal(
        user,
        kind="publicacion",
        author_id=publication.author_id,
        editor_id=publication.last_edited_by_id,
    )


def _changes_content(publication: Publication, fields: dict, variants: dict | None) -> bool:
    """Does this edit change what goes out? A form sends every field back; moving the
    date alone is scheduling, not content."""
    if any(
        getattr(publication, name) != value
        for name, value in fields.items()
        if name != "scheduled_at"
    ):
        return True
    return variants is not None and _variant_content(variants) != _current_variants(publication)


def _variant_content(variants: dict) -> dict:
    return {
        int(account_id): (
            spec.get("text", ""),
            spec.get("alt_texts") or {},
            sorted(int(m) for m in spec.get("media") or []),
        )
        for account_id, spec in variants.items()
    }


def _current_variants(publication: Publication) -> dict:
    return {
        variant.account_id: (
            variant.text,
            variant.alt_texts or {},
            sorted(m.pk for m in variant.media.all()),
        )
        for variant in publication.variants.prefetch_related("media")
    }


def _content_changed(publication: Publication, user: User | None) -> None:
    """Remember who last changed what goes out: they cannot approve this version."""
    if user is None or publication.last_edited_by_id == user.pk:
        return
    publication.last_edited_by = user
    Publication.objects.filter(pk=publication.pk).update(last_edited_by=user)


def publication_approve(*, publication: Publication, user: User) -> Publication:
    """Coordinación approves; per-network rules and the compliance rules (veda,
    personal promotion, alt text, minors) are enforced here. If a date is set and
    still ahead, approving also schedules."""
    access.check(user, "publishing.approve_publication")
    publication.refresh_from_db(fields=["status", "scheduled_at"])
    if publications.allows(publication, "approve"):
        # Outside the transaction below: a refusal is recorded even though it raises.
        compliance.gate(publication, user=user, when=publication.scheduled_at, stage="aprobar")
    return _approve(publication=publication, user=user)


@transaction.atomic
def _approve(*, publication: Publication, user: User) -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    publications.require(publication, "approve")
    refusal = approval_refusal(publication, user)
    if refusal:
        raise access.ApprovalRefused(refusal)
    problems = publication_problems(publication)
    if problems:
        raise ValidationError(problems)
    publication.approved_by = user
    publication.approved_at = timezone.now()
    publications.move(publication, "approve", user=user, fields=("approved_by", "approved_at"))
    if publication.scheduled_at and publication.scheduled_at > timezone.now():
        return _schedule(publication=publication, user=user, when=publication.scheduled_at)
    return publication


def publication_schedule(*, publication: Publication, user: User, when: datetime) -> Publication:
    """Create one pending delivery per variant at `when` (or move them if scheduled),
    unless a compliance rule forbids going out at `when`."""
    access.check(user, "publishing.schedule_publication")
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    publication.refresh_from_db(fields=["status"])
    if publications.allows(publication, "schedule"):
        compliance.gate(publication, user=user, when=when, stage="programar")
    return _schedule(publication=publication, user=user, when=when)


@transaction.atomic
def _schedule(*, publication: Publication, user: User, when: datetime) -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    publications.require(publication, "schedule")
    if publication.status == S.PROGRAMADA:
        return _reschedule(publication, user, when)
    publication.scheduled_at = when
    publications.move(
        publication, "schedule", user=user, data={"at": when.isoformat()}, fields=("scheduled_at",)
    )
    for variant in publication.variants.select_related("account"):
        Delivery.objects.create(variant=variant, account=variant.account, scheduled_at=when)
    return publication


def publication_move(*, publication: Publication, user: User, when: datetime) -> Publication:
    """Calendar drag: a scheduled publication moves with its pending deliveries
    (checked against the compliance rules at the new date); one not yet scheduled
    just changes its intended date."""
    publication.refresh_from_db(fields=["status"])
    if publication.status == S.PROGRAMADA:
        return publication_schedule(publication=publication, user=user, when=when)
    return _move(publication=publication, user=user, when=when)


@transaction.atomic
def _move(*, publication: Publication, user: User, when: datetime) -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    publications.require(publication, "move_date")
    previous = publication.scheduled_at
    publication.scheduled_at = when
    publication.missed_at = None
    publication.save(update_fields=["scheduled_at", "missed_at", "updated_at"])
    log_action(
        publication,
        "publishing.rescheduled",
        user=user,
        data={"from": previous.isoformat() if previous else None, "to": when.isoformat()},
    )
    return publication


def _reschedule(publication: Publication, user: User, when: datetime) -> Publication:
    previous = publication.scheduled_at
    publication.scheduled_at = when
    publication.save(update_fields=["scheduled_at", "updated_at"])
    moved = deliveries.move_open(publication, when)
    log_action(
        publication,
        "publishing.rescheduled",
        user=user,
        data={"from": previous.isoformat() if previous else None, "to": when.isoformat()},
    )
    log_action(publication, "publishing.deliveries_moved", user=user, data={"moved": moved})
    return publication


@transaction.atomic
def publication_cancel(*, publication: Publication, user: User, reason: str = "") -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    publications.require(publication, "cancel")
    cancelled = deliveries.cancel_open(publication)
    data = {"reason": reason, "deliveries_cancelled": cancelled}
    return publications.move(publication, "cancel", user=user, data=data)


@transaction.atomic
def publication_delete(*, publication: Publication, user: User) -> None:
    """Delete a publication that never went out. Pending deliveries are cancelled
    first with a conditional update: one a worker already took blocks the delete."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    deliveries.cancel_open(publication)
    busy = publication.variants.filter(
        deliveries__status__in=[
            DeliveryStatus.ENVIANDO,
            DeliveryStatus.PUBLICADA,
            DeliveryStatus.INCIERTA,
        ]
    )
    if busy.exists():
        raise ValidationError(
            "No se puede eliminar: ya se publicó o se está enviando en algún canal."
        )
    log_action(publication, "publishing.deleted", user=user, data={"title": publication.title})
    publication.delete()


def publications_missed(now: datetime | None = None) -> list[Publication]:
    """Publications whose date came while still not approved: they do not go out and
    the author is told once (e-mail; the home panel lists them too)."""
    now = now or timezone.now()
    missed = Publication.objects.filter(
        status__in=[S.BORRADOR, S.EN_REVISION], scheduled_at__lte=now, missed_at__isnull=True
    ).select_related("author")
    told = []
    for publication in missed:
        updated = Publication.objects.filter(pk=publication.pk, missed_at__isnull=True).update(
            missed_at=now
        )
        if updated:
            log_action(publication, "publishing.missed", data={"scheduled_at": str(now)})
            notify.author_missed(publication)
            told.append(publication)
    return told


# --- manual channel and people settling deliveries --------------------------------


@transaction.atomic
def delivery_mark_published(
    *, delivery: Delivery, user: User, url: str, remote_id: str = ""
) -> Delivery:
    """A person says it is on the network (manual channel, or an uncertain outcome
    they checked). Only a delivery nobody is sending right now can be marked."""
    access.check(user, "publishing.settle_delivery")
    deliveries.by_person(
        delivery,
        "mark_published",
        user=user,
        data={"url": url},
        remote_url=url,
        remote_id=remote_id or url,
        published_at=timezone.now(),
        settled_by=user,
    )
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def delivery_retry(*, delivery: Delivery, user: User) -> Delivery:
    """A person decided an uncertain or failed delivery is NOT on the network: send it
    again now. This is the only way an uncertain delivery is ever sent again."""
    access.check(user, "publishing.settle_delivery")
    if delivery.account.needs_person:
        raise ValidationError("Los canales manuales se marcan a mano.")
    # The publication is programada again, in the same transaction.
    deliveries.by_person(
        delivery, "resend", user=user, scheduled_at=timezone.now(), settled_by=user
    )
    delivery.refresh_from_db()
    return delivery


def delivery_require_action(delivery: Delivery, action: str) -> None:
    """Refuse an action the delivery's status does not offer (Delivery.actions)."""
    if action not in delivery.actions:
        label = DeliveryAction(action).label if action in DeliveryAction.values else action
        raise ValidationError(
            f"«{label}» no se puede hacer con un envío {delivery.get_status_display().lower()}."
        )


@transaction.atomic
def delivery_recheck(*, delivery: Delivery, user: User) -> Delivery:
    """Ask the network again whether an uncertain delivery is there (in the worker:
    no network calls in a request). Only an uncertain outcome can be checked; the
    caller queues the check (`tasks.enqueue_settle`): tasks call services, never the
    reverse."""
    access.check(user, "publishing.settle_delivery")
    delivery.refresh_from_db()
    delivery_require_action(delivery, DeliveryAction.RECHECK)
    log_action(delivery, "publishing.delivery_recheck_requested", user=user)
    return delivery


@transaction.atomic
def delivery_give_up(*, delivery: Delivery, user: User) -> Delivery:
    access.check(user, "publishing.settle_delivery")
    deliveries.by_person(delivery, "give_up", user=user, settled_by=user)
    delivery.refresh_from_db()
    return delivery
