"""What every reader of a file fills in: the Probe, and the one error type."""

from __future__ import annotations

from dataclasses import dataclass, field

from pregon.archive.metadata import PhotoTags

PREVIEW_PX = 1440
THUMB_PX = 400


class MediaError(Exception):
    """A file that cannot be archived; the message is Spanish and user-facing."""


@dataclass
class Probe(PhotoTags):
    """Everything read from one file: a photo's tags (EXIF, IPTC, XMP) and the rest."""

    width: int | None = None
    height: int | None = None
    duration: float | None = None
    codecs: str = ""
    warnings: list[str] = field(default_factory=list)
    preview_jpeg: bytes = b""
    thumb_jpeg: bytes = b""
    phash: str = ""
