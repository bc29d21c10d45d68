"""Writes to the archive: ingest (uploads, staged uploads, clippings) and subtitles.

Public copies live in `public`, fixity and BagIt exports in `preservation`; the
queue in `tasks`, which calls this module and never the reverse.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from pregon.accounts.models import Area, User
from pregon.archive import captions, search
from pregon.archive.files import Source, as_path
from pregon.archive.forms import ClippingForm
from pregon.archive.media import audiovisual, images, pdf, sniffing
from pregon.archive.media.probe import MediaError, Probe
from pregon.archive.media.sniffing import Format
from pregon.archive.models import (
    Asset,
    AssetKind,
    AssetStatus,
    Clipping,
    IngestItem,
    IngestItemStatus,
)
from pregon.core import images as image_limits
from pregon.core.audit import log_action

if TYPE_CHECKING:  # typing only: the foreign keys already name these; no runtime import
    from pregon.agenda.models import Activity, Campaign

CHUNK = 1024 * 1024
NEAR_DUPLICATE_BITS = 6


class IngestError(Exception):
    """A file refused by the archive. `message` is Spanish; `existing` is set for duplicates."""

    def __init__(self, message: str, existing: Asset | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.existing = existing


def hash_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def asset_ingest(
    *,
    file_path_or_uploaded_file: Source,
    original_name: str,
    user: User | None = None,
    activity: Activity | None = None,
    area: Area | None = None,
    kind_hint: str | None = None,
    campaign: Campaign | None = None,
) -> Asset:
    """Take one file into the archive, all or nothing.

    Raises IngestError with a Spanish reason for empty, unknown, mismatched,
    truncated, oversized or duplicate files; nothing is stored in that case.
    """
    with as_path(file_path_or_uploaded_file) as path:
        sha256, size = hash_file(path)
        if size == 0:
            raise IngestError("El archivo está vacío (0 bytes).")
        existing = Asset.objects.filter(sha256=sha256).first()
        if existing:
            raise IngestError(_duplicate_message(existing), existing=existing)
        fmt = sniffing.sniff(sniffing.read_bytes_head(path))
        if fmt is None:
            raise IngestError(
                "Formato no reconocido: el contenido no es imagen, video, audio ni PDF."
            )
        try:
            sniffing.check_name_matches(fmt, original_name)
            probe = _probe(path, fmt)
        except MediaError as exc:
            raise IngestError(str(exc)) from exc
        kind = AssetKind.DISENO if kind_hint == AssetKind.DISENO else fmt.kind
        asset = Asset(
            kind=kind,
            sha256=sha256,
            size=size,
            mime_type=fmt.mime,
            original_name=original_name[:300],
            created_by=user if user is not None and user.pk else None,
            activity=activity,
            area=area or getattr(activity, "area", None),
            campaign=campaign or getattr(activity, "campaign", None),
            status=AssetStatus.LISTO,
            **_probe_fields(probe),
        )
        return _store(asset, path, probe, user)


def _probe(path: Path, fmt: Format) -> Probe:
    if fmt.kind == "foto":
        return images.probe_image(path, fmt, image_limits.max_pixels())
    if fmt.kind in ("video", "audio"):
        return audiovisual.probe_av(path, fmt)
    if fmt.mime == "application/pdf":
        return pdf.probe_pdf(path, fmt)
    return Probe()


def _probe_fields(probe: Probe) -> dict[str, Any]:
    return {
        "width": probe.width,
        "height": probe.height,
        "duration": probe.duration,
        "codecs": probe.codecs[:200],
        "orientation": probe.orientation,
        "captured_at": probe.captured_at,
        "camera": probe.camera[:200],
        "gps_lat": probe.gps_lat,
        "gps_lon": probe.gps_lon,
        "title": probe.title[:300],
        "caption": probe.caption,
        "credit": probe.credit[:200],
        "keywords": probe.keywords,
        "place": probe.place[:300],
        "phash": probe.phash,
        "status_message": " ".join(probe.warnings)[:500],
        "metadata": {
            "warnings": probe.warnings,
            "creator": probe.creator,
            "lens": probe.lens,
            "rights": probe.rights,
            "gps_altitude": probe.gps_altitude,
            "gps_direction": probe.gps_direction,
        },
    }


def _store(asset: Asset, path: Path, probe: Probe, user: User | None) -> Asset:
    """Save files then the row; on any failure remove what was written."""
    written: list[str | None] = []
    try:
        ext = asset.original_name.rsplit(".", 1)[-1] if "." in asset.original_name else "bin"
        with open(path, "rb") as fh:
            asset.original.save(f"original.{ext}", File(fh), save=False)
        written.append(asset.original.name)
        if probe.preview_jpeg:
            asset.preview.save(
                f"{asset.sha256}-preview.jpg", ContentFile(probe.preview_jpeg), save=False
            )
            written.append(asset.preview.name)
            asset.thumbnail.save(
                f"{asset.sha256}-thumb.jpg", ContentFile(probe.thumb_jpeg), save=False
            )
            written.append(asset.thumbnail.name)
        with transaction.atomic():
            asset.save()
            search.index_asset(asset)
            log_action(asset, "archive.ingest", user=user, data={"sha256": asset.sha256})
    except IntegrityError as exc:
        _remove(written)
        existing = Asset.objects.filter(sha256=asset.sha256).first()
        raise IngestError(_duplicate_message(existing), existing=existing) from exc
    except BaseException:
        _remove(written)
        raise
    return asset


def _remove(names: list[str | None]) -> None:
    for name in filter(None, names):
        with contextlib.suppress(OSError):
            default_storage.delete(name)


def _duplicate_message(existing: Asset | None) -> str:
    if existing is None:
        return "El archivo ya está en el archivo."
    return f"Duplicado exacto: ya está en el archivo como «{existing}» (#{existing.pk})."


def near_duplicates(asset: Asset, limit: int = 6) -> list[Asset]:
    """ "Posibles duplicados": assets whose thumbnail dHash differs in few bits."""
    if not asset.phash or asset.phash == "0" * 16:
        return []
    found = []
    candidates = Asset.objects.exclude(pk=asset.pk).exclude(phash="").only("id", "phash")
    for other in candidates.iterator(chunk_size=5000):
        if images.hamming(asset.phash, other.phash) <= NEAR_DUPLICATE_BITS:
            found.append(other.pk)
            if len(found) >= limit:
                break
    return list(Asset.objects.filter(pk__in=found))


@transaction.atomic
def asset_set_captions(*, asset: Asset, upload: File, user: User | None) -> Asset:
    """Attach subtitles (SRT or WebVTT, checked by content) to a video; they are kept
    as WebVTT. A previous file stays on disk (nothing stored is lost)."""
    if not asset.is_video:
        raise IngestError("Solo los videos llevan subtítulos.")
    name = getattr(upload, "name", "") or "subtítulos"
    try:
        cues = captions.parse(upload.read(), name)
    except captions.CaptionsError as exc:
        raise IngestError(str(exc)) from exc
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    asset.captions.save(
        f"{asset.sha256[:16]}-subtitulos-{stamp}.vtt",
        ContentFile(captions.to_vtt(cues).encode()),
        save=False,
    )
    asset.save(update_fields=["captions", "updated_at"])
    log_action(asset, "archive.captions_set", user=user, data={"cues": len(cues), "file": name})
    return asset


def stage_upload(
    *,
    uploaded_file: File,
    batch: str,
    user: User | None = None,
    activity: Activity | None = None,
    area: Area | None = None,
) -> IngestItem:
    """Keep an uploaded file for the worker; `tasks.queue_upload` queues it and the
    page polls its status."""
    name = Path(uploaded_file.name or "archivo").name[:300]
    item = IngestItem(
        batch=batch[:40], original_name=name, created_by=user, activity=activity, area=area
    )
    item.staged.save("subida", uploaded_file, save=False)
    item.save()
    return item


def process_ingest_item(item_id: int) -> str:
    """Worker side of an upload: ingest, record the outcome, drop the staged copy."""
    item = IngestItem.objects.select_related("activity", "area", "created_by").get(pk=item_id)
    if item.status in (IngestItemStatus.LISTO, IngestItemStatus.RECHAZADO):
        return item.status
    IngestItem.objects.filter(pk=item.pk).update(status=IngestItemStatus.PROCESANDO)
    try:
        with item.staged.open("rb") as fh:
            asset = asset_ingest(
                file_path_or_uploaded_file=fh,
                original_name=item.original_name,
                user=item.created_by,
                activity=item.activity,
                area=item.area,
            )
    except IngestError as exc:
        item.status, item.message, item.duplicate_of = (
            IngestItemStatus.RECHAZADO,
            exc.message[:500],
            exc.existing,
        )
    else:
        item.status, item.asset, item.message = IngestItemStatus.LISTO, asset, asset.status_message
    item.staged.delete(save=False)
    item.save()
    return item.status


def clipping_save(
    *, form: ClippingForm, user: User | None, capture_file: File | None = None
) -> Clipping:
    """Create or update a clipping from a valid ClippingForm, all or nothing.

    A capture file (PDF, image, audio, video) goes through `asset_ingest` like any
    other upload and is linked as the clipping's capture; if the very same file is
    already in the archive, that asset is linked instead. Raises IngestError (and
    stores nothing) when the file is refused.
    """
    with transaction.atomic():
        clip = form.save(commit=False)
        creating = clip.pk is None
        if creating:
            clip.created_by = user if user is not None and user.pk else None
        if capture_file is not None:
            try:
                clip.capture = asset_ingest(
                    file_path_or_uploaded_file=capture_file,
                    original_name=capture_file.name or "captura",
                    user=user,
                    activity=clip.activity,
                )
            except IngestError as exc:
                if exc.existing is None:
                    raise
                clip.capture = exc.existing
        clip.save()
        search.index_clipping(clip)
        log_action(clip, "archive.clipping" if creating else "archive.clipping_edit", user=user)
    return clip
