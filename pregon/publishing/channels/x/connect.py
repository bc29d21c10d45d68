"""«Conectar con X»: OAuth 2.0 Authorization Code with PKCE; the refresh token X
rotates is stored (encrypted) with the account."""

import time

import httpx
from django.conf import settings

from pregon.publishing.channels import oauth
from pregon.publishing.connect import (
    TIMEOUT,
    ConnectError,
    NetworkSetup,
    finish,
    save_account,
)
from pregon.publishing.models import ChannelAccount
from pregon.publishing.views_connect import oauth_urls

KEY = "x"
KIND = "x"
X_SCOPES = {
    "tweet.read": "leer las publicaciones de la cuenta (para comprobar que salieron)",
    "tweet.write": "publicar",
    "users.read": "saber qué cuenta se conectó",
    "media.write": "subir fotos y videos",
    "offline.access": "seguir publicando sin volver a conectar cada dos horas",
}


def setup(base_url: str) -> NetworkSetup:
    required = {"el Client ID de la app de X": settings.PREGON_X_CLIENT_ID}
    return oauth.setup(base_url, KEY, "X", KIND, X_SCOPES, required)


def x_authorize_url(session, callback: str) -> str:
    query = {
        "client_id": settings.PREGON_X_CLIENT_ID,
        "redirect_uri": callback,
        "scope": " ".join(X_SCOPES),
    }
    return oauth.authorize_url(session, KEY, settings.PREGON_X_OAUTH_URL, query)


def _x_post_token(form: dict) -> dict:
    secret = settings.PREGON_X_CLIENT_SECRET
    auth = (settings.PREGON_X_CLIENT_ID, secret) if secret else None
    if not secret:  # a public client identifies itself in the body
        form = {**form, "client_id": settings.PREGON_X_CLIENT_ID}
    try:
        answer = httpx.post(
            f"{settings.PREGON_X_API_URL}/2/oauth2/token", data=form, auth=auth, timeout=TIMEOUT
        )
        body = answer.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ConnectError("X no respondió. Intente de nuevo en unos minutos.") from exc
    if answer.status_code != 200 or "access_token" not in body:
        raise ConnectError(
            "X rechazó la conexión "
            f"({body.get('error_description') or body.get('error') or answer.status_code})."
        )
    return body


def x_callback(session, params: dict, callback: str, user) -> ChannelAccount:
    flow = finish(session, KEY, params.get("state", ""))
    if params.get("error"):
        raise ConnectError("No se conectó: en X se canceló la autorización.")
    tokens = _x_post_token(
        {
            "grant_type": "authorization_code",
            "code": params.get("code", ""),
            "redirect_uri": callback,
            "code_verifier": flow["verifier"],
        }
    )
    granted = set(tokens.get("scope", "").split())
    missing = [s for s in X_SCOPES if s not in granted]
    if missing:
        raise ConnectError(
            "X no concedió todos los permisos necesarios "
            f"({', '.join(missing)}): vuelva a conectar y acéptelos."
        )
    me = _x_me(tokens["access_token"])
    credentials = {
        "access_token": tokens["access_token"],
        "refresh_token": tokens.get("refresh_token", ""),
        "client_id": settings.PREGON_X_CLIENT_ID,
        "expires_at": int(time.time()) + int(tokens.get("expires_in", 7200)),
    }
    if settings.PREGON_X_CLIENT_SECRET:
        credentials["client_secret"] = settings.PREGON_X_CLIENT_SECRET
    return save_account(
        user, KIND, me["id"], f"X @{me['username']}", f"@{me['username']}", credentials
    )


def _x_me(access_token: str) -> dict:
    try:
        answer = httpx.get(
            f"{settings.PREGON_X_API_URL}/2/users/me",
            timeout=TIMEOUT,
            headers={"Authorization": f"Bearer {access_token}"},
        )
        return answer.raise_for_status().json()["data"]
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise ConnectError("X no dijo qué cuenta se conectó. Intente de nuevo.") from exc


# --- pages ------------------------------------------------------------------------------


urlpatterns = oauth_urls(KEY, setup=setup, authorize_url=x_authorize_url, callback=x_callback)
