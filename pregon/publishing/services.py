"""Writes of the publishing workflow: borrador → en revisión → aprobada → programada →
publicada / fallida / cancelada. Every transition is audited. The delivery engine
(sending) lives in engine.py."""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from pregon.accounts import access
from pregon.core import images
from pregon.core.audit import log_action
from pregon.core.uploads import max_bytes, too_large_message
from pregon.publishing import compliance, notify
from pregon.publishing.models import (
    PUBLICATION_FIELDS,
    ChannelAccount,
    ChannelState,
    Delivery,
    DeliveryAction,
    DeliveryStatus,
    Publication,
    PublicationMedia,
    PublicationStatus,
    Variant,
)
from pregon.publishing.validation import publication_problems

S = PublicationStatus
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
IMAGE_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def _require_status(publication: Publication, *allowed: str, action: str) -> None:
    if publication.status not in allowed:
        raise ValidationError(
            f"No se puede {action} una publicación en estado «{publication.get_status_display()}»."
        )


# --- writing ----------------------------------------------------------------------


@transaction.atomic
def publication_create(*, author, variants: dict | None = None, **fields) -> Publication:
    publication = Publication(author=author, last_edited_by=author, **_only_fields(fields))
    publication.full_clean()
    publication.save()
    if variants:
        variants_set(publication=publication, variants=variants, user=author)
    log_action(publication, "publishing.created", user=author)
    return publication


@dataclass
class ComposedMedia:
    """One photo or video in the composer, in order: already on the publication
    (`media_id`) or an archive asset to attach when it is saved (`asset_id`)."""

    token: str
    alt_text: str
    media_id: int | None = None
    asset_id: int | None = None


@transaction.atomic
def publication_compose(
    *,
    publication: Publication | None,
    user,
    fields: dict,
    media: list[ComposedMedia],
    variants: dict,
    submit: bool = False,
) -> Publication:
    """The composer's one save: the fields, the photos and videos (attached, reordered,
    removed), each channel's text and media (tokens of `media`) and, if asked, the
    submission to review. All or nothing: a refusal leaves the publication as it was."""
    if publication is None:
        publication = publication_create(author=user, **fields)
    else:
        publication = publication_update(publication=publication, user=user, **fields)
    by_token = _media_set(publication=publication, media=media, user=user)
    specs = {
        account_id: {
            "text": spec["text"],
            "media": [by_token[t] for t in spec["media"] if t in by_token],
        }
        for account_id, spec in variants.items()
    }
    variants_set(publication=publication, variants=specs, user=user)
    if submit:
        publication = publication_submit(publication=publication, user=user)
    return publication


def _media_set(*, publication: Publication, media: list[ComposedMedia], user) -> dict[str, int]:
    """Attach new archive assets, keep and reorder the others, drop what was removed.
    Returns token -> PublicationMedia id."""
    from pregon.archive.models import Asset

    kept = {m.pk: m for m in publication.media.all()}
    by_token: dict[str, int] = {}
    for position, item in enumerate(media):
        if item.media_id in kept:
            row = kept.pop(item.media_id)
            row.alt_text, row.position = item.alt_text[:1000], position
            row.save(update_fields=["alt_text", "position"])
        elif item.asset_id:
            asset = Asset.objects.get(pk=item.asset_id)
            row = media_attach_asset(
                publication=publication, asset=asset, alt_text=item.alt_text, user=user
            )
            PublicationMedia.objects.filter(pk=row.pk).update(position=position)
        else:
            continue
        by_token[item.token] = row.pk
    for row in kept.values():
        log_action(publication, "publishing.media_removed", user=user, data={"media": row.pk})
        row.delete()
    return by_token


def _only_fields(fields: dict) -> dict:
    unknown = set(fields) - set(PUBLICATION_FIELDS) - {"scheduled_at"}
    if unknown:
        raise ValidationError(f"Campos desconocidos: {', '.join(sorted(unknown))}.")
    return fields


