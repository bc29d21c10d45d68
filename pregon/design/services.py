"""Writes of the design app: brand kit versions, photos, rendered pieces, exports."""

import io
import logging
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pregon.accounts.models import User
from pregon.agenda.models import Activity, Campaign
from pregon.archive.models import Asset
from pregon.archive.services import IngestError, asset_ingest
from pregon.compliance.rules import check_publication
from pregon.compliance.services import record_verdict
from pregon.compliance.verdict import Verdict
from pregon.core import images
from pregon.core.audit import log_action
from pregon.core.uploads import max_bytes, too_large_message
from pregon.design.models import BrandKit, DesignPhoto, RenderedPiece, drawn_texts
from pregon.design.render import SIZES, Rendered, parse_size, render_piece
from pregon.design.render.brand import DEFAULT_LOGO_SVG, Brand
from pregon.publishing.models import EDITABLE_STATUSES, Publication, PublicationMedia
from pregon.publishing.services import media_add

logger = logging.getLogger(__name__)
MAX_LOGO_BYTES = 2 * 1024 * 1024
KIT_FIELDS = (
    "administration",
    "motto",
    "footer",
    "legend",
    "color_primary",
    "color_secondary",
    "color_text",
    "color_background",
    "font_family",
)


class DesignError(ValueError):
    """A user mistake, with a Spanish message saying what and where."""


def clean_artwork(data: bytes, field: str) -> bytes:
    """A real SVG (returned sanitised: drawing only) or PNG, by content, not by name."""
    if len(data) > MAX_LOGO_BYTES:
        raise DesignError(f"{field}: el archivo pasa de 2 MB.")
    try:
        if images.is_svg(data):
            return images.check_svg(data)
        if not data.startswith(b"\x89PNG"):
            raise DesignError(f"{field}: no es un SVG ni un PNG legible.")
        images.check_raster(data, ("PNG",))
    except images.ImageRejected as exc:
        raise DesignError(f"{field}: {exc}") from exc
    return data


def _artwork(upload: UploadedFile | None, field: str) -> ContentFile | None:
    if upload is None:
        return None
    if upload.size and upload.size > MAX_LOGO_BYTES:
        raise DesignError(f"{field}: el archivo pasa de 2 MB.")
    data = clean_artwork(upload.read(), field)
    stem = (upload.name or "logo").rsplit(".", 1)[0][:200] or "logo"
    return ContentFile(data, name=f"{stem}.{'svg' if images.is_svg(data) else 'png'}")


def brandkit_create(
    *,
    user: User | None,
    values: dict,
    logo: UploadedFile | None = None,
    coat: UploadedFile | None = None,
) -> BrandKit:
    """Save the brand as a new version and make it the active one (the previous stay).
    The artwork is checked (and an SVG rendered once) before the write transaction."""
    new_logo = _artwork(logo, "Logotipo")
    new_coat = _artwork(coat, "Escudo")
    return _brandkit_save(user=user, values=values, new_logo=new_logo, new_coat=new_coat)


