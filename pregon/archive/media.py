"""Reading files: format from content, metadata (EXIF/IPTC/XMP, PyAV) and derivatives.

Nothing here touches the database; services.py decides what to store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pyvips
from PIL import Image

from pregon.archive import metadata
from pregon.core import images

# libvips narrates every operation at INFO level; keep the logs for real problems.
logging.getLogger("pyvips").setLevel(logging.WARNING)

PREVIEW_PX = 1440
THUMB_PX = 400
LOCAL_TZ = ZoneInfo("America/Mexico_City")


class MediaError(Exception):
    """A file that cannot be archived; the message is Spanish and user-facing."""


@dataclass
class Format:
    mime: str
    kind: str  # foto, video, audio, documento
    label: str  # human name used in messages
    extensions: tuple[str, ...]


FORMATS = {
    "image/jpeg": Format("image/jpeg", "foto", "JPEG", ("jpg", "jpeg", "jpe", "jfif")),
    "image/png": Format("image/png", "foto", "PNG", ("png",)),
    "image/gif": Format("image/gif", "foto", "GIF", ("gif",)),
    "image/webp": Format("image/webp", "foto", "WebP", ("webp",)),
    "image/tiff": Format("image/tiff", "foto", "TIFF", ("tif", "tiff", "dng")),
    "image/heic": Format("image/heic", "foto", "HEIC", ("heic", "heif", "hif")),
    "image/avif": Format("image/avif", "foto", "AVIF", ("avif",)),
    "video/mp4": Format("video/mp4", "video", "MP4", ("mp4", "m4v", "mov", "3gp")),
    "video/quicktime": Format("video/quicktime", "video", "QuickTime", ("mov", "mp4", "qt")),
    "audio/mp4": Format("audio/mp4", "audio", "M4A", ("m4a", "mp4", "aac")),
    "video/x-msvideo": Format("video/x-msvideo", "video", "AVI", ("avi",)),
    "video/x-matroska": Format("video/x-matroska", "video", "Matroska/WebM", ("mkv", "webm")),
    "audio/mpeg": Format("audio/mpeg", "audio", "MP3", ("mp3",)),
    "audio/wav": Format("audio/wav", "audio", "WAV", ("wav",)),
    "audio/ogg": Format("audio/ogg", "audio", "Ogg", ("ogg", "oga", "opus")),
    "audio/flac": Format("audio/flac", "audio", "FLAC", ("flac",)),
    "application/pdf": Format("application/pdf", "documento", "PDF", ("pdf",)),
}
KNOWN_EXTENSIONS = {ext for f in FORMATS.values() for ext in f.extensions} | {
    "doc",
    "docx",
    "txt",
    "zip",
    "exe",
}


def sniff(head: bytes) -> Format | None:
    """The format from the first bytes of the content (magic numbers), never the name."""
    if head.startswith(b"\xff\xd8\xff"):
        return FORMATS["image/jpeg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FORMATS["image/png"]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return FORMATS["image/gif"]
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return FORMATS["image/tiff"]
    if head.startswith(b"%PDF-"):
        return FORMATS["application/pdf"]
    if head[:4] == b"RIFF":
        sub = head[8:12]
        return {
            b"WEBP": FORMATS["image/webp"],
            b"WAVE": FORMATS["audio/wav"],
            b"AVI ": FORMATS["video/x-msvideo"],
        }.get(sub)
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis", b"hevc"):
            return FORMATS["image/heic"]
        if brand in (b"avif", b"avis"):
            return FORMATS["image/avif"]
        if brand in (b"M4A ", b"M4B "):
            return FORMATS["audio/mp4"]
        if brand == b"qt  ":
            return FORMATS["video/quicktime"]
        return FORMATS["video/mp4"]
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free"):
        return FORMATS["video/quicktime"]
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return FORMATS["video/x-matroska"]
    if head.startswith(b"OggS"):
        return FORMATS["audio/ogg"]
    if head.startswith(b"fLaC"):
        return FORMATS["audio/flac"]
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return FORMATS["audio/mpeg"]
    return None


def check_name_matches(fmt: Format, original_name: str) -> None:
    """Reject a file whose extension promises another known format (e.g. a PDF named .jpg)."""
    ext = original_name.rsplit(".", 1)[-1].lower() if "." in original_name else ""
    if ext and ext in KNOWN_EXTENSIONS and ext not in fmt.extensions:
        raise MediaError(
            f"El contenido es {fmt.label} pero el nombre termina en .{ext}; "
            "revise que sea el archivo correcto."
        )


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


# --- images ---------------------------------------------------------------


def probe_image(path: Path, fmt: Format, max_pixels: int) -> Probe:
    probe = Probe()
    if fmt.mime in ("image/heic", "image/avif"):
        image = _open_heif(path, probe, max_pixels)
    else:
        image = _open_vips(path, probe, max_pixels)
    try:
        preview = image
        if max(image.width, image.height) > PREVIEW_PX * 1.1:  # HEIC arrives full size
            preview = image.thumbnail_image(PREVIEW_PX, height=PREVIEW_PX, size="down")
            preview = preview.copy_memory()
    except pyvips.Error as exc:
        raise MediaError(images.decode_reason(exc)) from exc
    _finish_derivatives(preview, probe)
    return probe


def _open_vips(path: Path, probe: Probe, max_pixels: int) -> pyvips.Image:
    try:
        header = images.open_header(path, max_pixels)
    except images.ImageRejected as exc:
        raise MediaError(str(exc)) from exc
    read_tags(probe, path)
    try:
        # Shrink-on-load + autorotate; fail_on makes truncated data an error, not grey.
        image = _thumbnail_strict(path, header).copy_memory()
    except pyvips.Error as exc:
        raise MediaError(images.decode_reason(exc)) from exc
    probe.width, probe.height = _display_size(header.width, header.height, probe.orientation)
    return image


def _thumbnail_strict(path: Path, header: pyvips.Image) -> pyvips.Image:
    """Decode once, shrinking on load, failing on truncated data instead of padding grey."""
    kwargs: dict = {"access": "sequential", "fail_on": "truncated"}
    if header.get("vips-loader").startswith("jpegload"):
        ratio = max(header.width, header.height) / PREVIEW_PX
        kwargs["shrink"] = next((s for s in (8, 4, 2) if ratio >= s), 1)
    loaded = pyvips.Image.new_from_file(str(path), **kwargs)
    # Colour-manage only when a profile is embedded: untagged pixels are taken as sRGB
    # already, and a needless lcms pass costs ~1 s per 24-MP photo.
    profile = {"export_profile": "srgb"} if "icc-profile-data" in header.get_fields() else {}
    near = max(loaded.width, loaded.height) <= PREVIEW_PX * 1.1
    if kwargs.get("shrink", 1) > 1 and near and not profile:
        # Shrink-on-load already gave ≈1440 px (6000 / 4 = 1500): a second resample
        # would cost ~45 ms of CPU per 24-MP photo for a 4 % size change.
        decoded = loaded.copy_memory()
        return decoded.autorot() if _orientation(header) != 1 else decoded
    # thumbnail_image also turns the image upright from its EXIF orientation.
    return loaded.thumbnail_image(PREVIEW_PX, height=PREVIEW_PX, size="down", **profile)


def _orientation(header: pyvips.Image) -> int:
    fields = header.get_fields()
    return header.get("orientation") if "orientation" in fields else 1


def _open_heif(path: Path, probe: Probe, max_pixels: int) -> pyvips.Image:
    import pillow_heif

    try:
        heif = pillow_heif.open_heif(str(path), convert_hdr_to_8bit=True)
        images.check_pixels(heif.size[0], heif.size[1], max_pixels)
        read_tags(probe, path)
        pil = heif.to_pillow()  # pillow-heif already applies the container's rotation
        pil.load()
    except images.ImageRejected as exc:
        raise MediaError(str(exc)) from exc
    except Exception as exc:
        raise MediaError(
            "No se pudo decodificar la imagen HEIC: el archivo está incompleto o dañado."
        ) from exc
    pil = pil.convert("RGB")
    probe.width, probe.height = pil.size
    return pyvips.Image.new_from_memory(pil.tobytes(), pil.width, pil.height, 3, "uchar")


def _display_size(width: int, height: int, orientation: int) -> tuple[int, int]:
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _finish_derivatives(preview: pyvips.Image, probe: Probe) -> None:
    if preview.bands == 4 or (preview.bands == 2):
        preview = preview.flatten(background=[255])
    if preview.interpretation not in ("srgb", "b-w"):
        preview = preview.colourspace("srgb")
    if preview.format != "uchar":
        preview = preview.cast("uchar")
    # The 400-px thumbnail comes from the 1440-px preview in memory, never a second
    # decode of the original; it is kept in memory for the JPEG and the dHash.
    thumb = preview.thumbnail_image(THUMB_PX, height=THUMB_PX, size="down").copy_memory()
    # keep="none": no EXIF/GPS/XMP/ICC in anything derived (public-safe by construction).
    probe.preview_jpeg = preview.jpegsave_buffer(Q=82, keep="none")
    probe.thumb_jpeg = thumb.jpegsave_buffer(Q=78, keep="none")
    probe.phash = dhash(thumb)


def dhash(image: pyvips.Image) -> str:
    """64-bit difference hash: is each pixel brighter than its right neighbour (9×8 grey)."""
    grey = image.colourspace("b-w")[0] if image.bands >= 3 else image[0]
    small = grey.thumbnail_image(9, height=8, size="force").cast("uchar")
    data = small.write_to_memory()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = (bits << 1) | (data[row * 9 + col] > data[row * 9 + col + 1])
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def image_to_derivatives(pil_image: Image.Image, probe: Probe) -> None:
    """Poster frames (video) and cover art go through the same derivative path."""
    rgb = pil_image.convert("RGB")
    vimg = pyvips.Image.new_from_memory(rgb.tobytes(), rgb.width, rgb.height, 3, "uchar")
    _finish_derivatives(
        vimg.thumbnail_image(PREVIEW_PX, height=PREVIEW_PX, size="down").copy_memory(), probe
    )


# --- tags -----------------------------------------------------------------


def read_tags(probe: Probe, path: Path) -> None:
    """EXIF, IPTC and XMP through Exiv2, reconciled (see archive.metadata)."""
    try:
        tags = metadata.read_photo_tags(path)
    except metadata.MetadataError:  # broken metadata must not cost us a good photo
        probe.warnings.append("Metadatos ilegibles; se ignoran.")
        return
    for tag in dataclasses.fields(tags):  # every PhotoTags field is a Probe field
        setattr(probe, tag.name, getattr(tags, tag.name))
    if not probe.credit:  # the person who took it, when nobody wrote a credit line
        probe.credit = probe.creator


# --- video and audio --------------------------------------------------------


def probe_av(path: Path, fmt: Format) -> Probe:
    import av

    probe = Probe()
    try:
        container = av.open(str(path))
    except Exception as exc:
        raise MediaError(
            f"No se pudo abrir el {fmt.label}: no contiene audio ni video reconocible."
        ) from exc
    with container:
        streams = [s for s in container.streams if s.type in ("video", "audio")]
        if not streams:
            raise MediaError(f"El {fmt.label} no contiene pistas de audio ni de video.")
        probe.codecs = ", ".join(
            dict.fromkeys(s.codec_context.name for s in streams if s.codec_context)
        )
        declared = container_duration(path, fmt)
        probe.duration = declared if declared is not None else _duration(container, streams)
        meta = {k.lower(): v for k, v in (container.metadata or {}).items()}
        probe.title = meta.get("title", "")
        probe.credit = meta.get("artist", "") or meta.get("author", "")
        probe.captured_at = _iso_or_none(meta.get("creation_time") or meta.get("date"))
        _iso6709(probe, meta.get("location") or meta.get("com.apple.quicktime.location.iso6709"))
        video = next((s for s in container.streams.video if not _is_cover(s)), None)
        if video is not None:
            probe.width, probe.height = video.codec_context.width, video.codec_context.height
        poster = _poster(container, video)
    if poster is not None:
        image_to_derivatives(poster, probe)
    elif fmt.kind == "video":
        probe.warnings.append("No se pudo extraer un cuadro del video para la portada.")
    return probe


BMFF_MIMES = ("video/mp4", "video/quicktime", "audio/mp4")


def container_duration(path: Path, fmt: Format) -> float | None:
    """The duration the container declares (what ExifTool reports): the movie header
    of MP4/MOV/M4A, the data size of WAV. Decoders' stream estimates can be far off
    (an M4A read as 10.33 s that lasts 29.05 s)."""
    try:
        if fmt.mime in BMFF_MIMES:
            return _mvhd_duration(path)
        if fmt.mime == "audio/wav":
            return _wav_duration(path)
    except (OSError, IndexError, struct.error):
        return None
    return None


def _wav_duration(path: Path) -> float | None:
    """Size of the data chunk over the format's byte rate, as the RIFF header says."""
    byte_rate = data_size = None
    with open(path, "rb") as fh:
        if fh.read(12)[8:12] != b"WAVE":
            return None
        while (header := fh.read(8)) and len(header) == 8:
            kind, size = header[:4], struct.unpack("<I", header[4:])[0]
            if kind == b"fmt ":
                byte_rate = struct.unpack("<I", fh.read(size)[8:12])[0]
                fh.seek(size % 2, 1)
            elif kind == b"data":
                data_size = size
                break
            else:
                fh.seek(size + size % 2, 1)
    return round(data_size / byte_rate, 3) if byte_rate and data_size is not None else None


