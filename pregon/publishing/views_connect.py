"""«Conectar» pages: the set-up page for Coordinación and each network's flow."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.publishing import connect

PERMISSION = "publishing.add_channelaccount"


def _base(request: HttpRequest) -> str:
    return settings.PREGON_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")


def _callback(request: HttpRequest, network: str) -> str:
    return connect.redirect_uri(_base(request), network)


def _failed(request: HttpRequest, exc: connect.ConnectError) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect("publishing:accounts")


@access.require(PERMISSION)
def setup(request: HttpRequest) -> HttpResponse:
    context = {
        "networks": connect.setup_status(_base(request)),
        "public_url": settings.PREGON_PUBLIC_URL,
    }
    return render(request, "publishing/connect_setup.html", context)


@require_POST
@access.require(PERMISSION)
def check_public(request: HttpRequest) -> HttpResponse:
    ok, message = connect.check_public_address()
    (messages.success if ok else messages.error)(request, message)
    return redirect("publishing:connect_setup")


def _not_ready(request: HttpRequest, network: str) -> HttpResponse | None:
    status = {n.key: n for n in connect.setup_status(_base(request))}[network]
    if status.ready:
        return None
    messages.error(
        request,
        f"Para conectar {status.name} falta {' y '.join(status.missing)}. Quien administra "
        "el servidor debe darlos de alta; los pasos están en esta página.",
    )
    return redirect("publishing:connect_setup")


@access.require(PERMISSION)
def meta_start(request: HttpRequest) -> HttpResponse:
    return _not_ready(request, "meta") or redirect(
        connect.meta_authorize_url(request.session, _callback(request, "meta"))
    )


@access.require(PERMISSION)
def meta_back(request: HttpRequest) -> HttpResponse:
    try:
        choices, declined = connect.meta_callback(
            request.session, request.GET, _callback(request, "meta")
        )
    except connect.ConnectError as exc:
        return _failed(request, exc)
    connect.remember_choices(request.session, choices)
    context = {
        "choices": choices,
        "declined": {p: connect.META_SCOPES.get(p, p) for p in declined},
    }
    return render(request, "publishing/connect_meta_choose.html", context)


@require_POST
@access.require(PERMISSION)
def meta_add(request: HttpRequest) -> HttpResponse:
    pages, instagram = request.POST.getlist("pagina"), request.POST.getlist("instagram")
    if not pages and not instagram:
        messages.error(request, "Marque al menos una página o una cuenta de Instagram.")
        return redirect("publishing:accounts")
    try:
        saved = connect.meta_add(request.session, request.user, pages, instagram)
    except connect.ConnectError as exc:
        return _failed(request, exc)
    messages.success(request, "Conectadas: " + ", ".join(a.name for a in saved) + ".")
    return redirect("publishing:accounts")


@access.require(PERMISSION)
def x_start(request: HttpRequest) -> HttpResponse:
    return _not_ready(request, "x") or redirect(
        connect.x_authorize_url(request.session, _callback(request, "x"))
    )


@access.require(PERMISSION)
def x_back(request: HttpRequest) -> HttpResponse:
    try:
        account = connect.x_callback(
            request.session, request.GET, _callback(request, "x"), request.user
        )
    except connect.ConnectError as exc:
        return _failed(request, exc)
    messages.success(request, f"Conectada: {account.name}.")
    return redirect("publishing:accounts")


@access.require(PERMISSION)
def portal_start(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "publishing/connect_portal.html", {})
    try:
        url = connect.wordpress_authorize_url(
            request.session, request.POST.get("sitio", ""), _callback(request, "portal")
        )
    except connect.ConnectError as exc:
        return render(request, "publishing/connect_portal.html", {"error": str(exc)}, status=422)
    return redirect(url)


@access.require(PERMISSION)
def portal_back(request: HttpRequest) -> HttpResponse:
    try:
        account = connect.wordpress_callback(request.session, request.GET, request.user)
    except connect.ConnectError as exc:
        return _failed(request, exc)
    messages.success(request, f"Conectado: {account.name}.")
    return redirect("publishing:accounts")
