"""«Conectar con Threads»: Threads' own authorisation window (threads.net/oauth/
authorize with `state`; Threads documents no PKCE), the code exchanged for a
short-lived token (POST graph.threads.net/oauth/access_token), that one for a
60-day token (GET /access_token, grant_type=th_exchange_token), then GET /me for the
account's id and username. The connector renews the token before it runs out."""

import time

import httpx

from pregon.publishing.channels import oauth
from pregon.publishing.channels.threads.conf import conf
from pregon.publishing.connect import (
    TIMEOUT,
    ConnectError,
    NetworkSetup,
    finish,
    save_account,
)
from pregon.publishing.models import ChannelAccount
from pregon.publishing.views_connect import oauth_urls

KEY = "threads"
KIND = "threads"
SCOPES = {
    "threads_basic": "saber qué cuenta se conectó y leer sus publicaciones (para comprobar "
    "que salieron)",
    "threads_content_publish": "publicar",
    "threads_manage_insights": "leer las estadísticas de la cuenta y de sus publicaciones",
}
LONG_LIVED_SECONDS = 5_184_000  # 60 days, when Threads does not say


def setup(base_url: str) -> NetworkSetup:
    required = {
        "el identificador de la app de Threads": conf.PREGON_THREADS_APP_ID,
        "la clave secreta de la app de Threads": conf.PREGON_THREADS_APP_SECRET,
    }
    return oauth.setup(base_url, KEY, "Threads", KIND, SCOPES, required)


def authorize_url(session, callback: str) -> str:
    query = {
        "client_id": conf.PREGON_THREADS_APP_ID,
        "redirect_uri": callback,
        "scope": ",".join(SCOPES),
    }
    return oauth.authorize_url(session, KEY, conf.PREGON_THREADS_OAUTH_URL, query, pkce="")


def _answer(method: str, url: str, **kwargs) -> dict:
    """Threads' JSON answer, or a ConnectError in Spanish with its reason."""
    try:
        response = httpx.request(method, url, timeout=TIMEOUT, **kwargs)
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ConnectError("Threads no respondió. Intente de nuevo en unos minutos.") from exc
    if response.status_code != 200 or "error" in body:
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        reason = error.get("message") or body.get("error_message") or response.status_code
        raise ConnectError(f"Threads rechazó la conexión ({reason}). Vuelva a pulsar «Conectar».")
    return body


def callback(session, params: dict, back: str, user) -> ChannelAccount:
    finish(session, KEY, params.get("state", ""))
    if params.get("error"):
        raise ConnectError("No se conectó: en Threads se canceló la autorización.")
    host = conf.PREGON_THREADS_API_URL.rstrip("/")
    short = _answer(
        "POST",
        f"{host}/oauth/access_token",
        data={
            "client_id": conf.PREGON_THREADS_APP_ID,
            "client_secret": conf.PREGON_THREADS_APP_SECRET,
            "grant_type": "authorization_code",
            "redirect_uri": back,
            "code": params.get("code", ""),
        },
    )
    long = _answer(
        "GET",
        f"{host}/access_token",
        params={
            "grant_type": "th_exchange_token",
            "client_secret": conf.PREGON_THREADS_APP_SECRET,
            "access_token": short["access_token"],
        },
    )
    me = _answer(
        "GET",
        f"{host}/v1.0/me",
        params={"fields": "id,username", "access_token": long["access_token"]},
    )
    _check_scopes(host, long["access_token"])
    credentials = {
        "access_token": long["access_token"],
        "expires_at": int(time.time()) + int(long.get("expires_in") or LONG_LIVED_SECONDS),
    }
    username = me.get("username", "")
    return save_account(
        user, KIND, str(me["id"]), f"Threads @{username}", f"@{username}", credentials
    )


def _check_scopes(host: str, token: str) -> None:
    """Refuse a connection without the permissions Pregón needs (the person may untick
    them in the window). Threads' debug_token may refuse to inspect a token of someone
    who is not a tester of the app: then nothing can be said and the connection goes on."""
    try:
        answer = httpx.get(
            f"{host}/v1.0/debug_token",
            params={"access_token": token, "input_token": token},
            timeout=TIMEOUT,
        )
        granted = set(answer.json()["data"]["scopes"])
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return
    missing = [scope for scope in SCOPES if scope not in granted]
    if missing:
        needed = "; ".join(f"{scope} ({SCOPES[scope]})" for scope in missing)
        raise ConnectError(
            f"En Threads no se concedieron todos los permisos: falta {needed}. Vuelva a "
            "pulsar «Conectar con Threads» y déjelos marcados."
        )


# --- pages ------------------------------------------------------------------------------


urlpatterns = oauth_urls(KEY, setup=setup, authorize_url=authorize_url, callback=callback)
