"""«Conectar» pages every network shares: the set-up page for Coordinación, the public
address check, and the helpers each network's own flow views use (channels/<net>/connect.py)."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.publishing import connect

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
