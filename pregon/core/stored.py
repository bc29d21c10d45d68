"""Serving a stored file (local disk or S3) from a view, after the view has checked
that the person may see it. The web server never serves MEDIA_ROOT by itself, so
the same permission checks hold under `make run` and in development."""

import mimetypes
from pathlib import PurePosixPath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def stored_file_response(stored: FieldFile, *, download: bool = False) -> FileResponse:
    """The file behind `stored` as a response, private to the person who asked.
    SVG and anything else that could run script is locked down by its headers."""
    if not stored or not stored.storage.exists(stored.name):
        raise Http404("Archivo no disponible.")
    name = PurePosixPath(stored.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        stored.storage.open(stored.name, "rb"),
        content_type=content_type,
        as_attachment=download,
        filename=name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
