"""Public copies: the files that leave the archive (network uploads, the link
Instagram fetches, hand-posting downloads, the press bulletin's photos).

The contract:
- A copy is made from the stored derivative (a JPEG without EXIF, so no GPS, with
  Pregón's caption, credit and rights as XMP), the original's streams (an MP4
  without metadata) or the subtitles (WebVTT and SubRip).
- It is stored in `default_storage` under `archivo/publico/`, named after what it is
  made of (content hashes): the same inputs give the same name and an existing copy is
  reused, never rewritten; a change (new caption, new subtitles) makes a new name and
  leaves the old copy whole for whoever is reading it.
- Each function returns a local path to the copy's bytes, because uploads stream
  from a file: on a filesystem storage the stored file itself; on an object store
  (S3) a cache under MEDIA_ROOT, filled once per server from the bucket.
- An asset that may not be published (minors without consent, rights) raises
  IngestError with the Spanish reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from pregon.archive import captions, metadata
from pregon.archive.files import as_path
from pregon.archive.media import audiovisual, images
from pregon.archive.media.probe import MediaError
from pregon.archive.models import Asset
from pregon.archive.services import IngestError

PUBLIC_DIR = "archivo/publico"


def rights_problem(asset: Asset) -> str:
    """Why the asset's usage rights forbid public use today ("" = they allow it)."""
    if asset.rights == "restringido" or (
        asset.rights == "vence"
        and asset.rights_expires_on
        and asset.rights_expires_on < timezone.localdate()
    ):
        return "Los derechos de uso de este archivo no permiten publicarlo."
    return ""


def check_public_use(asset: Asset) -> None:
    """IngestError (Spanish) when minors appear without consent or the rights forbid it."""
    if asset.public_use_blocked:
        raise IngestError("Contiene menores sin consentimiento registrado: no se puede publicar.")
    problem = rights_problem(asset)
    if problem:
        raise IngestError(problem)


def asset_public_derivative(asset: Asset, size: str = "preview") -> Path:
    """A JPEG for public channels: oriented, sRGB, no EXIF (so no GPS); Pregón's
    caption, credit and keywords travel as XMP."""
    check_public_use(asset)
    field = asset.thumbnail if size == "thumbnail" else asset.preview
    source = field.name
    if not source:
        raise IngestError("Este archivo no tiene una imagen derivada para publicar.")
    tags = _public_tags(asset)
    # Named after the stored derivative (itself named after the original's SHA-256)
    # and the metadata written into the copy: same inputs, same bytes, same name.
    name = f"{asset.sha256[:16]}-{size}-{_digest(source, repr(tags))}.jpg"

    def make(partial: Path) -> None:
        # A handle of its own: FieldFile.open() shares one between threads.
        with field.storage.open(source, "rb") as fh:
            partial.write_bytes(images.strip_to_public(fh.read(), tags))

    return _stored_once(name, make)


def asset_public_video(asset: Asset) -> Path:
    """An MP4 for public channels: the original's streams without metadata (so no
    GPS), named after the original's SHA-256."""
    check_public_use(asset)
    if not asset.is_video:
        raise IngestError("Este archivo no es un video.")

    def make(partial: Path) -> None:
        with _local_original(asset) as source:
            try:
                audiovisual.remux_public_video(source, partial)
            except MediaError as exc:
                raise IngestError(exc.args[0]) from exc

    return _stored_once(f"{asset.sha256[:16]}-video.mp4", make)


def asset_public_captions(asset: Asset) -> tuple[Path, Path] | None:
    """The video's subtitles as (WebVTT, SubRip) files for the networks, or None."""
    if not asset.captions.name:
        return None
    # Named after the stored file, which gets a new name whenever subtitles are
    # replaced: made once per version, not on every delivery or download.
    stem = Path(asset.captions.name).stem
    cues: list[captions.Cue] = []

    def parsed() -> list[captions.Cue]:
        if not cues:
            with asset.captions.open("rb") as fh:
                cues.extend(captions.parse(fh.read(), "subtítulos"))
        return cues

    vtt = _stored_once(
        f"{stem}.es.vtt", lambda p: p.write_text(captions.to_vtt(parsed()), encoding="utf-8")
    )
    srt = _stored_once(
        f"{stem}.es_LA.srt", lambda p: p.write_text(captions.to_srt(parsed()), encoding="utf-8")
    )
    return vtt, srt


def _public_tags(asset: Asset) -> metadata.PublicTags:
    return metadata.PublicTags(
        title=asset.title,
        caption=asset.caption,
        credit=asset.credit,
        rights=asset.rights_note,
        alt_text=asset.alt_text,
        keywords=list(asset.keywords or []),
    )


def _digest(*parts: str) -> str:
    """A short hash of everything a public copy is made from."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def _stored_once(filename: str, make: Callable[[Path], object]) -> Path:
    """The local path of the public copy `filename`, made by `make` only if no server
    has stored it yet. `make` fills a private temporary file, which then appears whole
    or not at all: renamed into place on a filesystem storage (Storage.save would
    write in place, and a reader could see half a file), uploaded in one PUT to an
    object store. Two makers at once store the same bytes under the same name."""
    name = f"{PUBLIC_DIR}/{filename}"
    storage = default_storage
    stored_path = _filesystem_path(storage, name)
    local = stored_path or Path(settings.MEDIA_ROOT) / name
    if local.exists():
        return local
    if stored_path is None and storage.exists(name):
        with storage.open(name, "rb") as fh:
            _write_atomically(local, lambda partial: _copy_into(fh, partial))
        return local

    def make_and_store(partial: Path) -> None:
        make(partial)
        if stored_path is None:
            _upload(storage, name, partial)

    _write_atomically(local, make_and_store)
    return local


def _filesystem_path(storage: Storage, name: str) -> Path | None:
    try:
        return Path(storage.path(name))
    except NotImplementedError:  # object stores (S3) have no local path
        return None


def _write_atomically(target: Path, fill: Callable[[Path], None]) -> None:
    """Fill a temporary file next to `target`, then rename it into place (atomic on
    one file system): a reader sees no file or the whole file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=target.suffix)
    os.close(fd)
    partial = Path(name)
    try:
        fill(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _copy_into(source: File, target: Path) -> None:
    with open(target, "wb") as out:
        shutil.copyfileobj(source, out)


def _upload(storage: Storage, name: str, partial: Path) -> None:
    with open(partial, "rb") as fh:
        saved = storage.save(name, File(fh))
    if saved != name:  # a storage that never overwrites chose another name: drop it
        storage.delete(saved)


@contextlib.contextmanager
def _local_original(asset: Asset) -> Iterator[Path]:
    """The original as a local path: itself on the filesystem, a temporary copy when
    it lives in an object store (S3-compatible storages have no path)."""
    local = _filesystem_path(asset.original.storage, asset.original.name or "")
    if local is not None:
        yield local
        return
    with asset.original.open("rb") as original, as_path(original) as copy:
        yield copy
