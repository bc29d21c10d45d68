"""Per-person cache of the staff pages the team keeps open all day.

`@staff_page()` (placed under `access.require`, so the permission is checked on every
request) keeps a page's HTML for `STAFF_PAGE_SECONDS` under a key made of:

- the person and their login session (the session's key and contents), so nobody
  is ever served someone else's page, and a page that reads something the session
  remembers is rendered again when it changes;
- the full address and the htmx headers (a fragment is not the page);
- the *data generation*: any save or delete of any model (and any change of a
  many-to-many relation, such as a person's groups) bumps it at once and again after
  commit, so the next request renders afresh — twice per transaction at most
  (`versions.bump_once`). Only the worker's bookkeeping (heartbeats, periodic runs,
  queued tasks), sessions and login throttling are left out. `QuerySet.update()`
  sends no signal: services that use it say so with `versions.rows_updated(Model)`;
  the short lifetime bounds what the clock leaves stale.

The same person's same page asked for again while it is being drawn waits for that
drawing instead of drawing it again on another worker (core/single_flight.py).

What differs per response is put back on every answer: the CSRF token (stored as a
placeholder, each answer gets a freshly masked token, as a rendered page would) and
the CSP nonce. Nothing is stored or served while messages are waiting to be shown,
when the view showed or queued a message, changed the session or set a cookie, or
answered anything but a 200.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from django.contrib import messages
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from pregon.core import single_flight, versions

SCOPE = "data"
STAFF_PAGE_SECONDS = 30
CSRF_PLACEHOLDER = "pregon-staff-csrf-3b9e"
NONCE_PLACEHOLDER = "pregon-staff-nonce-3b9e"
# Rows written on their own schedule that no staff page shows as data (the worker's
# heartbeats, periodic runs and queued-task records: a task that changes data writes
# the data too).
UNWATCHED = {
    "sessions.session",
    "core.workerheartbeat",
    "core.periodicjob",
    "django_tasks_database.dbtaskresult",
}
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Boosted", "HX-History-Restore-Request")
View = Callable[..., HttpResponse]


def data_changed(sender, raw: bool = False, **kwargs) -> None:
    """Signal receiver: a row changed; bump the generation (see the docstring)."""
    if not raw and sender._meta.label_lower not in UNWATCHED:
        versions.bump_once(SCOPE)


def watch_all() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(data_changed, weak=False, dispatch_uid=f"page_cache:{id(signal)}")
    versions.watch_every_model(SCOPE, UNWATCHED)


def staff_page(view: View) -> View:
    """Decorator: serve GET/HEAD from the per-person page cache (see the docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if len(messages.get_messages(request)):  # waiting messages: shown on this page
            return view(request, *args, **kwargs)
        key = _key(request)
        entry = cache.get(key) or single_flight.drawn_meanwhile(key)
        if entry is None:
            try:
                response, entry = _render(request, view, args, kwargs)
                if entry is not None:
                    cache.set(key, entry, STAFF_PAGE_SECONDS)
            finally:
                single_flight.finished(key, kept=entry is not None)
            if entry is None:
                return response
        return _answer(request, entry)

    return wrapper


def _key(request: HttpRequest) -> str:
    session = request.session
    parts = [
        str(request.user.pk),
        session.session_key or "",
        repr(sorted(session.items())),
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""),
        *(request.headers.get(name, "") for name in HTMX_HEADERS),
    ]
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:40]
    return f"pregon:staff:page:{versions.version(SCOPE)}:{digest}"


def _render(request: HttpRequest, view: View, args, kwargs) -> tuple[HttpResponse, dict | None]:
    """Run the view with placeholders for the per-response values: the answer, and the
    entry to keep (None when this answer must not be kept)."""
    nonce = getattr(request, "csp_nonce", "")
    request.pregon_staff_page = CSRF_PLACEHOLDER  # read by context_processors.public_page
    request.csp_nonce = NONCE_PLACEHOLDER
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    finally:
        request.csp_nonce = nonce
        del request.pregon_staff_page
    if response.streaming:
        return response, None
    entry = {"content": response.content, "headers": list(response.items())}
    response.content = _fill(request, entry["content"])
    for name, value in entry["headers"]:
        if NONCE_PLACEHOLDER in value:
            response[name] = value.replace(NONCE_PLACEHOLDER, nonce)
    keep = (
        response.status_code == HTTPStatus.OK
        and not response.cookies
        and not request.session.modified
        and not len(messages.get_messages(request))
    )
    return response, entry if keep else None


def _fill(request: HttpRequest, content: bytes) -> bytes:
    if CSRF_PLACEHOLDER.encode() in content:  # a freshly masked token, as {% csrf_token %}
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return content.replace(NONCE_PLACEHOLDER.encode(), getattr(request, "csp_nonce", "").encode())


def _answer(request: HttpRequest, entry: dict) -> HttpResponse:
    nonce = getattr(request, "csp_nonce", "")
    response = HttpResponse(_fill(request, entry["content"]))
    for name, value in entry["headers"]:
        if name.lower() != "content-length":
            response[name] = value.replace(NONCE_PLACEHOLDER, nonce)
    return response