@transaction.atomic
def publication_update(*, publication: Publication, user, variants: dict | None = None, **fields):
    """Edit; an approved or scheduled publication goes back to review (and a scheduled
    one loses its pending deliveries)."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    _require_status(publication, *[s.value for s in _editable()], action="editar")
    changed = _changes_content(publication, fields, variants)
    for name, value in _only_fields(fields).items():
        setattr(publication, name, value)
    publication.full_clean()
    publication.save()
    if variants is not None:
        variants_set(publication=publication, variants=variants, user=user)
    if changed:
        _content_changed(publication, user)
    _back_to_review_if_approved(publication, user)
    log_action(publication, "publishing.edited", user=user, data={"fields": sorted(fields)})
    return publication


def _editable() -> tuple:
    return (S.BORRADOR, S.EN_REVISION, S.APROBADA, S.PROGRAMADA)


def _back_to_review_if_approved(publication: Publication, user) -> None:
    if publication.status not in (S.APROBADA, S.PROGRAMADA):
        return
    cancelled = _cancel_pending_deliveries(publication)
    publication.status = S.EN_REVISION
    publication.approved_by = None
    publication.approved_at = None
    publication.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    log_action(publication, "publishing.back_to_review", user=user, data={"cancelled": cancelled})


def variants_set(*, publication: Publication, variants: dict, user) -> list[Variant]:
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


def media_add(
    *, publication: Publication, upload: UploadedFile, alt_text: str = "", user=None
) -> PublicationMedia:
    """Validate by content (not by name or declared type), take the image into the
    archive (an exact duplicate reuses the archived asset) and attach it. The upload
    is also kept on the row as it came (design pieces and older callers read it);
    what goes out is the archive's public derivative. Checking and decoding happen
    before the short write transaction at the end."""
    info = _inspect_image(upload)
    upload.seek(0)
    asset = _ingest(publication, upload, info["mime_type"], user)
    media = PublicationMedia(
        publication=publication,
        asset=asset,
        original_name=Path(upload.name or "imagen").name[:255],
        alt_text=alt_text,
        position=publication.media.count(),
        **info,
    )
    upload.seek(0)
    media.file.save(Path(upload.name or "imagen").name, upload, save=False)
    with transaction.atomic():
        media.save()
        _content_changed(publication, user)
        log_action(
            publication,
            "publishing.media_added",
            user=user,
            data={"media": media.pk, "asset": asset.pk},
        )
    return media


def _ingest(publication: Publication, upload: UploadedFile, mime_type: str, user):
    # The archive refuses a name whose extension contradicts the content; the
    # content decides, so the name follows it.
    stem = Path(upload.name or "imagen").stem[:200] or "imagen"
    return _archive_ingest(
        upload,
        f"{stem}.{IMAGE_EXTENSIONS[mime_type]}",
        user,
        publication.activity,
        publication.area,
    )


def _archive_ingest(upload: UploadedFile, name: str, user, activity, area):
    """Into the archive with its checks by content; an exact duplicate is the
    archived asset itself."""
    from pregon.archive.services import IngestError, asset_ingest

    try:
        return asset_ingest(
            file_path_or_uploaded_file=upload,
            original_name=name,
            user=user,
            activity=activity,
            area=area,
        )
    except IngestError as exc:
        if exc.existing is None:
            raise ValidationError(f"El archivo «{upload.name}»: {exc.message}") from exc
        return exc.existing


def composer_upload(*, upload: UploadedFile, user, activity=None, area=None):
    """A photo or video dropped in the composer goes into the archive (its checks by
    content, size and pixel count); the composer then refers to the asset until the
    publication is saved. Anything that cannot go to a network is refused first."""
    from pregon.archive import media

    name = Path(upload.name or "archivo").name
    fmt = media.sniff(upload.read(64))
    upload.seek(0)
    if fmt is None or fmt.kind not in ("foto", "video"):
        raise ValidationError(f"El archivo «{name}» no es una imagen ni un video.")
    if fmt.kind == "foto":
        mime_type = _inspect_image(upload)["mime_type"]
        upload.seek(0)
        stem = Path(name).stem[:200] or "imagen"
        asset = _archive_ingest(
            upload, f"{stem}.{IMAGE_EXTENSIONS[mime_type]}", user, activity, area
        )
    else:
        if upload.size and upload.size > max_bytes("video"):
            raise ValidationError(too_large_message("video", name))
        asset = _archive_ingest(upload, name, user, activity, area)
    media_shape(asset)
    return asset


def media_attach_asset(
    *, publication: Publication, asset, alt_text: str = "", user=None
) -> PublicationMedia:
    """Attach an archive image or video. What goes out is the asset's public
    derivative (JPEG, no GPS; for a video, an MP4 copy without metadata); the minors,
    rights and subtitles rules are checked at approval and again at delivery. Alt
    text defaults to the archive's."""
    shape = media_shape(asset)
    media = PublicationMedia.objects.create(
        publication=publication,
        asset=asset,
        original_name=(asset.original_name or str(asset))[:255],
        alt_text=(alt_text or asset.alt_text)[:1000],
        position=publication.media.count(),
        **shape,
    )
    _content_changed(publication, user)
    log_action(
        publication,
        "publishing.media_added",
        user=user,
        data={"media": media.pk, "asset": asset.pk},
    )
    return media


