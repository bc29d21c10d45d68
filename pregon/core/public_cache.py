"""Whole-page cache for the public pages (press room, feeds, sitemap, public agenda,
survey answering page).

A public page is rendered as an anonymous visitor would see it (no user, no
messages, no CSRF token: see `context_processors.public_page`), stored in the shared
cache under the current *public version*, and answered with an ETag and a
Last-Modified date, so a reporter's browser or a proxy gets a 304 when nothing
changed. Any write to what those pages show bumps the version (`watch`, see
versions.py), so the next request renders afresh; `PREGON_PUBLIC_CACHE_SECONDS`
bounds what only time changes (a transmission going live, a blackout starting).
While a missing page is drawn, other requests for it wait for that drawing
(core/single_flight.py) instead of drawing it too; a page past that time (same
version) is drawn again by one request while the others keep getting the copy they
had, for up to `STALE_SECONDS` more — a ten-year calendar takes seconds to draw under
load, and every reader would otherwise wait for it.

A page with a form (`csrf=True`) is stored with a placeholder where the token goes;
each visitor gets their own token put in, and the answer is private to them.

`PublicPageHits`, placed before sessions, locale, CSRF, authentication and messages,
answers a page already in the cache by itself, so a reporter reloading the press room
costs about what a bare Django view does. The first answer through the whole stack
records the headers the other middleware added (Vary, Content-Language,
X-Frame-Options, never_cache's); a hit puts them back. Never kept: an answer that sets
a cookie (other than the CSRF cookie of a page with a form, set per visitor on every
hit as CsrfViewMiddleware would) or anything but a 200.
"""

import gzip
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
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from django.utils.text import compress_string

from pregon.core import single_flight, versions

CSRF_PLACEHOLDER = "pregon-csrf-placeholder-7c1f"
SCOPE = "public"
View = Callable[..., HttpResponse]
DAY = 24 * 3600
STALE_SECONDS = 120
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Headers a hit computes itself (or must not replay) rather than copy from the answer
# that went through the whole stack.
NOT_REPLAYED = {
    "content-length",
    "content-encoding",
    "etag",
    "last-modified",
    "set-cookie",
    "content-security-policy",
    "vary",
}


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
            if not _cacheable(request, unless):
                return view(request, *args, **kwargs)
            # Rendered as for an anonymous visitor, without touching the session.
            request.user = AnonymousUser()
            request.pregon_public_page = CSRF_PLACEHOLDER if csrf else ""
            key = _page_key(request)
            entry = _kept(key)
            if entry is None:
                try:
                    response = view(request, *args, **kwargs)
                    if response.status_code == HTTPStatus.OK and not response.streaming:
                        entry = _entry(response, csrf)
                        cache.set(key, entry, _lifetime())
                finally:
                    single_flight.finished(key, kept=entry is not None)
                if entry is None:
                    return response
            if "outer" not in entry:  # for PublicPageHits to complete and keep
                request.pregon_public_entry = (key, entry)
            return _csrf_response(request, entry) if csrf else _shared_response(request, entry)

        wrapper.pregon_public_page = unless or _always  # type: ignore[attr-defined]
        return wrapper

    return decorator


def _always(request: HttpRequest) -> bool:
    return False


def _lifetime() -> int:
    return settings.PREGON_PUBLIC_CACHE_SECONDS + STALE_SECONDS


def _fresh(entry: dict) -> bool:
    return entry["fresh_until"] > time.time()


def _kept(key: str) -> dict | None:
    """The page kept under `key`; None: draw it here. Missing: the first request
    draws it, the others wait for that. Past its time: one request draws it again,
    the others are answered the copy meanwhile."""
    entry = cache.get(key)
    if entry is None:
        return single_flight.drawn_meanwhile(key)
    if _fresh(entry) or not single_flight.claim(key):
        return entry
    return None


def _cacheable(request: HttpRequest, unless: Callable[[HttpRequest], bool] | None) -> bool:
    return request.method in ("GET", "HEAD") and not (unless and unless(request))


class PublicPageHits:
    """Middleware: a public page already in the cache, answered before the rest of the
    stack (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Its cookie handling only (read the visitor's secret, set the cookie if new).
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and _is_public_view(request):
            key = _page_key(request)
            entry = cache.get(key)
            # Past its time and nobody drawing it: the view (public_page) draws it.
            hit = entry is not None and "outer" in entry
            if hit and (_fresh(entry) or single_flight.drawing(key)):
                return self._hit(request, entry)
        response = self.get_response(request)
        found = getattr(request, "pregon_public_entry", None)
        if found is not None and response.status_code == HTTPStatus.OK:
            key, entry = found
            cookies = {name for name in response.cookies if name != settings.CSRF_COOKIE_NAME}
            if not cookies and (entry["csrf"] or not response.cookies):
                outer = [(n, v) for n, v in response.items() if n.lower() not in NOT_REPLAYED]
                vary = response.get("Vary", "")
                entry = {**entry, "outer": outer, "vary": vary}
                cache.set(key, entry, _lifetime())
        return response

    def _hit(self, request: HttpRequest, entry: dict) -> HttpResponse:
        if entry["csrf"]:
            self.csrf.process_request(request)  # the visitor's secret, if any
            response = _csrf_response(request, entry, entry["outer"], entry["vary"])
            return self.csrf.process_response(request, response)
        return _shared_response(request, entry, entry["outer"], entry["vary"])


def _is_public_view(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    unless = getattr(match.func, "pregon_public_page", None)
    return unless is not None and not unless(request)


def _page_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"pregon:public:page:{versions.version(SCOPE)}:{path}"


def _entry(response: HttpResponse, csrf: bool) -> dict:
    content = response.content
    etag = f'W/"{hashlib.sha256(content).hexdigest()[:32]}"'
    return {
        "csrf": csrf,
        # Kept compressed only (once here, not on every request; nothing secret in
        # these pages): every read of the entry costs its size, and the public
        # calendar is 550 KB compressed, ten times that plain. A page with a form
        # keeps its plain text, where each visitor's token goes.
        "content": content if csrf else None,
        "gzip": compress_string(content),
        "headers": {
            name: value
            for name, value in response.items()
            if name.lower() in ("content-type", "content-disposition", "content-language")
        },
        "etag": etag,
        "fresh_until": time.time() + settings.PREGON_PUBLIC_CACHE_SECONDS,
        # The same bytes keep the date they first had, whatever bumped the version.
        "last_modified": cache.get_or_set(f"pregon:public:since:{etag}", time.time, DAY),
    }


def _shared_response(
    request: HttpRequest, entry: dict, outer: list | None = None, vary: str = ""
) -> HttpResponse:
    """Same bytes for everyone: validators, 304s and a public Cache-Control."""
    gzipped = ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
    response = _with_outer(
        HttpResponse(
            entry["gzip"] if gzipped else gzip.decompress(entry["gzip"]), headers=entry["headers"]
        ),
        outer,
        vary,
    )
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


def _csrf_response(
    request: HttpRequest, entry: dict, outer: list | None = None, vary: str = ""
) -> HttpResponse:
    """The cached page with this visitor's own (masked) CSRF token put in; private."""
    token = get_token(request).encode()
    content = entry["content"].replace(CSRF_PLACEHOLDER.encode(), token)
    response = _with_outer(HttpResponse(content, headers=entry["headers"]), outer, vary)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _with_outer(response: HttpResponse, outer: list | None, vary: str) -> HttpResponse:
    """The headers the rest of the middleware added to the first answer."""
    for name, value in outer or ():
        response[name] = value
    if vary:
        patch_vary_headers(response, [v.strip() for v in vary.split(",")])
    return response
