"""Writes to the archive: ingest, derivatives for the public, fixity, bags."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from pregon.archive import captions, media, metadata, search
from pregon.archive.models import Asset, AssetKind, AssetStatus, Clipping
from pregon.core import images
from pregon.core.audit import log_action

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
    file_path_or_uploaded_file,
    original_name: str,
    user=None,
    activity=None,
    area=None,
    kind_hint: str | None = None,
    campaign=None,
) -> Asset:
    """Take one file into the archive, all or nothing.

    Raises IngestError with a Spanish reason for empty, unknown, mismatched,
    truncated, oversized or duplicate files; nothing is stored in that case.
    """
    with _as_path(file_path_or_uploaded_file) as path:
        sha256, size = hash_file(path)
        if size == 0:
            raise IngestError("El archivo está vacío (0 bytes).")
        existing = Asset.objects.filter(sha256=sha256).first()
        if existing:
            raise IngestError(_duplicate_message(existing), existing=existing)
        fmt = media.sniff(media.read_bytes_head(path))
        if fmt is None:
            raise IngestError(
                "Formato no reconocido: el contenido no es imagen, video, audio ni PDF."
            )
        try:
            media.check_name_matches(fmt, original_name)
            probe = _probe(path, fmt)
        except media.MediaError as exc:
            raise IngestError(str(exc)) from exc
        kind = AssetKind.DISENO if kind_hint == AssetKind.DISENO else fmt.kind
        asset = Asset(
            kind=kind,
            sha256=sha256,
            size=size,
            mime_type=fmt.mime,
            original_name=original_name[:300],
            created_by=user if getattr(user, "pk", None) else None,
            activity=activity,
            area=area or getattr(activity, "area", None),
            campaign=campaign or getattr(activity, "campaign", None),
            status=AssetStatus.LISTO,
            **_probe_fields(probe),
        )
        return _store(asset, path, probe, user)


def _probe(path: Path, fmt: media.Format) -> media.Probe:
    if fmt.kind == "foto":
        return media.probe_image(path, fmt, images.max_pixels())
    if fmt.kind in ("video", "audio"):
        return media.probe_av(path, fmt)
    if fmt.mime == "application/pdf":
        return media.probe_pdf(path, fmt)
    return media.Probe()


def _probe_fields(probe: media.Probe) -> dict:
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


def _store(asset: Asset, path: Path, probe: media.Probe, user) -> Asset:
    """Save files then the row; on any failure remove what was written."""
    written: list[str] = []
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


def _remove(names: list[str]) -> None:
    for name in names:
        with contextlib.suppress(OSError):
            default_storage.delete(name)


def _duplicate_message(existing: Asset | None) -> str:
    if existing is None:
        return "El archivo ya está en el archivo."
    return f"Duplicado exacto: ya está en el archivo como «{existing}» (#{existing.pk})."


@contextlib.contextmanager
def _local_original(asset: Asset):
    """The original as a local path: itself on the filesystem, a temporary copy when
    it lives in an object store (S3-compatible storages have no path)."""
    try:
        local = Path(asset.original.path)
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    with asset.original.open("rb") as original, _as_path(original) as copy:
        yield copy


class _as_path:
    """A filesystem path for a path, a Django UploadedFile or any File-like object."""

    def __init__(self, source) -> None:
        self.source = source
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        if isinstance(self.source, (str, Path)):
            return Path(self.source)
        if hasattr(self.source, "temporary_file_path"):
            return Path(self.source.temporary_file_path())
        fd, name = tempfile.mkstemp(prefix="pregon-ingest-")
        self.tmp = Path(name)
        with open(fd, "wb") as out:
            if hasattr(self.source, "chunks"):
                for chunk in self.source.chunks():
                    out.write(chunk)
            else:
                shutil.copyfileobj(self.source, out)
        return self.tmp

    def __exit__(self, *exc) -> None:
        if self.tmp:
            self.tmp.unlink(missing_ok=True)


def near_duplicates(asset: Asset, limit: int = 6) -> list[Asset]:
    """ "Posibles duplicados": assets whose thumbnail dHash differs in few bits."""
    if not asset.phash or asset.phash == "0" * 16:
        return []
    found = []
    candidates = Asset.objects.exclude(pk=asset.pk).exclude(phash="").only("id", "phash")
    for other in candidates.iterator(chunk_size=5000):
        if media.hamming(asset.phash, other.phash) <= NEAR_DUPLICATE_BITS:
            found.append(other.pk)
            if len(found) >= limit:
                break
    return list(Asset.objects.filter(pk__in=found))


def rights_problem(asset: Asset) -> str:
    """Why the asset's usage rights forbid public use today ("" = they allow it)."""
    if asset.rights == "restringido" or (
        asset.rights == "vence"
        and asset.rights_expires_on
        and asset.rights_expires_on < timezone.localdate()
    ):
        return "Los derechos de uso de este archivo no permiten publicarlo."
    return ""


