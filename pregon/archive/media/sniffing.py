"""The format of a file from its content (magic numbers), never from its name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pregon.archive.media.probe import MediaError


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


def read_bytes_head(path: Path, n: int = 64) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)