def _boxes(fh, end: int):
    """(type, payload start, payload end) of the ISO-BMFF boxes between here and end."""
    while fh.tell() + 8 <= end:
        start = fh.tell()
        size, kind = struct.unpack(">I4s", fh.read(8))
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", fh.read(8))[0], 16
        elif size == 0:
            size = end - start
        if size < header or start + size > end:
            return
        yield kind, start + header, start + size
        fh.seek(start + size)


def _mvhd_duration(path: Path) -> float | None:
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        total = fh.tell()
        fh.seek(0)
        for kind, start, end in list(_boxes(fh, total)):
            if kind != b"moov":
                continue
            fh.seek(start)
            for inner, body, _ in _boxes(fh, end):
                if inner == b"mvhd":
                    fh.seek(body)
                    return _read_mvhd(fh.read(32))
    return None


def _read_mvhd(head: bytes) -> float | None:
    if head[0] == 1:  # version 1: 64-bit times
        scale, length = struct.unpack(">IQ", head[20:32])
    else:
        scale, length = struct.unpack(">II", head[12:20])
    if not scale or length in (0, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF):
        return None
    return round(length / scale, 3)


def _is_cover(stream) -> bool:
    return bool(stream.disposition & 0x400) if hasattr(stream, "disposition") else False


def _duration(container, streams) -> float | None:
    if container.duration:
        return round(container.duration / 1_000_000, 3)
    best = [float(s.duration * s.time_base) for s in streams if s.duration and s.time_base]
    return round(max(best), 3) if best else None