def _check_public_use(asset: Asset) -> None:
    if asset.public_use_blocked:
        raise IngestError("Contiene menores sin consentimiento registrado: no se puede publicar.")
    problem = rights_problem(asset)
    if problem:
        raise IngestError(problem)


def _public_dir() -> Path:
    out_dir = Path(settings.MEDIA_ROOT) / "archivo" / "publico"
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def _write_once(out: Path, make: Callable[[Path], None]) -> Path:
    """A public copy is written once and never rewritten: `make` fills a private
    temporary file in the same directory, which is then renamed into place (atomic on
    one file system). A reader therefore sees no file or the whole file; two makers
    at once each write their own temporary file and the second rename swaps in the
    same bytes. Names are derived from what the copy is made of, so a change
    (new subtitles, new caption) makes a new file instead of touching one in use."""
    if out.exists():
        return out
    fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}-", suffix=out.suffix)
    os.close(fd)
    partial = Path(name)
    try:
        make(partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def _public_name(*parts: str | bytes) -> str:
    """A short hash of everything a public copy is made from."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def asset_public_video(asset: Asset) -> Path:
    """An MP4 for public channels: the original's streams without metadata (so no
    GPS). Made once per asset and reused. IngestError as for images."""
    _check_public_use(asset)
    if not asset.is_video:
        raise IngestError("Este archivo no es un video.")
    out = _public_dir() / f"{asset.sha256[:16]}-video.mp4"

    def make(partial: Path) -> None:
        with _local_original(asset) as source:
            try:
                media.remux_public_video(source, partial)
            except media.MediaError as exc:
                raise IngestError(exc.args[0]) from exc

    return _write_once(out, make)


def asset_public_captions(asset: Asset) -> tuple[Path, Path] | None:
    """The video's subtitles as (WebVTT, SubRip) files for the networks, or None."""
    if not asset.captions:
        return None
    # Named after the stored file, which gets a new name whenever subtitles are
    # replaced: made once per version, not on every delivery or download.
    base = _public_dir() / Path(asset.captions.name).stem
    vtt, srt = base.with_suffix(".es.vtt"), base.with_suffix(".es_LA.srt")
    if not (vtt.exists() and srt.exists()):
        with asset.captions.open("rb") as fh:
            cues = captions.parse(fh.read(), "subtítulos")
        _write_once(vtt, lambda p: p.write_text(captions.to_vtt(cues), encoding="utf-8"))
        _write_once(srt, lambda p: p.write_text(captions.to_srt(cues), encoding="utf-8"))
    return vtt, srt


@transaction.atomic
def asset_set_captions(*, asset: Asset, upload, user) -> Asset:
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


