"""The composer's save and the photos and videos a publication sends: checked by
content, taken into the archive, attached in order (issue 21: split from services.py)."""

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image

from pregon.accounts.models import Area, User
from pregon.agenda.models import Activity
from pregon.archive.media import sniffing
from pregon.archive.models import Asset
from pregon.archive.public import asset_public_captions, asset_public_derivative, asset_public_video
from pregon.archive.services import IngestError, asset_ingest
from pregon.core import images
from pregon.core.audit import log_action
from pregon.core.uploads import max_bytes, too_large_message
from pregon.publishing.models import Publication, PublicationMedia
from pregon.publishing.services.workflow import (
    _content_changed,
    publication_create,
    publication_submit,
    publication_update,
    variants_set,
)

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


IMAGE_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


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
    user: User,
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


def _media_set(
    *, publication: Publication, media: list[ComposedMedia], user: User
) -> dict[str, int]:
    """Attach new archive assets, keep and reorder the others, drop what was removed.
    Returns token -> PublicationMedia id."""
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


def media_add(
    *, publication: Publication, upload: UploadedFile, alt_text: str = "", user: User | None = None
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


def _ingest(
    publication: Publication, upload: UploadedFile, mime_type: str, user: User | None
) -> Asset:
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


def _archive_ingest(
    upload: UploadedFile,
    name: str,
    user: User | None,
    activity: Activity | None,
    area: Area | None,
) -> Asset:
    """Into the archive with its checks by content; an exact duplicate is the
    archived asset itself."""
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


def composer_upload(
    *,
    upload: UploadedFile,
    user: User,
    activity: Activity | None = None,
    area: Area | None = None,
) -> Asset:
    """A photo or video dropped in the composer goes into the archive (its checks by
    content, size and pixel count); the composer then refers to the asset until the
    publication is saved. Anything that cannot go to a network is refused first."""
    name = Path(upload.name or "archivo").name
    fmt = sniffing.sniff(upload.read(64))
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
    *, publication: Publication, asset: Asset, alt_text: str = "", user: User | None = None
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


def media_shape(asset: Asset) -> dict:
    """What a publication would send of an archive asset (type, size in pixels and
    bytes, duration): the fields of PublicationMedia. Raises ValidationError for an
    asset that cannot go to a network (audio, documents, no derivative)."""
    if asset.kind == "video":
        return _video_shape(asset)
    if asset.kind in ("foto", "diseno") and asset.preview:
        return _image_shape(asset)
    raise ValidationError(f"«{asset}» no es una imagen del archivo que pueda publicarse.")


def _image_shape(asset: Asset) -> dict:
    """What goes out: the public JPEG derivative's size, or the archive's figures when
    it may not go out now (approval will say why, by rule)."""
    try:
        derivative = asset_public_derivative(asset)
        with Image.open(derivative) as image:
            width, height = image.size
        size = derivative.stat().st_size
    except IngestError:
        width, height, size = asset.width or 0, asset.height or 0, asset.size
    return {"mime_type": "image/jpeg", "width": width, "height": height, "size_bytes": size}


def media_public_path(media: PublicationMedia) -> Path:
    """The file that goes to a network. For archive assets: the public copy (no
    GPS/EXIF; for a video, an MP4 without metadata); raises archive IngestError for
    minors without consent or restricted rights. Rows from before the archive send
    their own file."""
    asset = media.asset  # no query when there is none
    if asset is None:
        return Path(media.file.path)
    if media.is_video:
        return asset_public_video(asset)
    return asset_public_derivative(asset)


def media_public_captions(media: PublicationMedia) -> tuple[Path, Path] | None:
    """(WebVTT, SubRip) subtitles of a video, or None."""
    asset = media.asset if media.is_video else None
    if asset is None:
        return None
    return asset_public_captions(asset)


def _video_shape(asset: Asset) -> dict:
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