def _poster(container, video):
    """First decodable frame (one second in when the clip is long enough)."""
    if video is None:
        return None
    try:
        if container.duration and container.duration > 2_000_000:
            container.seek(1_000_000)
        for frame in container.decode(video):
            return frame.to_image()
    except Exception:
        return None
    return None


def _iso_or_none(value) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.year < 1990:  # QuickTime "zero" dates (1904/1970) mean "unknown"
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _iso6709(probe: Probe, value) -> None:
    import re

    match = re.match(r"([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)", str(value or ""))
    if match:
        probe.gps_lat, probe.gps_lon = float(match.group(1)), float(match.group(2))


def strip_to_public(data: bytes, tags: metadata.PublicTags | None = None) -> bytes:
    """Re-encode a derivative with no EXIF, IPTC or XMP (so no GPS); optionally with
    only Pregón's own caption, credit, rights and alt text, written by Exiv2."""
    image = pyvips.Image.new_from_buffer(data, "").copy()
    for name in image.get_fields():
        if name.startswith(("exif-", "iptc-", "xmp-")):
            image.remove(name)
    jpeg = image.jpegsave_buffer(Q=85, keep="none")
    return metadata.write_public_tags(jpeg, tags) if tags else jpeg


def read_bytes_head(path: Path, n: int = 64) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