@transaction.atomic
def _brandkit_save(
    *, user: User | None, values: dict, new_logo: ContentFile | None, new_coat: ContentFile | None
) -> BrandKit:
    previous = BrandKit.objects.select_for_update().filter(is_active=True).first()
    if new_logo is None and previous is None:
        new_logo = ContentFile(DEFAULT_LOGO_SVG, name="logo.svg")
    version = (BrandKit.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    BrandKit.objects.filter(is_active=True).update(is_active=False)
    kit = BrandKit(
        version=version,
        is_active=True,
        created_by=user,
        **{k: values[k] for k in KIT_FIELDS if k in values},
    )
    kit.logo = new_logo or (previous.logo.name if previous else None)
    if new_coat is not None:
        kit.coat_of_arms = new_coat
    elif previous and previous.coat_of_arms:
        kit.coat_of_arms = previous.coat_of_arms.name
    kit.full_clean()
    kit.save()
    log_action(kit, "design.kit_created", user=user, data={"version": version})
    return kit


@transaction.atomic
def brandkit_activate(*, kit: BrandKit, user: User) -> BrandKit:
    BrandKit.objects.select_for_update().filter(is_active=True).update(is_active=False)
    kit.is_active = True
    kit.save(update_fields=["is_active"])
    log_action(kit, "design.kit_activated", user=user, data={"version": kit.version})
    return kit


def brandkit_default(user: User | None = None) -> BrandKit:
    """The active kit; on a fresh install, the Chapultepec defaults as version 1."""
    kit = BrandKit.objects.active()
    if kit:
        return kit
    b = Brand()
    values = {
        "administration": b.administration,
        "motto": b.motto,
        "footer": b.footer,
        "legend": b.legend,
        "color_primary": b.primary,
        "color_secondary": b.secondary,
        "color_text": b.text,
        "color_background": b.background,
    }
    return brandkit_create(user=user, values=values)


def photo_upload(*, upload: UploadedFile, user: User) -> DesignPhoto:
    """Keep a photo for campaign pieces; checked by content (JPEG, PNG or WebP), pixel
    count and complete data, like every image path."""
    if upload.size and upload.size > max_bytes("foto"):
        raise DesignError(f"Foto {too_large_message('foto', upload.name or '')}")
    data = upload.read()
    try:
        kind = images.check_raster(data, ("JPEG", "PNG", "WEBP")).format
    except images.ImageUnreadable as exc:
        raise DesignError(f"Foto «{upload.name}»: no es una imagen legible.") from exc
    except images.ImageRejected as exc:
        raise DesignError(f"Foto «{upload.name}»: {exc}") from exc
    photo = DesignPhoto(original_name=(upload.name or "")[:300], created_by=user)
    photo.image.save(f"{uuid.uuid4().hex}.{kind.lower()}", ContentFile(data), save=False)
    photo.save()
    return photo


def photo_bytes(photo: DesignPhoto | None) -> bytes | None:
    if photo is None:
        return None
    with photo.image.open("rb") as fh:
        return fh.read()


def render_with_kit(
    template: str, data: dict, size: str, kit: BrandKit, photo: DesignPhoto | None = None
) -> Rendered:
    return render_piece(template, data, parse_size(size), kit.to_brand(), photo_bytes(photo))


def piece_create(
    *,
    template: str,
    data: dict,
    size: str,
    user: User,
    photo: DesignPhoto | None = None,
    campaign: Campaign | None = None,
    activity: Activity | None = None,
    batch: str = "",
) -> RenderedPiece:
    """Render and keep one piece (and file it in the archive when the archive is there)."""
    kit = brandkit_default(user)
    rendered = render_with_kit(template, data, size, kit, photo)
    piece = RenderedPiece(
        template=template,
        size=size,
        data=data,
        photo=photo,
        kit=kit,
        campaign=campaign,
        activity=activity,
        batch=batch,
        contrast_ratio=rendered.min_contrast,
        created_by=user,
    )
    piece.image.save(
        f"{template}-{size}-{uuid.uuid4().hex[:8]}.png", ContentFile(rendered.png()), save=False
    )
    piece.save()
    piece_archive(piece=piece, user=user)
    log_action(piece, "design.piece_rendered", user=user, data={"template": template, "size": size})
    return piece


def piece_archive(*, piece: RenderedPiece, user: User) -> RenderedPiece:
    """File the piece in the archive (kind "diseno"), linked to its campaign or activity.

    An archive refusal must not lose the designer's work: the piece stays, unlinked,
    and the reason is logged. An identical PNG already archived is linked, not copied.
    """
    piece.image.open("rb")
    asset: Asset | None
    try:
        asset = asset_ingest(
            file_path_or_uploaded_file=piece.image,
            original_name=_file_name(piece),
            user=user,
            activity=piece.activity,
            campaign=piece.campaign,
            kind_hint="diseno",
        )
    except IngestError as exc:
        asset = exc.existing
        if asset is None:
            logger.warning("Pieza %s no archivada: %s", piece.pk, exc.message)
    finally:
        piece.image.close()
    if asset is not None:
        if not asset.title:
            asset.title = str(piece)[:300]
            asset.save(update_fields=["title"])
        piece.asset = asset
        piece.save(update_fields=["asset"])
    return piece


def _file_name(piece: RenderedPiece) -> str:
    return (piece.image.name or "").rsplit("/")[-1]


def piece_alt_text(piece: RenderedPiece) -> str:
    return " — ".join(drawn_texts(piece.data))[:1000]


def piece_attach(*, piece: RenderedPiece, publication: Publication, user: User) -> PublicationMedia:
    """Attach the piece's PNG to a publication as one of its images (one click)."""
    if publication.status not in EDITABLE_STATUSES:
        raise DesignError(
            f"La publicación «{publication.title}» está {publication.get_status_display().lower()}"
            " y ya no admite imágenes."
        )
    with piece.image.open("rb") as fh:
        upload = SimpleUploadedFile(_file_name(piece), fh.read(), "image/png")
    try:
        media = media_add(
            publication=publication, upload=upload, alt_text=piece_alt_text(piece), user=user
        )
    except ValidationError as exc:
        raise DesignError(" ".join(exc.messages)) from exc
    log_action(piece, "design.piece_attached", user=user, data={"publication": publication.pk})
    return media


def flyer_verdict(*, template: str, data: dict, category: str, user: User) -> Verdict:
    """A printed flyer is public material handed out in person: the veda and the
    personal-promotion rules apply as to a publication, at the moment it is
    printed. Every block, flag and exemption is recorded."""
    now = timezone.now()
    verdict = check_publication(category, now, "\n".join(drawn_texts(data)), institutional=True)
    title = data.get("titulo") or data.get("cifra") or data.get("cita") or template
    record_verdict(
        verdict,
        app_label="design",
        object_id=template,
        object_label=f"Volante «{str(title)[:80]}»",
        user=user,
        item_date=now,
    )
    return verdict


def pieces_export(
    *,
    template: str,
    data: dict,
    user: User,
    photo: DesignPhoto | None = None,
    campaign: Campaign | None = None,
    activity: Activity | None = None,
) -> tuple[list[RenderedPiece], bytes]:
    """Render every network size, keep each piece and return them with a zip of the PNGs."""
    batch = uuid.uuid4().hex
    pieces = [
        piece_create(
            template=template,
            data=data,
            size=size,
            user=user,
            photo=photo,
            campaign=campaign,
            activity=activity,
            batch=batch,
        )
        for size in SIZES
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for piece in pieces:
            with piece.image.open("rb") as fh:
                archive.writestr(f"{template}-{piece.size}.png", fh.read())
    return pieces, buffer.getvalue()
