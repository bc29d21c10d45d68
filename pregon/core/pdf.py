"""Every PDF Pregón renders (bulletins, flyers, reports, síntesis, survey codes) goes
through here: WeasyPrint with one URL fetcher that serves only Pregón's own files.

Allowed: images embedded as `data:` URIs (how renderers pass the pictures they have
already checked), and fonts, stylesheets and pictures shipped with Pregón or collected
as static files, read from disk by path (a `/static/…` address never goes to the
network). Everything else — http, https, file outside those folders, other `data:`
types, stored media — is refused, so a hostile SVG cannot make the server fetch an
address or copy a local file into a public PDF.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

from pregon.core.images import ImageRejected, is_svg, sanitize_svg

PREGON_PACKAGE = Path(__file__).resolve().parent.parent  # the shipped code, fonts and CSS

logger = logging.getLogger(__name__)
DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
SHIPPED_SUFFIXES = frozenset(
    {".ttf", ".otf", ".woff", ".woff2", ".css", ".png", ".jpg", ".jpeg", ".svg", ".webp"}
)


class FetchRefused(ValueError):
    """WeasyPrint logs it and leaves the resource out."""


def _roots() -> list[Path]:
    folders = [PREGON_PACKAGE, Path(settings.STATIC_ROOT)]
    folders += [Path(d) for d in settings.STATICFILES_DIRS]
    return [f.resolve() for f in folders]


def _shipped_file(path: Path) -> Path:
    path = path.resolve()
    inside = any(path.is_relative_to(root) for root in _roots())
    if not inside or path.suffix.lower() not in SHIPPED_SUFFIXES or not path.is_file():
        raise FetchRefused(f"Archivo fuera de Pregón: {path}")
    return path


def _static_file(url_path: str) -> Path:
    name = unquote(url_path)[len("/" + settings.STATIC_URL.lstrip("/")) :]
    found = finders.find(name) or (Path(settings.STATIC_ROOT) / name)
    return _shipped_file(Path(found))


def _local_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        return _shipped_file(Path(unquote(parts.path)))
    static = "/" + settings.STATIC_URL.lstrip("/")
    if parts.scheme in ("http", "https") and parts.path.startswith(static):
        return _static_file(parts.path)  # our own static files, read by path
    raise FetchRefused(f"Dirección no permitida en un PDF: {url[:200]}")


def _fetcher():
    """WeasyPrint's fetcher class narrowed to Pregón's files (built on first use:
    WeasyPrint is a heavy import)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415 - heavy, see above

    class PregonFetcher(URLFetcher):
        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            if url.startswith("data:"):
                if not DATA_IMAGE.match(url):
                    raise FetchRefused("Solo se incrustan imágenes.")
                return super().fetch(url, headers)
            path = _local_path(url)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return PregonFetcher(allowed_protocols=("data",), allow_redirects=False)


def html_document(html: str, base_url: str | None = None):
    """WeasyPrint's HTML object with Pregón's fetcher (for callers that lay out first)."""
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from weasyprint import HTML  # noqa: PLC0415 - heavy: loaded only when a PDF is asked for

    return HTML(string=html, base_url=base_url, url_fetcher=_fetcher())


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    return html_document(html, base_url).write_pdf()


def data_uri(data: bytes | None, mime: str = "image/png") -> str:
    """An image embedded in the page (SVG recognised by content)."""
    if not data:
        return ""
    if is_svg(data):  # also artwork stored before uploads were sanitised
        try:
            data, mime = sanitize_svg(data), "image/svg+xml"
        except ImageRejected:
            return ""
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"
