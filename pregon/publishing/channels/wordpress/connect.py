"""«Conectar el portal»: WordPress's Application Passwords authorisation screen
(`/wp-admin/authorize-application.php` with `success_url`)."""

import uuid
from urllib.parse import urlencode

import httpx
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from pregon.accounts import access
from pregon.publishing.connect import (
    TIMEOUT,
    ConnectError,
    NetworkSetup,
    begin,
    finish,
    save_account,
)
from pregon.publishing.models import ChannelAccount
from pregon.publishing.views_connect import (
    PERMISSION,
    callback_url,
    failed,
)

KEY = "portal"
KIND = "wordpress"
WORDPRESS_APP = "Pregón"


def setup(base_url: str) -> NetworkSetup:
    # WordPress asks for no registered return address: the link carries it.
    return NetworkSetup(
        KEY, "Portal web (WordPress)", True, [], "", f"networks/{KIND}/connect_setup.html"
    )


def wordpress_authorize_url(session, site: str, callback: str) -> str:
    site = site.strip().rstrip("/")
    if not site.startswith(("https://", "http://")):
        raise ConnectError("Escriba la dirección completa del portal, con https://.")
    state, _ = begin(session, KEY, site=site)
    back = f"{callback}?{urlencode({'state': state})}"
    query = {
        "app_name": WORDPRESS_APP,
        "app_id": str(uuid.uuid5(uuid.NAMESPACE_URL, site)),
        "success_url": back,
        "reject_url": f"{back}&rechazado=1",
    }
    return f"{site}/wp-admin/authorize-application.php?{urlencode(query)}"


def wordpress_callback(session, params: dict, user) -> ChannelAccount:
    flow = finish(session, KEY, params.get("state", ""))
    if params.get("rechazado") or params.get("success") == "false":
        raise ConnectError("No se conectó: en el portal se rechazó la autorización.")
    login, password = params.get("user_login", ""), params.get("password", "")
    if not login or not password:
        raise ConnectError("El portal no devolvió la contraseña de aplicación.")
    site = flow["site"]
    try:
        answer = httpx.get(
            f"{site}/wp-json/wp/v2/users/me", auth=(login, password), timeout=TIMEOUT
        )
        me = answer.raise_for_status().json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ConnectError(
            "El portal no aceptó la contraseña de aplicación que acaba de dar."
        ) from exc
    name = f"Portal {site.split('://', 1)[1]}"
    credentials = {"username": login, "application_password": password}
    return save_account(user, KIND, str(me.get("id", "")), name, site, credentials, base_url=site)


# --- pages ------------------------------------------------------------------------------


@access.require(PERMISSION)
def start(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "publishing/connect_portal.html", {})
    try:
        url = wordpress_authorize_url(
            request.session, request.POST.get("sitio", ""), callback_url(request, KEY)
        )
    except ConnectError as exc:
        return render(request, "publishing/connect_portal.html", {"error": str(exc)}, status=422)
    return redirect(url)


@access.require(PERMISSION)
def back(request: HttpRequest) -> HttpResponse:
    try:
        account = wordpress_callback(request.session, request.GET, request.user)
    except ConnectError as exc:
        return failed(request, exc)
    messages.success(request, f"Conectado: {account.name}.")
    return redirect("publishing:accounts")


urlpatterns = [
    path(f"{KEY}/", start, name="connect_portal"),
    path(f"{KEY}/volver/", back, name="connect_portal_back"),
]