__all__ = ["MediaError", "Probe", "sniff", "probe_image", "probe_av", "dhash", "hamming", "io"]


MP4_AUDIO = {"aac", "mp3", "ac3", "eac3", "alac", "opus", "flac"}


def remux_public_video(source: Path, target: Path) -> None:
    """Copy the audio and video streams into a fresh MP4 without any metadata
    (no GPS, camera or author tags), moov atom first so it plays while it loads.
    The picture is never re-encoded; sound that MP4 cannot carry (the PCM many
    cameras record) is converted to AAC. MediaError (Spanish) if the video's codec
    does not fit in MP4."""
    import av

    try:
        with (
            av.open(str(source)) as inp,
            av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as out,
        ):
            copied, encoded = {}, {}
            for stream in inp.streams:
                if stream.type not in ("video", "audio") or _is_cover(stream):
                    continue
                if stream.type == "audio" and stream.codec_context.name not in MP4_AUDIO:
                    encoded[stream.index] = out.add_stream("aac", rate=stream.rate or 48000)
                else:
                    copied[stream.index] = out.add_stream_from_template(stream)
                    copied[stream.index].metadata.clear()
            if not copied and not encoded:
                raise MediaError("El video no tiene pistas de audio ni de video.")
            wanted = [inp.streams[i] for i in (*copied, *encoded)]
            for packet in inp.demux(wanted):
                index = packet.stream.index
                if index in encoded:
                    for frame in packet.decode():  # an empty flush packet decodes nothing
                        out.mux(encoded[index].encode(frame))
                    continue
                if packet.dts is None:
                    continue
                packet.stream = copied[index]
                out.mux(packet)
            for stream in encoded.values():
                out.mux(stream.encode(None))
    except MediaError:
        target.unlink(missing_ok=True)
        raise
    except Exception as exc:
        target.unlink(missing_ok=True)
        raise MediaError(
            "No se pudo preparar la copia pública del video (sus códecs no caben en MP4); "
            "conviértalo a H.264/AAC y vuelva a subirlo."
        ) from exc


