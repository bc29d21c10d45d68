"""Whole-page cache for the public pages (press room, feeds, sitemap, public agenda,
survey answering page).

A public page is rendered as an anonymous visitor would see it (no user, no
messages, no CSRF token: see `context_processors.public_page`), stored in the shared
cache under the current *public version*, and answered with an ETag and a
Last-Modified date, so a reporter's browser or a proxy gets a 304 when nothing
changed. Any write to what those pages show bumps the version (`watch`, see
versions.py), so the next request renders afresh; `PREGON_PUBLIC_CACHE_SECONDS`
bounds what only time changes (a transmission going live, a blackout starting).

A page with a form (`csrf=True`) is stored with a placeholder where the token goes;
each visitor gets their own token put in, and the answer is private to them.
"""

import hashlib
import re
import time
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from django.utils.text import compress_string

from pregon.core import versions

CSRF_PLACEHOLDER = "pregon-csrf-placeholder-7c1f"
SCOPE = "public"
View = Callable[..., HttpResponse]
DAY = 24 * 3600
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def watch(*models: str) -> None:
    """Any save or delete of these models ("app.Model") changes what the public sees."""
    versions.watch(SCOPE, *models)


def public_page(*, csrf: bool = False, unless: Callable[[HttpRequest], bool] | None = None):
    """Decorator: serve GET/HEAD from the whole-page cache (see the module docstring).

    `unless(request)` true means this request is personal (e.g. carries an invitation
    code) and is rendered normally, never cached."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD") or (unless and unless(request)):
                return view(request, *args, **kwargs)
            # Rendered as for an anonymous visitor, without touching the session.
            request.user = AnonymousUser()
            request.pregon_public_page = CSRF_PLACEHOLDER if csrf else ""
            key = _page_key(request)
            entry = cache.get(key)
            if entry is None:
                response = view(request, *args, **kwargs)
                if response.status_code != HTTPStatus.OK or response.streaming:
                    return response
                entry = _entry(response)
                cache.set(key, entry, settings.PREGON_PUBLIC_CACHE_SECONDS)
            return _csrf_response(request, entry) if csrf else _shared_response(request, entry)

        return wrapper

    return decorator


def _page_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"pregon:public:page:{versions.version(SCOPE)}:{path}"


def _entry(response: HttpResponse) -> dict:
    content = response.content
    etag = f'W/"{hashlib.sha256(content).hexdigest()[:32]}"'
    return {
        "content": content,
        # Compressed once here, not on every request (nothing secret in these pages).
        "gzip": compress_string(content),
        "headers": {
            name: value
            for name, value in response.items()
            if name.lower() in ("content-type", "content-disposition", "content-language")
        },
        "etag": etag,
        # The same bytes keep the date they first had, whatever bumped the version.
        "last_modified": cache.get_or_set(f"pregon:public:since:{etag}", time.time, DAY),
    }


def _shared_response(request: HttpRequest, entry: dict) -> HttpResponse:
    """Same bytes for everyone: validators, 304s and a public Cache-Control."""
    gzipped = ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
    response = HttpResponse(entry["gzip" if gzipped else "content"], headers=entry["headers"])
    if gzipped:
        response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves it as it is
    patch_vary_headers(response, ("Accept-Encoding",))
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    patch_cache_control(response, public=True, max_age=settings.PREGON_PUBLIC_MAX_AGE)
    conditional = get_conditional_response(
        request,
        etag=entry["etag"],
        last_modified=int(entry["last_modified"]),
        response=response,
    )
    return conditional or response


def _csrf_response(request: HttpRequest, entry: dict) -> HttpResponse:
    """The cached page with this visitor's own (masked) CSRF token put in; private."""
    token = get_token(request).encode()
    content = entry["content"].replace(CSRF_PLACEHOLDER.encode(), token)
    response = HttpResponse(content, headers=entry["headers"])
    patch_cache_control(response, private=True, no_cache=True)
    return response
