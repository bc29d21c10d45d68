"""«Conectar con Facebook»: Facebook Login (state + PKCE), code → user token →
long-lived user token (`fb_exchange_token`) → `GET /me/accounts` with each Page's token
and its `instagram_business_account`; the person picks what to add. Instagram accounts
are connected through the same flow (channels/instagram names this module)."""

import json
import time
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.core.crypto import decrypt, encrypt
from pregon.publishing.channels import oauth
from pregon.publishing.connect import (
    FLOW_SECONDS,
    MAX_PAGES,
    TIMEOUT,
    ConnectError,
    NetworkSetup,
    finish,
    save_account,
)
from pregon.publishing.models import ChannelAccount
from pregon.publishing.views_connect import (
    PERMISSION,
    callback_url,
    failed,
    not_ready,
)

KEY = "meta"
PAGE_KIND = "facebook_page"
INSTAGRAM_KIND = "instagram"

# The minimum each network needs for publishing, insights and comments, with why.
META_SCOPES = {
    "pages_show_list": "ver las páginas que usted administra, para elegir cuáles conectar",
    "pages_manage_posts": "publicar en las páginas elegidas",
    "pages_read_engagement": "leer las publicaciones y comentarios de esas páginas",
    "read_insights": "leer las estadísticas de las páginas",
    "business_management": "encontrar las páginas que pertenecen a un portafolio comercial",
    "instagram_basic": "ver la cuenta de Instagram vinculada a cada página",
    "instagram_content_publish": "publicar en esa cuenta de Instagram",
    "instagram_manage_insights": "leer las estadísticas de Instagram",
}


def setup(base_url: str) -> NetworkSetup:
    required = {
        "el identificador de la app de Meta": settings.PREGON_META_APP_ID,
        "la clave secreta de la app de Meta": settings.PREGON_META_APP_SECRET,
    }
    return oauth.setup(base_url, KEY, "Facebook e Instagram", PAGE_KIND, META_SCOPES, required)


def meta_authorize_url(session, callback: str) -> str:
    query = {
        "client_id": settings.PREGON_META_APP_ID,
        "redirect_uri": callback,
        "scope": ",".join(META_SCOPES),
    }
    return oauth.authorize_url(session, KEY, settings.PREGON_META_OAUTH_URL, query)


def _graph(path: str, params: dict) -> dict:
    try:
        answer = httpx.get(f"{settings.PREGON_GRAPH_API_URL}{path}", params=params, timeout=TIMEOUT)
        body = answer.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ConnectError("Facebook no respondió. Intente de nuevo en unos minutos.") from exc
    if answer.status_code != 200 or "error" in body:
        message = (body.get("error") or {}).get("message", "") if isinstance(body, dict) else ""
        raise ConnectError(f"Facebook rechazó la conexión ({message or answer.status_code}).")
    return body


@dataclass
class MetaChoice:
    """One Page (and its Instagram account, if any) the person may add."""

    page_id: str
    page_name: str
    page_token: str
    instagram_id: str = ""
    instagram_username: str = ""


def meta_callback(session, params: dict, callback: str) -> tuple[list[MetaChoice], list[str]]:
    """Code → long-lived user token → the Pages with their tokens. Also returns the
    permissions the person declined, so the page can say what will not work."""
    flow = finish(session, KEY, params.get("state", ""))
    if params.get("error"):
        raise ConnectError(
            "No se conectó: en Facebook se canceló el permiso. Vuelva a intentarlo y "
            "acepte los permisos que Pregón pide (la lista está en la configuración)."
        )
    app = {
        "client_id": settings.PREGON_META_APP_ID,
        "client_secret": settings.PREGON_META_APP_SECRET,
    }
    short = _graph(
        "/oauth/access_token",
        {
            **app,
            "redirect_uri": callback,
            "code": params.get("code", ""),
            "code_verifier": flow["verifier"],
        },
    )
    long = _graph(
        "/oauth/access_token",
        {**app, "grant_type": "fb_exchange_token", "fb_exchange_token": short["access_token"]},
    )
    user_token = long["access_token"]
    granted = _graph("/me/permissions", {"access_token": user_token}).get("data", [])
    declined = [p["permission"] for p in granted if p.get("status") != "granted"]
    return _meta_pages(user_token), declined