def media_shape(asset) -> dict:
    """What a publication would send of an archive asset (type, size in pixels and
    bytes, duration): the fields of PublicationMedia. Raises ValidationError for an
    asset that cannot go to a network (audio, documents, no derivative)."""
    if asset.kind == "video":
        return _video_shape(asset)
    if asset.kind in ("foto", "diseno") and asset.preview:
        return _image_shape(asset)
    raise ValidationError(f"«{asset}» no es una imagen del archivo que pueda publicarse.")


def _image_shape(asset) -> dict:
    """What goes out: the public JPEG derivative's size, or the archive's figures when
    it may not go out now (approval will say why, by rule)."""
    from pregon.archive.services import IngestError, asset_public_derivative

    try:
        derivative = asset_public_derivative(asset)
        with Image.open(derivative) as image:
            width, height = image.size
        size = derivative.stat().st_size
    except IngestError:
        width, height, size = asset.width or 0, asset.height or 0, asset.size
    return {"mime_type": "image/jpeg", "width": width, "height": height, "size_bytes": size}


def _video_shape(asset) -> dict:
    if not (asset.width and asset.duration):
        raise ValidationError(f"«{asset}» no es un video que pueda publicarse (sin imagen).")
    return {
        "mime_type": "video/mp4",
        "width": asset.width,
        "height": asset.height or 0,
        "size_bytes": asset.size,
        "duration": asset.duration,
    }


def _inspect_image(upload: UploadedFile) -> dict:
    """By content, with the check every image path uses (pixel count, complete data)."""
    name = upload.name or "archivo"
    if upload.size and upload.size > max_bytes("foto"):
        raise ValidationError(too_large_message("foto", name))
    data = upload.read()
    try:
        info = images.check_raster(data, tuple(IMAGE_FORMATS))
    except images.ImageUnreadable as exc:
        raise ValidationError(
            f"El archivo «{name}» no es una imagen válida (JPEG, PNG o WebP)."
        ) from exc
    except images.ImageRejected as exc:
        raise ValidationError(f"El archivo «{name}»: {exc}") from exc
    return {
        "mime_type": IMAGE_FORMATS[info.format],
        "width": info.width,
        "height": info.height,
        "size_bytes": len(data),
    }


# --- workflow ---------------------------------------------------------------------


@transaction.atomic
def publication_submit(*, publication: Publication, user) -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    _require_status(publication, S.BORRADOR, action="enviar a revisión")
    if not publication.variants.exists():
        raise ValidationError("Agregue al menos un canal antes de enviar a revisión.")
    publication.status = S.EN_REVISION
    publication.submitted_at = timezone.now()
    publication.missed_at = None
    publication.save(update_fields=["status", "submitted_at", "missed_at", "updated_at"])
    log_action(publication, "publishing.submitted", user=user)
    return publication


def approval_refusal(publication: Publication, user) -> str:
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