# --- documents ----------------------------------------------------------------


def probe_pdf(path: Path, fmt: Format) -> Probe:
    """Title, author, date and page count of a PDF, and its first page as the
    preview and thumbnail (rendered with PDFium)."""
    import pypdfium2 as pdfium

    probe = Probe()
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise MediaError("El PDF está protegido con contraseña; no se puede leer.") from exc
        raise MediaError("El PDF está dañado o incompleto; no se puede leer.") from exc
    try:
        pages = len(document)
        if not pages:
            raise MediaError("El PDF no tiene páginas.")
        meta = document.get_metadata_dict(skip_empty=True)
        probe.title = meta.get("Title", "")
        probe.credit = meta.get("Author", "")
        probe.captured_at = _pdf_date(meta.get("CreationDate", ""))
        probe.codecs = f"{pages} página{'s' if pages != 1 else ''}"
        page = document[0]
        width, height = page.get_size()  # points: 1/72 inch
        probe.width, probe.height = round(width), round(height)
        scale = min(PREVIEW_PX / max(width, height, 1), 4.0)
        image = page.render(scale=scale).to_pil()
    finally:
        document.close()
    image_to_derivatives(image, probe)
    return probe


_PDF_DATE = re.compile(
    r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?"
)


def _pdf_date(value: str) -> dt.datetime | None:
    """PDF dates look like D:20230805103000-06'00'."""
    match = _PDF_DATE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, sign, tz_h, tz_m = match.groups()
    offset = dt.timedelta(0)
    if sign in ("+", "-") and tz_h:
        offset = dt.timedelta(hours=int(tz_h), minutes=int(tz_m or 0))
        offset = offset if sign == "+" else -offset
    try:
        return dt.datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=dt.timezone(offset),
        )
    except ValueError:
        return None
