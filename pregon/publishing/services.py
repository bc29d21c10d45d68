"""Writes of the publishing workflow: borrador → en revisión → aprobada → programada →
publicada / fallida / cancelada. Every transition is audited. The delivery engine
(sending) lives in engine.py."""

import io
import json
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from pregon.accounts import access
from pregon.core.audit import log_action
from pregon.publishing import compliance, notify
from pregon.publishing.models import (
    PUBLICATION_FIELDS,
    ChannelAccount,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Publication,
    PublicationMedia,
    PublicationStatus,
    Variant,
)
from pregon.publishing.validation import publication_problems

S = PublicationStatus
MAX_UPLOAD_BYTES = 30 * 1024 * 1024
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
        account = ChannelAccount.objects.get(pk=account_id)
        variant, _ = Variant.objects.update_or_create(
            publication=publication,
            account=account,
            defaults={"text": spec.get("text", ""), "alt_texts": spec.get("alt_texts") or {}},
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
    what goes out is the archive's public derivative."""
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
    from pregon.archive.services import IngestError, asset_ingest

    # The archive refuses a name whose extension contradicts the content; the
    # content decides, so the name follows it.
    stem = Path(upload.name or "imagen").stem[:200] or "imagen"
    try:
        return asset_ingest(
            file_path_or_uploaded_file=upload,
            original_name=f"{stem}.{IMAGE_EXTENSIONS[mime_type]}",
            user=user,
            activity=publication.activity,
            area=publication.area,
        )
    except IngestError as exc:
        if exc.existing is None:
            raise ValidationError(f"El archivo «{upload.name}»: {exc.message}") from exc
        return exc.existing


def media_attach_asset(
    *, publication: Publication, asset, alt_text: str = "", user=None
) -> PublicationMedia:
    """Attach an archive image or video. What goes out is the asset's public
    derivative (JPEG, no GPS; for a video, an MP4 copy without metadata); the minors,
    rights and subtitles rules are checked at approval and again at delivery. Alt
    text defaults to the archive's."""
    if asset.kind == "video":
        shape = _video_shape(asset)
    elif asset.kind in ("foto", "diseno") and asset.preview:
        shape = _image_shape(asset)
    else:
        raise ValidationError(f"«{asset}» no es una imagen del archivo que pueda publicarse.")
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
    name = upload.name or "archivo"
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"El archivo «{name}» pesa más de 30 MiB.")
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(
            f"El archivo «{name}» no es una imagen válida (JPEG, PNG o WebP)."
        ) from exc
    if fmt not in IMAGE_FORMATS:
        raise ValidationError(f"El archivo «{name}» es {fmt}; se aceptan JPEG, PNG o WebP.")
    return {
        "mime_type": IMAGE_FORMATS[fmt],
        "width": width,
        "height": height,
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
    if delivery.account.kind == ChannelKind.MANUAL:
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


def publication_settle(publication: Publication) -> str:
    """Once no delivery is open, the publication is publicada (at least one channel
    got it) or fallida. Called after every delivery outcome."""
    deliveries = Delivery.objects.filter(variant__publication=publication).exclude(
        status=DeliveryStatus.CANCELADA
    )
    statuses = set(deliveries.values_list("status", flat=True))
    open_ = {
        DeliveryStatus.PENDIENTE,
        DeliveryStatus.ENVIANDO,
        DeliveryStatus.INCIERTA,
        DeliveryStatus.RETENIDA,
    }
    if not statuses or statuses & open_:
        return publication.status
    first = deliveries.filter(status=DeliveryStatus.PUBLICADA).order_by("published_at").first()
    status = S.PUBLICADA if first else S.FALLIDA
    Publication.objects.filter(pk=publication.pk).exclude(status=S.CANCELADA).update(
        status=status, published_at=first.published_at if first else None
    )
    log_action(publication, f"publishing.{'published' if first else 'failed'}")
    return status


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
    account.full_clean()
    account.save()
    log_action(
        account,
        "publishing.account_saved",
        user=user,
        data={"credentials_changed": bool(credentials)},
    )
    return account