def asset_public_derivative(asset: Asset, size: str = "preview") -> Path:
    """A JPEG for public channels: oriented, sRGB, no EXIF (so no GPS); Pregón's
    caption, credit and keywords travel as XMP.

    Raises IngestError if minors appear without a consent record or the rights
    forbid public use.
    """
    _check_public_use(asset)
    field = asset.thumbnail if size == "thumbnail" else asset.preview
    if not field:
        raise IngestError("Este archivo no tiene una imagen derivada para publicar.")
    tags = _public_tags(asset)
    # Named after the stored derivative and the metadata that goes into the copy:
    # the same inputs give the same bytes, so an existing file is reused as it is.
    name = _public_name(field.name, repr(tags))
    out = _public_dir() / f"{asset.sha256[:16]}-{size}-{name}.jpg"

    def make(partial: Path) -> None:
        # A handle of its own: FieldFile.open() shares one between threads.
        with field.storage.open(field.name, "rb") as fh:
            partial.write_bytes(media.strip_to_public(fh.read(), tags))

    return _write_once(out, make)


def _public_tags(asset: Asset) -> metadata.PublicTags:
    return metadata.PublicTags(
        title=asset.title,
        caption=asset.caption,
        credit=asset.credit,
        rights=asset.rights_note,
        alt_text=asset.alt_text,
        keywords=list(asset.keywords or []),
    )


def verify_archive() -> dict:
    """Re-hash every original; report missing and altered files."""
    missing, altered, ok = [], [], 0
    for asset in Asset.objects.only("id", "original", "sha256", "original_name").iterator():
        try:
            with asset.original.open("rb") as fh:
                digest = hashlib.sha256()
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
        except (FileNotFoundError, OSError):
            missing.append({"id": asset.pk, "name": asset.original_name})
            continue
        if digest.hexdigest() != asset.sha256:
            altered.append({"id": asset.pk, "name": asset.original_name})
        else:
            ok += 1
    return {"verificados": ok, "faltantes": missing, "alterados": altered}


def stage_upload(*, uploaded_file, batch: str, user=None, activity=None, area=None):
    """Keep an uploaded file for the worker and queue it; the page polls its status."""
    from pregon.archive.models import IngestItem
    from pregon.archive.tasks import process_ingest_item

    name = Path(uploaded_file.name or "archivo").name[:300]
    item = IngestItem(
        batch=batch[:40], original_name=name, created_by=user, activity=activity, area=area
    )
    item.staged.save("subida", uploaded_file, save=False)
    item.save()
    transaction.on_commit(lambda: process_ingest_item.enqueue(item.pk))
    return item


def process_ingest_item(item_id: int) -> str:
    """Worker side of an upload: ingest, record the outcome, drop the staged copy."""
    from pregon.archive.models import IngestItem, IngestItemStatus

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