def _meta_pages(user_token: str) -> list[MetaChoice]:
    fields = "id,name,access_token,instagram_business_account{id,username}"
    params = {"access_token": user_token, "fields": fields, "limit": 100}
    choices: list[MetaChoice] = []
    for _ in range(MAX_PAGES):
        body = _graph("/me/accounts", params)
        for page in body.get("data", []):
            instagram = page.get("instagram_business_account") or {}
            choices.append(
                MetaChoice(
                    page["id"],
                    page["name"],
                    page["access_token"],
                    instagram.get("id", ""),
                    instagram.get("username", ""),
                )
            )
        after = (body.get("paging") or {}).get("cursors", {}).get("after")
        if not (body.get("paging") or {}).get("next") or not after:
            break
        params = {**params, "after": after}
    return choices


def remember_choices(session, choices: list[MetaChoice]) -> None:
    """Between the callback and the «Agregar» button: page tokens encrypted."""
    plain = json.dumps([c.__dict__ for c in choices])
    session["connect:meta:choices"] = {"data": encrypt(plain), "started": time.time()}


def remembered_choices(session) -> list[MetaChoice]:
    stored = session.get("connect:meta:choices")
    if not stored or time.time() - stored["started"] > FLOW_SECONDS:
        return []
    return [MetaChoice(**c) for c in json.loads(decrypt(stored["data"]))]


def meta_add(session, user, pages: list[str], instagram: list[str]) -> list[ChannelAccount]:
    """Create (or reconnect) the chosen Pages and Instagram accounts."""
    choices = remembered_choices(session)
    if not choices:
        raise ConnectError("La lista de páginas caducó. Vuelva a pulsar «Conectar con Facebook».")
    saved = []
    for choice in choices:
        if choice.page_id in pages:
            saved.append(
                save_account(
                    user,
                    PAGE_KIND,
                    choice.page_id,
                    choice.page_name,
                    choice.page_name,
                    {"access_token": choice.page_token},
                )
            )
        if choice.instagram_id and choice.instagram_id in instagram:
            saved.append(
                save_account(
                    user,
                    INSTAGRAM_KIND,
                    choice.instagram_id,
                    f"Instagram @{choice.instagram_username}",
                    f"@{choice.instagram_username}",
                    {"access_token": choice.page_token},
                )
            )
    session.pop("connect:meta:choices", None)
    return saved


# --- pages ------------------------------------------------------------------------------


@access.require(PERMISSION)
def start(request: HttpRequest) -> HttpResponse:
    return not_ready(request, setup("")) or redirect(
        meta_authorize_url(request.session, callback_url(request, KEY))
    )


@access.require(PERMISSION)
def back(request: HttpRequest) -> HttpResponse:
    try:
        choices, declined = meta_callback(request.session, request.GET, callback_url(request, KEY))
    except ConnectError as exc:
        return failed(request, exc)
    remember_choices(request.session, choices)
    context = {
        "choices": choices,
        "declined": {p: META_SCOPES.get(p, p) for p in declined},
    }
    return render(request, f"networks/{PAGE_KIND}/connect_choose.html", context)


@require_POST
@access.require(PERMISSION)
def add(request: HttpRequest) -> HttpResponse:
    pages, instagram = request.POST.getlist("pagina"), request.POST.getlist(INSTAGRAM_KIND)
    if not pages and not instagram:
        messages.error(request, "Marque al menos una página o una cuenta de Instagram.")
        return redirect("publishing:accounts")
    try:
        saved = meta_add(request.session, request.user, pages, instagram)
    except ConnectError as exc:
        return failed(request, exc)
    messages.success(request, "Conectadas: " + ", ".join(a.name for a in saved) + ".")
    return redirect("publishing:accounts")


urlpatterns = [
    path(f"{KEY}/", start, name="connect_meta"),
    path(f"{KEY}/volver/", back, name="connect_meta_back"),
    path(f"{KEY}/agregar/", add, name="connect_meta_add"),
]
