"""Size limits per kind of upload, enforced while the body streams in.

A request is refused with 413 before its body is read when its Content-Length already
passes the largest limit of what its address accepts; each file is refused as soon as
its streamed bytes pass the limit of its kind. Nothing past the limit reaches the
temporary directory. The services use `max_bytes` for the same figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

MIB = 1024 * 1024
# Room for the form fields and multipart boundaries around the files.
FORM_SLACK = 1 * MIB


@dataclass(frozen=True)
class Kind:
    setting: str
    label: str  # Spanish, as in «las fotos pasan de …»
    extensions: frozenset[str]


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


KINDS = {
    "foto": Kind(
        "PREGON_MAX_PHOTO_MB",
        "Las fotos",
        _names("jpg jpeg jpe jfif png gif webp tif tiff dng heic heif hif avif svg"),
    ),
    "video": Kind(
        "PREGON_MAX_VIDEO_MB",
        "Los videos y audios",
        _names("mp4 m4v mov 3gp qt avi mkv webm m4a aac mp3 wav ogg oga opus flac"),
    ),
    "documento": Kind("PREGON_MAX_DOCUMENT_MB", "Los documentos", frozenset({"pdf", "vtt", "srt"})),
    "csv": Kind("PREGON_MAX_CSV_MB", "Los archivos CSV", frozenset({"csv", "tsv"})),
    "bitacora": Kind("PREGON_MAX_WEBLOG_MB", "Las bitácoras de acceso", frozenset({"log", "gz"})),
    "ical": Kind("PREGON_MAX_ICS_MB", "Los calendarios iCalendar", frozenset({"ics", "ical"})),
}

# What each address accepts, first match wins; anything else is held to documents.
ACCEPTS: tuple[tuple[re.Pattern, tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), kinds)
    for pattern, kinds in (
        (r"^/(archivo|api/v1/archive)/", ("foto", "video", "documento")),
        (r"^/publicaciones/componer/subir/", ("foto", "video")),  # the composer's drop zone
        (r"^/(audiencias/|api/v1/analytics/imports/metrics)", ("csv", "bitacora")),
        (r"^/api/v1/analytics/imports/weblogs", ("bitacora",)),
        (r"^/(agenda/|api/v1/activities/)", ("ical",)),
        (r"^/(diseno|publicaciones|api/v1/design|api/v1/publications)/", ("foto",)),
        (r"^/(boletines/|api/v1/media-contacts)", ("csv",)),
    )
)
DEFAULT_KINDS = ("documento",)


class UploadTooLarge(Exception):
    """A body or file past its limit; the message is Spanish and user-facing."""


def megabytes(kind: str) -> int:
    return int(getattr(settings, KINDS[kind].setting))


def max_bytes(kind: str) -> int:
    return megabytes(kind) * MIB


def too_large_message(kind: str, name: str = "") -> str:
    where = f"«{name}»: " if name else ""
    return f"{where}{KINDS[kind].label} no pueden pasar de {megabytes(kind)} MB."


def accepted_kinds(path: str) -> tuple[str, ...]:
    return next((kinds for pattern, kinds in ACCEPTS if pattern.match(path)), DEFAULT_KINDS)


def kind_of_file(path: str, file_name: str) -> str:
    """The kind a file counts as at `path`: by its name among what the address accepts,
    else the largest accepted (its content is checked later by the service)."""
    accepted = accepted_kinds(path)
    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    named = next((k for k in accepted if ext in KINDS[k].extensions), None)
    return named or max(accepted, key=max_bytes)


def request_limit(path: str) -> tuple[int, str]:
    """The largest body (bytes) an address takes, and the kind that sets it."""
    kind = max(accepted_kinds(path), key=max_bytes)
    return max_bytes(kind) + FORM_SLACK, kind


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes as they arrive and stops
    the upload once they pass the limit of the file's kind (before the temp file)."""

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        path = self.request.path_info if self.request else "/"
        self.kind = kind_of_file(path, file_name or "")
        self.limit, self.received = max_bytes(self.kind), 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge(too_large_message(self.kind, self.file_name or ""))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def refusal(request: HttpRequest, message: str) -> HttpResponse:
    """JSON for the API and scripts, a fragment for htmx (base.html lets htmx show a
    413), the error page for plain forms."""
    scripted = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    if request.path_info.startswith("/api/") or scripted:
        return JsonResponse({"detail": message}, status=413)
    if request.headers.get("HX-Request"):
        return render(request, "_too_large.html", {"message": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


class UploadLimitMiddleware:
    """Before CSRF (which reads the form): refuse by Content-Length without reading the
    body, then parse multipart bodies here so a file past its limit answers 413."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH"):
            refused = self._check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        limit, kind = request_limit(request.path_info)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return refusal(request, too_large_message(kind))
        if request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 - parse now, through LimitedUploadHandler
            except UploadTooLarge as exc:
                return refusal(request, str(exc))
        return None
