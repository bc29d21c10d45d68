"""«Conectar con TikTok»: Login Kit v2 (OAuth 2.0 authorization code with PKCE, as
TikTok's Login Kit docs describe: code_challenge is the hex SHA-256 of the verifier).
The token exchange answers an access token (24 h) and a refresh token (365 days) that
TikTok may rotate on every refresh; both are stored encrypted with the account.

Before leaving for TikTok the person says whether the app is audited for direct
posting: an unaudited app may only upload drafts to the creator's inbox («bandeja»),
and Pregón must say so on every such delivery instead of calling it published."""

import json
import time
from collections.abc import Mapping
from typing import cast

import httpx
from django.contrib import messages
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from pregon.accounts import access
from pregon.accounts.models import User
from pregon.publishing.channels import oauth
from pregon.publishing.channels.tiktok.conf import conf
from pregon.publishing.connect import (
    TIMEOUT,
    ConnectError,
    NetworkSetup,
    finish,
    save_account,
)
from pregon.publishing.models import ChannelAccount
from pregon.publishing.views_connect import PERMISSION, callback_url, failed, not_ready

KEY = "tiktok"
KIND = "tiktok"
SCOPES = {
    "user.info.basic": "saber qué cuenta se conectó (su identificador y nombre)",
    "user.info.profile": "leer el nombre de usuario (@) para armar las direcciones de los videos",
    "user.info.stats": "leer los seguidores para Audiencias",
    "video.publish": "publicar videos y fotos directamente en el perfil",
    "video.upload": "subir a la bandeja de la cuenta cuando la app no está auditada",
    "video.list": "leer los videos de la cuenta (comprobar que salieron y sus estadísticas)",
}
MODES = {"directo": False, "bandeja": True}  # mode -> inbox_only


def setup(base_url: str) -> NetworkSetup:
    required = {
        "la clave de cliente (Client key) de la app de TikTok": conf.PREGON_TIKTOK_CLIENT_KEY,
        "el secreto de cliente (Client secret) de la app de TikTok": (
            conf.PREGON_TIKTOK_CLIENT_SECRET
        ),
    }
    return oauth.setup(base_url, KEY, "TikTok", KIND, SCOPES, required)


def authorize_url(session: SessionBase, callback: str, inbox_only: bool) -> str:
    query = {
        "client_key": conf.PREGON_TIKTOK_CLIENT_KEY,
        "scope": ",".join(SCOPES),  # TikTok separates scopes with commas
        "redirect_uri": callback,
    }
    url = conf.PREGON_TIKTOK_OAUTH_URL
    return oauth.authorize_url(session, KEY, url, query, pkce="hex", inbox_only=inbox_only)


def _post_token(form: dict) -> dict:
    form = {
        **form,
        "client_key": conf.PREGON_TIKTOK_CLIENT_KEY,
        "client_secret": conf.PREGON_TIKTOK_CLIENT_SECRET,
    }
    try:
        answer = httpx.post(
            f"{conf.PREGON_TIKTOK_API_URL}/v2/oauth/token/", data=form, timeout=TIMEOUT
        )
        body = answer.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ConnectError("TikTok no respondió. Intente de nuevo en unos minutos.") from exc
    if answer.status_code != 200 or "access_token" not in body:
        why = body.get("error_description") or body.get("error") or answer.status_code
        raise ConnectError(f"TikTok rechazó la conexión ({why}). Vuelva a pulsar «Conectar».")
    return body


def callback(
    session: SessionBase, params: Mapping[str, str], callback_to: str, user: User
) -> ChannelAccount:
    flow = finish(session, KEY, params.get("state", ""))
    if params.get("error"):
        raise ConnectError("No se conectó: en TikTok se canceló la autorización.")
    tokens = _post_token(
        {
            "grant_type": "authorization_code",
            "code": params.get("code", ""),
            "redirect_uri": callback_to,
            "code_verifier": flow["verifier"],
        }
    )
    granted = set(tokens.get("scope", "").split(","))
    missing = [scope for scope in SCOPES if scope not in granted]
    if missing:
        raise ConnectError(
            "TikTok no concedió todos los permisos necesarios "
            f"({', '.join(missing)}): vuelva a conectar y acéptelos."
        )
    me = _me(tokens["access_token"])
    now = int(time.time())
    credentials = {
        "access_token": tokens["access_token"],
        "refresh_token": tokens.get("refresh_token", ""),
        "open_id": tokens.get("open_id", me.get("open_id", "")),
        "username": me.get("username", ""),
        "expires_at": now + int(tokens.get("expires_in", 86400)),
        "refresh_expires_at": now + int(tokens.get("refresh_expires_in", 31536000)),
        "inbox_only": bool(flow.get("inbox_only")),
    }
    username = me.get("username") or me.get("display_name", "")
    return save_account(
        user, KIND, me["open_id"], f"TikTok @{username}", f"@{username}", credentials
    )


def _me(access_token: str) -> dict:
    fields = "open_id,display_name,username,follower_count"
    try:
        answer = httpx.get(
            f"{conf.PREGON_TIKTOK_API_URL}/v2/user/info/",
            params={"fields": fields},
            timeout=TIMEOUT,
            headers={"Authorization": f"Bearer {access_token}"},
        )
        user = answer.raise_for_status().json()["data"]["user"]
        user["open_id"]  # noqa: B018 - the account's id is required
        return user
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        raise ConnectError("TikTok no dijo qué cuenta se conectó. Intente de nuevo.") from exc


# --- pages ------------------------------------------------------------------------------


@access.require(PERMISSION)
def start(request: HttpRequest) -> HttpResponse:
    """First the mode (direct or inbox), then TikTok's authorisation screen."""
    status = setup("")
    refused = not_ready(request, status)
    if refused:
        return refused
    mode = request.GET.get("modo", "")
    if mode not in MODES:
        return render(request, f"networks/{KIND}/connect_choose.html", {"scopes": SCOPES})
    callback_to = callback_url(request, KEY)
    return redirect(authorize_url(request.session, callback_to, MODES[mode]))


@access.require(PERMISSION)
def back(request: HttpRequest) -> HttpResponse:
    try:
        account = callback(
            request.session, request.GET, callback_url(request, KEY), cast(User, request.user)
        )
    except ConnectError as exc:
        return failed(request, exc)
    note = ""
    if json.loads(account.credentials or "{}").get("inbox_only"):
        note = " Los envíos quedarán en la bandeja de TikTok para publicarlos desde la app."
    messages.success(request, f"Conectada: {account.name}.{note}")
    return redirect("publishing:accounts")


urlpatterns = [
    path(f"{KEY}/", start, name="connect_tiktok"),
    path(f"{KEY}/volver/", back, name="connect_tiktok_back"),
]
