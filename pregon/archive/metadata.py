"""Photo metadata read and written through Exiv2 (the library digiKam, darktable and
GIMP use), reconciled by the Metadata Working Group's rules: XMP over IPTC over EXIF
where the same property differs, EXIF text decoded as UTF-8 when it is valid UTF-8
(as ExifTool does), and a capture date only from the fields that mean «taken at»,
never from a modify date: no date is better than a wrong one."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import exiv2

# Exiv2 reports recoverable oddities of camera files on stderr; they are not ours.
exiv2.LogMsg.setLevel(exiv2.LogMsg.Level.mute)
exiv2.XmpProperties.registerNs("http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/", "Iptc4xmpCore")

LOCAL_TZ = ZoneInfo("America/Mexico_City")
ALT_TEXT_KEY = "Xmp.Iptc4xmpCore.AltTextAccessibility"


class MetadataError(Exception):
    """Metadata Exiv2 cannot read; the photo itself may still be fine."""


@dataclass
class PhotoTags:
    camera: str = ""
    lens: str = ""
    orientation: int = 1
    captured_at: dt.datetime | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_altitude: float | None = None
    gps_direction: float | None = None
    title: str = ""
    caption: str = ""
    creator: str = ""
    credit: str = ""
    rights: str = ""
    keywords: list[str] = field(default_factory=list)
    place: str = ""


class _Tags:
    """Every key of one file's EXIF, IPTC and XMP as lists of text values."""

    def __init__(self, image) -> None:
        self.values: dict[str, list[str]] = {}
        self.data: dict[str, object] = {}
        for datum in image.exifData():
            self._add(datum.key(), _raw_text(datum), datum)
        for datum in image.iptcData():
            self._add(datum.key(), _raw_text(datum), datum)
        for datum in image.xmpData():
            self._add_xmp(datum)

    def _add(self, key: str, text: str, datum) -> None:
        text = text.replace("\x00", "").strip()
        if text:
            self.values.setdefault(key, []).append(text)
            self.data.setdefault(key, datum)

    def _add_xmp(self, datum) -> None:
        value = datum.value()
        kind = datum.typeName()
        if kind == "LangAlt":
            langs = dict(value)
            self._add(datum.key(), langs.get("x-default") or next(iter(langs.values()), ""), datum)
        elif kind in ("XmpBag", "XmpSeq", "XmpAlt"):
            for i in range(value.count()):
                self._add(datum.key(), value.toString(i), datum)
        else:
            self._add(datum.key(), datum.toString(), datum)

    def first(self, *keys: str) -> str:
        """The first non-empty value, in the order the keys are given (precedence)."""
        for key in keys:
            if self.values.get(key):
                return self.values[key][0]
        return ""

    def all(self, key: str) -> list[str]:
        return self.values.get(key, [])


def _utf8_or_latin1(raw: bytes) -> str:
    raw = raw.split(b"\x00", 1)[0] if raw.endswith(b"\x00") else raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _raw_text(datum) -> str:
    """Text values from their bytes, so UTF-8 and legacy encodings are told apart."""
    if datum.typeName() in ("Ascii", "String"):
        return _utf8_or_latin1(bytes(datum.value().data()))
    return datum.toString()


def read_photo_tags(path: Path) -> PhotoTags:
    try:
        image = exiv2.ImageFactory.open(str(path))
        image.readMetadata()
    except exiv2.Exiv2Error as exc:
        raise MetadataError(str(exc)) from exc
    tags = _Tags(image)
    return PhotoTags(
        camera=_camera(tags),
        lens=tags.first("Xmp.exifEX.LensModel", "Exif.Photo.LensModel", "Xmp.aux.Lens"),
        orientation=_orientation(tags),
        captured_at=captured_at(tags),
        **_gps(tags),
        title=tags.first("Xmp.dc.title", "Iptc.Application2.ObjectName"),
        caption=tags.first(
            "Xmp.dc.description", "Iptc.Application2.Caption", "Exif.Image.ImageDescription"
        ),
        creator=tags.first("Xmp.dc.creator", "Iptc.Application2.Byline", "Exif.Image.Artist"),
        credit=tags.first("Xmp.photoshop.Credit", "Iptc.Application2.Credit"),
        rights=tags.first("Xmp.dc.rights", "Iptc.Application2.Copyright", "Exif.Image.Copyright"),
        keywords=_dedupe(tags.all("Xmp.dc.subject") or tags.all("Iptc.Application2.Keywords")),
        place=_place(tags),
    )


def _camera(tags: _Tags) -> str:
    make = tags.first("Exif.Image.Make")
    model = tags.first("Exif.Image.Model")
    if make and model.lower().startswith(make.split()[0].lower()):
        return model
    return f"{make} {model}".strip()


def _orientation(tags: _Tags) -> int:
    value = tags.first("Exif.Image.Orientation", "Xmp.tiff.Orientation")
    return int(value) if value.isdigit() and 1 <= int(value) <= 8 else 1


def _dedupe(values: list[str]) -> list[str]:
    seen: set[str] = set()
    return [v for v in values if not (v.lower() in seen or seen.add(v.lower()))]


def _place(tags: _Tags) -> str:
    parts = [
        tags.first("Xmp.iptc.Location", "Iptc.Application2.SubLocation"),
        tags.first("Xmp.photoshop.City", "Iptc.Application2.City"),
        tags.first("Xmp.photoshop.State", "Iptc.Application2.ProvinceState"),
        tags.first("Xmp.photoshop.Country", "Iptc.Application2.CountryName"),
    ]
    return ", ".join(p for p in parts if p)


# --- dates --------------------------------------------------------------------


