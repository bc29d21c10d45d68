"""What every reader of a file fills in: the Probe, and the one error type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PREVIEW_PX = 1440
THUMB_PX = 400


class MediaError(Exception):
    """A file that cannot be archived; the message is Spanish and user-facing."""


@dataclass
class Probe:
    """Everything read from one file."""

    width: int | None = None
    height: int | None = None
    duration: float | None = None
    codecs: str = ""
    orientation: int = 1
    captured_at: dt.datetime | None = None
    camera: str = ""
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_altitude: float | None = None
    gps_direction: float | None = None
    lens: str = ""
    title: str = ""
    caption: str = ""
    creator: str = ""
    credit: str = ""
    rights: str = ""
    keywords: list[str] = field(default_factory=list)
    place: str = ""
    warnings: list[str] = field(default_factory=list)
    preview_jpeg: bytes = b""
    thumb_jpeg: bytes = b""
    phash: str = ""