def _content_changed(publication: Publication, user) -> None:
    """Remember who last changed what goes out: they cannot approve this version."""
    if user is None or publication.last_edited_by_id == user.pk:
        return
    publication.last_edited_by = user
    Publication.objects.filter(pk=publication.pk).update(last_edited_by=user)


def publication_approve(*, publication: Publication, user) -> Publication:
    """Coordinación approves; per-network rules and the compliance rules (veda,
    personal promotion, alt text, minors) are enforced here. If a date is set and
    still ahead, approving also schedules."""
    access.check(user, "publishing.approve_publication")
    publication.refresh_from_db(fields=["status", "scheduled_at"])
    if publication.status == S.EN_REVISION:
        # Outside the transaction below: a refusal is recorded even though it raises.
        compliance.gate(publication, user=user, when=publication.scheduled_at, stage="aprobar")
    return _approve(publication=publication, user=user)


@transaction.atomic
def _approve(*, publication: Publication, user) -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    _require_status(publication, S.EN_REVISION, action="aprobar")
    refusal = approval_refusal(publication, user)
    if refusal:
        raise access.ApprovalRefused(refusal)
    problems = publication_problems(publication)
    if problems:
        raise ValidationError(problems)
    publication.status = S.APROBADA
    publication.approved_by = user
    publication.approved_at = timezone.now()
    publication.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    log_action(publication, "publishing.approved", user=user)
    if publication.scheduled_at and publication.scheduled_at > timezone.now():
        return _schedule(publication=publication, user=user, when=publication.scheduled_at)
    return publication


def publication_schedule(*, publication: Publication, user, when: datetime) -> Publication:
    """Create one pending delivery per variant at `when` (or move them if scheduled),
    unless a compliance rule forbids going out at `when`."""
    access.check(user, "publishing.schedule_publication")
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    publication.refresh_from_db(fields=["status"])
    if publication.status in (S.APROBADA, S.PROGRAMADA):
        compliance.gate(publication, user=user, when=when, stage="programar")
    return _schedule(publication=publication, user=user, when=when)


@transaction.atomic
def _schedule(*, publication: Publication, user, when: datetime) -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    _require_status(publication, S.APROBADA, S.PROGRAMADA, action="programar")
    if publication.status == S.PROGRAMADA:
        return _reschedule(publication, user, when)
    publication.status = S.PROGRAMADA
    publication.scheduled_at = when
    publication.save(update_fields=["status", "scheduled_at", "updated_at"])
    for variant in publication.variants.select_related("account"):
        Delivery.objects.create(variant=variant, account=variant.account, scheduled_at=when)
    log_action(publication, "publishing.scheduled", user=user, data={"at": when.isoformat()})
    return publication


def publication_move(*, publication: Publication, user, when: datetime) -> Publication:
    """Calendar drag: a scheduled publication moves with its pending deliveries
    (checked against the compliance rules at the new date); one not yet scheduled
    just changes its intended date."""
    publication.refresh_from_db(fields=["status"])
    if publication.status == S.PROGRAMADA:
        return publication_schedule(publication=publication, user=user, when=when)
    return _move(publication=publication, user=user, when=when)


@transaction.atomic
def _move(*, publication: Publication, user, when: datetime) -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    _require_status(publication, S.BORRADOR, S.EN_REVISION, S.APROBADA, action="mover")
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


def _reschedule(publication: Publication, user, when: datetime) -> Publication:
    previous = publication.scheduled_at
    publication.scheduled_at = when
    publication.save(update_fields=["scheduled_at", "updated_at"])
    # Only deliveries nobody has claimed move; one being sent stays as it is. Held
    # ones move too: the new date already passed the compliance check.
    moved = Delivery.objects.filter(
        variant__publication=publication,
        status__in=[DeliveryStatus.PENDIENTE, DeliveryStatus.RETENIDA],
        attempts=0,
    ).update(scheduled_at=when, status=DeliveryStatus.PENDIENTE, held_until=None)
    log_action(
        publication,
        "publishing.rescheduled",
        user=user,
        data={"from": previous.isoformat() if previous else None, "to": when.isoformat()},
    )
    log_action(publication, "publishing.deliveries_moved", user=user, data={"moved": moved})
    return publication


