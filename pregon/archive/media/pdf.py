"""PDF documents (PDFium): title, author, date, page count and the first page as
preview and thumbnail."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pypdfium2 as pdfium

from pregon.archive.media.images import image_to_derivatives
from pregon.archive.media.probe import PREVIEW_PX, MediaError, Probe
from pregon.archive.media.sniffing import Format


def probe_pdf(path: Path, fmt: Format) -> Probe:
    """Title, author, date and page count of a PDF, and its first page as the
    preview and thumbnail (rendered with PDFium)."""
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
