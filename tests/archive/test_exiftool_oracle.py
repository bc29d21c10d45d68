"""ExifTool as the oracle: every sample photo and recording the project ships goes
through Pregón's ingest and through `exiftool -json -n -G1`, and the two must agree
field by field. The precedence between EXIF, IPTC and XMP is the Metadata Working
Group's (XMP over IPTC over EXIF; the capture date from the fields that mean «taken
at», never a modify date), applied here to ExifTool's own reading of each group."""

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

DATA = Path(__file__).parent / "data"
LOCAL = ZoneInfo("America/Mexico_City")
SAMPLES = sorted(
    p
    for p in DATA.rglob("*")
    if p.suffix.lower() in {".jpg", ".heic", ".png", ".webp", ".mov", ".mp4", ".m4a", ".wav"}
)

pytestmark = pytest.mark.skipif(
    shutil.which("exiftool") is None,
    reason="exiftool no está instalado (Debian: libimage-exiftool-perl)",
)


def exiftool(path: Path) -> dict:
    out = subprocess.run(
        ["exiftool", "-json", "-n", "-G1", "-struct", "-api", "LargeFileSupport=1", str(path)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout)[0]


def first(tags: dict, *names: str):
    """First value present, in precedence order; lists give their first item."""
    for name in names:
        value = tags.get(name)
        if isinstance(value, dict):  # lang-alt structures under -struct
            value = value.get("x-default") or next(iter(value.values()), None)
        if isinstance(value, list):
            value = value[0] if value else None
        if value not in (None, ""):
            return str(value).strip()
    return ""


def as_list(value) -> list[str]:
    if value in (None, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def when(text: str, offset: str = "") -> dt.datetime | None:
    """«2005:09:07 15:07:40-07:00» or «2004:02:26» as ExifTool prints them."""
    if not text:
        return None
    text = text.replace("Z", "+00:00")
    if len(text) == 10:
        return dt.datetime.strptime(text, "%Y:%m:%d").replace(tzinfo=LOCAL)
    naive = dt.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    zone = text[19:].split(".")[-1] if "." in text[19:] else text[19:]
    zone = zone or offset
    if not zone:
        return naive.replace(tzinfo=LOCAL)
    sign = 1 if zone[0] == "+" else -1
    hours, minutes = int(zone[1:3]), int(zone[-2:])
    return naive.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes)))


def expected_date(t: dict) -> dt.datetime | None:
    iptc_time = first(t, "IPTC:TimeCreated")
    iptc_day = first(t, "IPTC:DateCreated")
    candidates = [
        when(first(t, "ExifIFD:DateTimeOriginal"), first(t, "ExifIFD:OffsetTimeOriginal")),
        when(first(t, "XMP-photoshop:DateCreated")),
        when(first(t, "XMP-xmp:CreateDate")),
        when(first(t, "ExifIFD:CreateDate"), first(t, "ExifIFD:OffsetTimeDigitized")),
        when(f"{iptc_day} {iptc_time}" if iptc_time else iptc_day),
    ]
    return next((c for c in candidates if c is not None), None)


def expected_camera(t: dict) -> str:
    make, model = first(t, "IFD0:Make"), first(t, "IFD0:Model")
    if make and model.lower().startswith(make.split()[0].lower()):
        return model
    return f"{make} {model}".strip()


def expected(t: dict) -> dict:
    creator = first(t, "XMP-dc:Creator", "IPTC:By-line", "IFD0:Artist")
    gps = "GPS:GPSLatitude" in t and "GPS:GPSLongitude" in t
    return {
        "captured_at": expected_date(t),
        "camera": expected_camera(t),
        "lens": first(t, "XMP-exifEX:LensModel", "ExifIFD:LensModel", "XMP-aux:Lens"),
        "title": first(t, "XMP-dc:Title", "IPTC:ObjectName"),
        "caption": first(t, "XMP-dc:Description", "IPTC:Caption-Abstract", "IFD0:ImageDescription"),
        "keywords": as_list(t.get("XMP-dc:Subject")) or as_list(t.get("IPTC:Keywords")),
        "creator": creator,
        "credit": first(t, "XMP-photoshop:Credit", "IPTC:Credit") or creator,
        "orientation": int(first(t, "IFD0:Orientation") or 1),
        "gps_lat": _signed(t, "Latitude", "S") if gps else None,
        "gps_lon": _signed(t, "Longitude", "W") if gps else None,
        "gps_altitude": _altitude(t) if gps else None,
        "gps_direction": float(t["GPS:GPSImgDirection"]) if gps and "GPS:GPSImgDirection" in t
        else None,
    }  # fmt: skip