@transaction.atomic
def publication_cancel(*, publication: Publication, user, reason: str = "") -> Publication:
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    _require_status(publication, *[s.value for s in _editable()], action="cancelar")
    cancelled = _cancel_pending_deliveries(publication)
    publication.status = S.CANCELADA
    publication.save(update_fields=["status", "updated_at"])
    log_action(
        publication,
        "publishing.cancelled",
        user=user,
        data={"reason": reason, "deliveries_cancelled": cancelled},
    )
    return publication


@transaction.atomic
def publication_delete(*, publication: Publication, user) -> None:
    """Delete a publication that never went out. Pending deliveries are cancelled
    first with a conditional update: one a worker already took blocks the delete."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    _cancel_pending_deliveries(publication)
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


def _cancel_pending_deliveries(publication: Publication) -> int:
    return Delivery.objects.filter(
        variant__publication=publication,
        status__in=[DeliveryStatus.PENDIENTE, DeliveryStatus.RETENIDA],
    ).update(status=DeliveryStatus.CANCELADA)


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
def delivery_mark_published(*, delivery: Delivery, user, url: str, remote_id: str = "") -> Delivery:
    """A person says it is on the network (manual channel, or an uncertain outcome
    they checked). Only a delivery nobody is sending right now can be marked."""
    access.check(user, "publishing.settle_delivery")
    updated = Delivery.objects.filter(
        pk=delivery.pk,
        status__in=[DeliveryStatus.PENDIENTE, DeliveryStatus.INCIERTA, DeliveryStatus.FALLIDA],
    ).update(
        status=DeliveryStatus.PUBLICADA,
        remote_url=url,
        remote_id=remote_id or url,
        published_at=timezone.now(),
        settled_by=user,
    )
    if not updated:
        raise ValidationError("Este envío ya no se puede marcar: otro proceso lo cambió.")
    delivery.refresh_from_db()
    log_action(delivery, "publishing.delivery_marked_published", user=user, data={"url": url})
    publication_settle(delivery.variant.publication)
    return delivery


@transaction.atomic
def delivery_retry(*, delivery: Delivery, user) -> Delivery:
    """A person decided an uncertain or failed delivery is NOT on the network: send it
    again now. This is the only way an uncertain delivery is ever sent again."""
    access.check(user, "publishing.settle_delivery")
    if delivery.account.needs_person:
        raise ValidationError("Los canales manuales se marcan a mano.")
    updated = Delivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.INCIERTA, DeliveryStatus.FALLIDA]
    ).update(status=DeliveryStatus.PENDIENTE, scheduled_at=timezone.now(), settled_by=user)
    if not updated:
        raise ValidationError("Solo se reintentan envíos inciertos o fallidos.")
    publication = delivery.variant.publication
    Publication.objects.filter(pk=publication.pk).update(status=S.PROGRAMADA)
    log_action(delivery, "publishing.delivery_retried", user=user)
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
def delivery_recheck(*, delivery: Delivery, user) -> Delivery:
    """Ask the network again whether an uncertain delivery is there (in the worker:
    no network calls in a request). Only an uncertain outcome can be checked."""
    from pregon.publishing import tasks

    access.check(user, "publishing.settle_delivery")
    delivery.refresh_from_db()
    delivery_require_action(delivery, DeliveryAction.RECHECK)
    log_action(delivery, "publishing.delivery_recheck_requested", user=user)
    transaction.on_commit(lambda: tasks.settle_delivery.enqueue(delivery.pk))
    return delivery


@transaction.atomic
def delivery_give_up(*, delivery: Delivery, user) -> Delivery:
    access.check(user, "publishing.settle_delivery")
    updated = Delivery.objects.filter(
        pk=delivery.pk,
        status__in=[DeliveryStatus.INCIERTA, DeliveryStatus.PENDIENTE, DeliveryStatus.RETENIDA],
    ).update(status=DeliveryStatus.FALLIDA, settled_by=user)
    if not updated:
        raise ValidationError("Este envío ya no se puede cerrar.")
    log_action(delivery, "publishing.delivery_given_up", user=user)
    publication_settle(delivery.variant.publication)
    delivery.refresh_from_db()
    return delivery


OPEN_DELIVERY_STATUSES = (
    DeliveryStatus.PENDIENTE,
    DeliveryStatus.ENVIANDO,
    DeliveryStatus.INCIERTA,
    DeliveryStatus.RETENIDA,
)


@transaction.atomic
def publication_settle(publication: Publication) -> str:
    """Once no delivery is open, the publication is publicada (at least one channel
    got it) or fallida. Called after every delivery outcome, in the same transaction
    as the delivery's own change, so the two can never disagree. The publication's
    row is locked first: two of its deliveries finishing at once are settled one
    after the other, and the second sees the first."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    deliveries = Delivery.objects.filter(variant__publication=publication).exclude(
        status=DeliveryStatus.CANCELADA
    )
    statuses = set(deliveries.values_list("status", flat=True))
    if not statuses or statuses & set(OPEN_DELIVERY_STATUSES):
        return publication.status
    first = deliveries.filter(status=DeliveryStatus.PUBLICADA).order_by("published_at").first()
    status = S.PUBLICADA if first else S.FALLIDA
    if publication.status in (status, S.CANCELADA):
        return publication.status
    Publication.objects.filter(pk=publication.pk).update(
        status=status, published_at=first.published_at if first else None
    )
    log_action(publication, f"publishing.{'published' if first else 'failed'}")
    return status