def export_bag(directory: str, *, activity_id: int | None = None, year: int | None = None) -> dict:
    """Copy the originals of an activity or a year into a BagIt bag and validate it.

    The payload holds the untouched originals plus `metadatos.json` with what
    Pregón knows about each (caption, credit, dates, GPS, activity, rights).
    """
    import json

    import bagit

    qs = Asset.objects.select_related("activity", "area").order_by("id")
    if activity_id is not None:
        qs = qs.filter(activity_id=activity_id)
        label = f"actividad {activity_id}"
    elif year is not None:
        qs = qs.filter(captured_at__year=year) | Asset.objects.filter(
            captured_at__isnull=True, created_at__year=year
        )
        label = f"año {year}"
    else:
        raise ValueError("Indique --activity o --year.")
    assets = list(qs.distinct())
    if not assets:
        raise ValueError(f"No hay archivos para {label}.")
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise ValueError(f"La carpeta «{directory}» ya existe y no está vacía.")
    target.mkdir(parents=True, exist_ok=True)
    records = []
    for asset in assets:
        name = f"{asset.pk:07d}-{Path(asset.original_name).name}"
        with asset.original.open("rb") as src, open(target / name, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        records.append(_bag_record(asset, name))
    (target / "metadatos.json").write_text(
        json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    bag = bagit.make_bag(
        str(target),
        {
            "Source-Organization": "H. Ayuntamiento de Chapultepec, Unidad de Comunicación Social",
            "External-Description": f"Archivo Pregón: {label}",
        },
        checksums=["sha256", "sha512"],
    )
    bag = _declare_bagit_1_0(bag)
    bag.validate()
    for record in records:  # the bag's own manifest must agree with our fixity record
        if bag.entries[f"data/{record['archivo']}"]["sha256"] != record["sha256"]:
            raise ValueError(f"El original de #{record['id']} no coincide con su SHA-256.")
    return {"bolsa": str(target), "archivos": len(records)}


def _declare_bagit_1_0(bag):
    """bagit-python writes «BagIt-Version: 0.97»; the bag is built the RFC 8493 way
    (UTF-8 tag files, payload manifests for SHA-256 and SHA-512), so declare 1.0 and
    recompute the tag manifests that cover bagit.txt."""
    import bagit

    declaration = Path(bag.path) / "bagit.txt"
    declaration.write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    bag = bagit.Bag(bag.path)
    bag.save()
    return bag


def verify_bag(path: str) -> dict:
    """Validate an exported bag with the bagit library: every payload file against
    its manifests, nothing missing, nothing added. Names the exact files."""
    import bagit

    try:
        bag = bagit.Bag(path)
    except bagit.BagError as exc:
        return {"valida": False, "version": "", "problemas": [f"No es una bolsa BagIt: {exc}"]}
    try:
        bag.validate()
    except bagit.BagError as exc:
        problems = _bag_problems(exc)
        problems += [p for p in _bag_inventory(bag) if p not in problems]
        return {
            "valida": False,
            "version": _bag_version(path),
            "problemas": problems or [f"La bolsa no es válida: {exc}"],
        }
    files = len(bag.payload_entries()) if hasattr(bag, "payload_entries") else len(bag.entries)
    return {"valida": True, "version": bag.version, "archivos": files, "problemas": []}


def _bag_version(path: str) -> str:
    try:
        text = (Path(path) / "bagit.txt").read_text("utf-8")
    except OSError:
        return ""
    return next((line.split(":", 1)[1].strip() for line in text.splitlines()
                 if line.startswith("BagIt-Version")), "")  # fmt: skip


def _bag_problems(exc) -> list[str]:
    import bagit

    problems = []
    for detail in getattr(exc, "details", None) or []:
        if isinstance(detail, bagit.ChecksumMismatch):
            problems.append(
                f"ALTERADO {detail.path}: {detail.algorithm} esperado {detail.expected}, "
                f"calculado {detail.found}"
            )
        elif isinstance(detail, bagit.FileMissing):
            problems.append(f"FALTA {detail.path}")
        elif isinstance(detail, bagit.UnexpectedFile):
            problems.append(f"SOBRA {detail.path} (no está en el manifiesto)")
        else:
            problems.append(str(detail))
    return problems


def _bag_inventory(bag) -> list[str]:
    """Files the manifests name that are gone, and files nobody listed: the quick
    Payload-Oxum check stops bagit before it names them."""
    missing, extra = bag.compare_manifests_with_fs()
    return [f"FALTA {p}" for p in sorted(missing)] + [
        f"SOBRA {p} (no está en el manifiesto)" for p in sorted(extra)
    ]


def _bag_record(asset: Asset, name: str) -> dict:
    return {
        "archivo": name,
        "id": asset.pk,
        "sha256": asset.sha256,
        "tipo": asset.kind,
        "mime": asset.mime_type,
        "nombre_original": asset.original_name,
        "titulo": asset.title,
        "pie": asset.caption,
        "credito": asset.credit,
        "palabras_clave": asset.keywords,
        "fecha_captura": asset.captured_at.isoformat() if asset.captured_at else None,
        "camara": asset.camera,
        "gps": [asset.gps_lat, asset.gps_lon] if asset.has_gps else None,
        "actividad": str(asset.activity) if asset.activity_id else None,
        "area": asset.area.short_name if asset.area_id else None,
        "derechos": asset.get_rights_display(),
        "contiene_menores": asset.contains_minors,
    }


def clipping_save(*, form, user, capture_file=None) -> Clipping:
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
            clip.created_by = user if getattr(user, "pk", None) else None
        if capture_file is not None:
            try:
                clip.capture = asset_ingest(
                    file_path_or_uploaded_file=capture_file,
                    original_name=capture_file.name,
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