def captured_at(tags: _Tags) -> dt.datetime | None:
    """DateTimeOriginal with OffsetTimeOriginal, else XMP photoshop:DateCreated or
    xmp:CreateDate, else EXIF DateTimeDigitized, else IPTC DateCreated + TimeCreated."""
    candidates = (
        lambda: _exif_date(tags, "DateTimeOriginal", "OffsetTimeOriginal"),
        lambda: _iso_date(tags.first("Xmp.photoshop.DateCreated")),
        lambda: _iso_date(tags.first("Xmp.xmp.CreateDate")),
        lambda: _exif_date(tags, "DateTimeDigitized", "OffsetTimeDigitized"),
        lambda: _iptc_date(tags),
    )
    for candidate in candidates:
        when = candidate()
        if when is not None:
            return when
    return None


def _exif_date(tags: _Tags, name: str, offset_name: str) -> dt.datetime | None:
    text = tags.first(f"Exif.Photo.{name}")
    try:
        naive = dt.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return _with_offset(naive, tags.first(f"Exif.Photo.{offset_name}"))


def _with_offset(naive: dt.datetime, offset: str) -> dt.datetime:
    match = re.fullmatch(r"([+-])(\d\d):?(\d\d)", offset.strip())
    if not match:
        # Cameras without an offset record local time: the municipality's zone.
        return naive.replace(tzinfo=LOCAL_TZ)
    sign = 1 if match.group(1) == "+" else -1
    delta = dt.timedelta(hours=int(match.group(2)), minutes=int(match.group(3))) * sign
    return naive.replace(tzinfo=dt.timezone(delta))


def _iso_date(text: str) -> dt.datetime | None:
    """XMP dates: «2005-09-07T15:07:40-07:00», or only a date, or up to minutes."""
    text = text.strip().replace("Z", "+00:00")
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d\d", text):  # XMP allows a year and month alone
        text += "-01"
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=LOCAL_TZ)


def _iptc_date(tags: _Tags) -> dt.datetime | None:
    day = tags.first("Iptc.Application2.DateCreated")
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return None
    time = tags.first("Iptc.Application2.TimeCreated")  # «15:07:40-07:00»
    match = re.fullmatch(r"(\d\d):(\d\d):(\d\d)([+-]\d\d:?\d\d)?", time)
    if not match:
        return dt.datetime.combine(date, dt.time(), tzinfo=LOCAL_TZ)
    naive = dt.datetime.combine(date, dt.time(*(int(match.group(i)) for i in (1, 2, 3))))
    return _with_offset(naive, match.group(4) or "")


# --- GPS -------------------------------------------------------------------------


def _rationals(tags: _Tags, key: str) -> list[Fraction] | None:
    datum = tags.data.get(key)
    if datum is None:
        return None
    value = datum.value()
    try:
        pairs = [value.toRational(i) for i in range(value.count())]
        return [Fraction(n, d) for n, d in pairs]
    except (ZeroDivisionError, ValueError, TypeError):
        return None


def _coordinate(tags: _Tags, name: str, negative: str) -> float | None:
    parts = _rationals(tags, f"Exif.GPSInfo.GPS{name}")
    if not parts or len(parts) != 3:
        return None
    degrees = float(parts[0] + parts[1] / 60 + parts[2] / 3600)
    ref = tags.first(f"Exif.GPSInfo.GPS{name}Ref").upper()
    return -degrees if ref.startswith(negative) else degrees


def _single(tags: _Tags, key: str) -> float | None:
    parts = _rationals(tags, key)
    return float(parts[0]) if parts else None


def _gps(tags: _Tags) -> dict:
    lat = _coordinate(tags, "Latitude", "S")
    lon = _coordinate(tags, "Longitude", "W")
    if lat is None or lon is None or (lat == 0 and lon == 0):
        return {}
    altitude = _single(tags, "Exif.GPSInfo.GPSAltitude")
    if altitude is not None and tags.first("Exif.GPSInfo.GPSAltitudeRef") == "1":
        altitude = -altitude  # below sea level
    return {
        "gps_lat": round(lat, 6),
        "gps_lon": round(lon, 6),
        "gps_altitude": round(altitude, 2) if altitude is not None else None,
        "gps_direction": _rounded(_single(tags, "Exif.GPSInfo.GPSImgDirection")),
    }


def _rounded(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


# --- writing public copies -----------------------------------------------------------


@dataclass
class PublicTags:
    """What a public copy carries: Pregón's own caption, credit, rights and alt text."""

    title: str = ""
    caption: str = ""
    credit: str = ""
    rights: str = ""
    alt_text: str = ""
    keywords: list[str] = field(default_factory=list)


def write_public_tags(jpeg: bytes, tags: PublicTags) -> bytes:
    """The JPEG with only these XMP properties (it carries no other metadata)."""
    image = exiv2.ImageFactory.open(jpeg)
    image.readMetadata()
    image.clearMetadata()
    xmp = image.xmpData()
    for key, text in (
        ("Xmp.dc.title", tags.title),
        ("Xmp.dc.description", tags.caption),
        ("Xmp.dc.rights", tags.rights),
        (ALT_TEXT_KEY, tags.alt_text),
    ):
        if text:
            xmp[key] = exiv2.LangAltValue({"x-default": text})
    if tags.credit:
        xmp["Xmp.dc.creator"] = exiv2.XmpArrayValue([tags.credit], exiv2.TypeId.xmpSeq)
        xmp["Xmp.photoshop.Credit"] = tags.credit
    if tags.keywords:
        xmp["Xmp.dc.subject"] = exiv2.XmpArrayValue(tags.keywords, exiv2.TypeId.xmpBag)
    image.writeMetadata()
    io = image.io()
    return bytes(io.mmap()) if hasattr(io, "mmap") else bytes(io.read(io.size()))