def publications_repair() -> int:
    """Scheduled publications whose deliveries are all closed: rows left by versions
    that changed a delivery and its publication in two steps (a worker killed between
    them). Run when a worker starts; settles each one as its deliveries say."""
    closed = (
        Publication.objects.filter(status=S.PROGRAMADA, variants__deliveries__isnull=False)
        .exclude(variants__deliveries__status__in=OPEN_DELIVERY_STATUSES)
        .distinct()
    )
    repaired = 0
    for publication in closed:
        if publication_settle(publication) != S.PROGRAMADA:
            log_action(publication, "publishing.status_repaired")
            repaired += 1
    return repaired


# --- channel accounts ------------------------------------------------------------


def account_save(*, account: ChannelAccount, user, credentials: str | None = None):
    """Save an account; `credentials` (JSON text) replaces the stored ones only when
    given, so an empty field in the form keeps them."""
    if credentials:
        try:
            parsed = json.loads(credentials)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"Las credenciales deben ser JSON válido (línea {exc.lineno}, columna {exc.colno})."
            ) from exc
        if not isinstance(parsed, dict):
            raise ValidationError("Las credenciales deben ser un objeto JSON ({…}).")
        account.credentials = json.dumps(parsed)
    previous = _stored_state(account)
    if credentials and previous == ChannelState.RECONNECT and account.state == previous:
        account.state = ChannelState.ACTIVE  # new credentials are the reconnection
    account.full_clean()
    account.save()
    log_action(
        account,
        "publishing.account_saved",
        user=user,
        data={"credentials_changed": bool(credentials)},
    )
    if previous == ChannelState.RECONNECT and account.state == ChannelState.ACTIVE:
        _reconnected(account, user)
    return account


# What a delivery says while its account waits for new credentials (engine writes it,
# reconnecting clears it).
WAITS_FOR_RECONNECTION = "Espera a que se vuelva a conectar la cuenta: "


def _stored_state(account: ChannelAccount) -> str | None:
    if not account.pk:
        return None
    return ChannelAccount.objects.filter(pk=account.pk).values_list("state", flat=True).first()


def _reconnected(account: ChannelAccount, user) -> None:
    """The deliveries that waited for the account are pending and due again: the next
    worker round sends each one once (the claim guarantees it)."""
    waiting = Delivery.objects.filter(account=account, status=DeliveryStatus.PENDIENTE)
    released = waiting.filter(last_error__startswith=WAITS_FOR_RECONNECTION).update(last_error="")
    log_action(account, "publishing.account_reconnected", user=user, data={"released": released})