def _signed(t: dict, name: str, negative: str) -> float:
    value = abs(float(t[f"GPS:GPS{name}"]))
    return -value if str(t.get(f"GPS:GPS{name}Ref", "")).upper().startswith(negative) else value


def _altitude(t: dict) -> float | None:
    if "GPS:GPSAltitude" not in t:
        return None
    value = float(t["GPS:GPSAltitude"])
    return -value if str(t.get("GPS:GPSAltitudeRef")) == "1" else value


def pregon_fields(asset) -> dict:
    extra = asset.metadata or {}
    return {
        "captured_at": asset.captured_at,
        "camera": asset.camera,
        "lens": extra.get("lens", ""),
        "title": asset.title,
        "caption": asset.caption,
        "keywords": asset.keywords,
        "creator": extra.get("creator", ""),
        "credit": asset.credit,
        "orientation": asset.orientation,
        "gps_lat": asset.gps_lat,
        "gps_lon": asset.gps_lon,
        "gps_altitude": extra.get("gps_altitude"),
        "gps_direction": extra.get("gps_direction"),
    }


def assert_same(ours: dict, theirs: dict, name: str) -> None:
    for key, want in theirs.items():
        got = ours[key]
        if isinstance(want, float) and got is not None:
            assert got == pytest.approx(want, abs=1e-4 if "gps_l" in key else 0.01), (name, key)
        elif isinstance(want, dt.datetime) and got is not None:
            assert got == want and got.utcoffset() == want.utcoffset(), (name, key, got, want)
        else:
            assert got == want, (name, key, got, want)


# A metadata-only HEIC with no image data: Pregón refuses it (see test_ingest).
REFUSED = {"QuickTime.heic"}
PHOTOS = [
    p
    for p in SAMPLES
    if p.suffix.lower() in {".jpg", ".heic", ".png", ".webp"} and p.name not in REFUSED
]
RECORDINGS = [p for p in SAMPLES if p not in PHOTOS and p.name not in REFUSED]


@pytest.mark.parametrize("path", PHOTOS, ids=lambda p: p.name)
def test_photo_metadata_agrees_with_exiftool(ingest, path):
    theirs = expected(exiftool(path))
    asset = ingest(path)
    assert_same(pregon_fields(asset), theirs, path.name)


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.name)
def test_recording_duration_agrees_with_exiftool(ingest, path):
    tags = exiftool(path)
    duration = tags.get("QuickTime:Duration", tags.get("Composite:Duration"))
    asset = ingest(path)
    assert duration is not None, f"ExifTool no da duración para {path.name}"
    assert asset.duration == pytest.approx(float(duration), abs=0.05), path.name


def test_utf8_exif_caption_is_not_mojibake(ingest, tmp_path):
    """A caption written as UTF-8 in EXIF ImageDescription (only there) is read as
    ExifTool reads it, and found by a search for the accented word."""
    from pregon.archive import search

    path = tmp_path / "listón.jpg"
    exif = Image.Exif()
    exif[270] = "Inauguración de la clínica".encode()
    exif[315] = "Lucía Pérez".encode()
    Image.new("RGB", (64, 48), "teal").save(path, exif=exif.tobytes())
    theirs = expected(exiftool(path))
    assert theirs["caption"] == "Inauguración de la clínica"
    asset = ingest(path)
    assert_same(pregon_fields(asset), theirs, path.name)
    hits = search.run("inauguracion").hits
    assert [(h.object_type, h.object_id) for h in hits] == [("asset", asset.pk)]


def test_public_copy_carries_credit_rights_and_alt_text_for_exiftool(ingest):
    from pregon.archive.public import asset_public_derivative

    asset = ingest(DATA / "exiftool" / "GPS.jpg")
    asset.caption, asset.credit = "Entrega de útiles", "Foto: Comunicación Social"
    asset.rights_note = "© H. Ayuntamiento de Chapultepec"
    asset.alt_text = "Niñas reciben mochilas en el patio de la escuela"
    t = exiftool(asset_public_derivative(asset))
    assert first(t, "XMP-dc:Description") == "Entrega de útiles"
    assert first(t, "XMP-photoshop:Credit") == "Foto: Comunicación Social"
    assert first(t, "XMP-dc:Rights") == "© H. Ayuntamiento de Chapultepec"
    assert first(t, "XMP-iptcCore:AltTextAccessibility") == asset.alt_text
    assert not any(k.startswith(("GPS:", "IFD0:", "ExifIFD:", "IPTC:")) for k in t)
