"""Photos: decode (libvips, HEIC through pillow-heif), metadata, the preview and
thumbnail JPEGs, the perceptual hash and the public copy's re-encode."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pillow_heif
import pyvips
from PIL import Image

from pregon.archive import metadata
from pregon.archive.media.probe import PREVIEW_PX, THUMB_PX, MediaError, Probe
from pregon.archive.media.sniffing import Format
from pregon.core import images

# libvips narrates every operation at INFO level; keep the logs for real problems.
logging.getLogger("pyvips").setLevel(logging.WARNING)


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
    for tag in dataclasses.fields(tags):  # a Probe is a PhotoTags with more fields
        setattr(probe, tag.name, getattr(tags, tag.name))
    if not probe.credit:  # the person who took it, when nobody wrote a credit line
        probe.credit = probe.creator


def strip_to_public(data: bytes, tags: metadata.PublicTags | None = None) -> bytes:
    """Re-encode a derivative with no EXIF, IPTC or XMP (so no GPS); optionally with
    only Pregón's own caption, credit, rights and alt text, written by Exiv2."""
    image = pyvips.Image.new_from_buffer(data, "").copy()
    for name in image.get_fields():
        if name.startswith(("exif-", "iptc-", "xmp-")):
            image.remove(name)
    jpeg = image.jpegsave_buffer(Q=85, keep="none")
    return metadata.write_public_tags(jpeg, tags) if tags else jpeg
