"""Where to go after a form: a `next` from the request only when it stays on this
site (Django's safe-URL check), else the view's own default. Every view that
honours `next` goes through here, so an open redirect cannot slip in."""

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe(request: HttpRequest, url: str) -> bool:
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, default: str, *args) -> str:
    """The POST (or GET) `next` if safe, else `default` (a URL or a URL name)."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    return wanted if wanted and is_safe(request, wanted) else resolve_url(default, *args)
