"""«Conectar» pages every network shares: the set-up page for Coordinación, the public
address check, and the helpers each network's own flow views use (channels/<net>/connect.py)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.publishing import connect
from pregon.publishing.models import ChannelAccount

PERMISSION = "publishing.add_channelaccount"


def base_url(request: HttpRequest) -> str:
    return settings.PREGON_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")


def callback_url(request: HttpRequest, network: str) -> str:
    return connect.redirect_uri(base_url(request), network)


def failed(request: HttpRequest, exc: connect.ConnectError) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect("publishing:accounts")


def not_ready(request: HttpRequest, status: connect.NetworkSetup) -> HttpResponse | None:
    """None when the network's app is configured; else back to the set-up page, saying what."""
    if status.ready:
        return None
    messages.error(
        request,
        f"Para conectar {status.name} falta {' y '.join(status.missing)}. Quien administra "
        "el servidor debe darlos de alta; los pasos están en esta página.",
    )
    return redirect("publishing:connect_setup")


@access.require(PERMISSION)
def setup(request: HttpRequest) -> HttpResponse:
    context = {
        "networks": connect.setup_status(base_url(request)),
        "public_url": settings.PREGON_PUBLIC_URL,
    }
    return render(request, "publishing/connect_setup.html", context)


@require_POST
@access.require(PERMISSION)
def check_public(request: HttpRequest) -> HttpResponse:
    ok, message = connect.check_public_address()
    (messages.success if ok else messages.error)(request, message)
    return redirect("publishing:connect_setup")


def oauth_urls(
    key: str,
    *,
    setup: Callable[[str], connect.NetworkSetup],
    authorize_url: Callable[[Any, str], str],
    callback: Callable[..., ChannelAccount],
) -> list[URLPattern]:
    """The two views of a plain OAuth «Conectar» flow (X, Threads, YouTube): `connect_<key>`
    sends the person to the network's authorisation screen, `connect_<key>_back` takes the
    code back and stores the account. Flows that ask something first (TikTok) write their
    own."""

    @access.require(PERMISSION)
    def start(request: HttpRequest) -> HttpResponse:
        return not_ready(request, setup("")) or redirect(
            authorize_url(request.session, callback_url(request, key))
        )

    @access.require(PERMISSION)
    def back(request: HttpRequest) -> HttpResponse:
        try:
            account = callback(
                request.session, request.GET, callback_url(request, key), request.user
            )
        except connect.ConnectError as exc:
            return failed(request, exc)
        messages.success(request, f"Conectada: {account.name}.")
        return redirect("publishing:accounts")

    return [
        path(f"{key}/", start, name=f"connect_{key}"),
        path(f"{key}/volver/", back, name=f"connect_{key}_back"),
    ]
