"""«Conectar con YouTube»: Google's OAuth 2.0 (authorization code with PKCE and
state, access_type=offline and prompt=consent so Google hands a refresh token), the
code changed for tokens at Google's token endpoint, and channels.list?mine=true to
know which channel the person chose on Google's screen. Tokens are stored encrypted
with the account; the connector refreshes them (api.py)."""

from datetime import UTC, datetime, timedelta

import httpx

from pregon.publishing.channels import oauth
from pregon.publishing.channels.youtube.conf import conf
from pregon.publishing.connect import (
    TIMEOUT,
    ConnectError,
    NetworkSetup,
    finish,
    save_account,
)
from pregon.publishing.models import ChannelAccount
from pregon.publishing.views_connect import oauth_urls

KEY = "youtube"
KIND = "youtube"
GOOGLE = "https://www.googleapis.com/auth/"
SCOPES = {
    f"{GOOGLE}youtube.force-ssl": "subir videos con sus subtítulos y miniatura, programar "
    "transmisiones en vivo y comprobar lo publicado (Google exige este permiso para los "
    "subtítulos y las transmisiones; incluye el de subir videos)",
    f"{GOOGLE}youtube.readonly": "leer el canal y sus estadísticas (YouTube Analytics lo pide)",
    f"{GOOGLE}yt-analytics.readonly": "leer las cifras diarias del canal y de cada video",
}


def setup(base_url: str) -> NetworkSetup:
    required = {
        "el ID de cliente OAuth de Google": conf.PREGON_YOUTUBE_CLIENT_ID,
        "el secreto de ese cliente": conf.PREGON_YOUTUBE_CLIENT_SECRET,
    }
    short = {scope.removeprefix(GOOGLE): why for scope, why in SCOPES.items()}
    return oauth.setup(base_url, KEY, "YouTube", KIND, short, required)


def authorize_url(session, callback: str) -> str:
    query = {
        "client_id": conf.PREGON_YOUTUBE_CLIENT_ID,
        "redirect_uri": callback,
        "scope": " ".join(SCOPES),
        "access_type": "offline",  # so Google hands a refresh token
        "prompt": "consent",  # ... every time, not only the first
        "include_granted_scopes": "false",
    }
    return oauth.authorize_url(session, KEY, conf.PREGON_YOUTUBE_OAUTH_URL, query)


def _tokens(code: str, verifier: str, callback: str) -> dict:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": callback,
        "code_verifier": verifier,
        "client_id": conf.PREGON_YOUTUBE_CLIENT_ID,
        "client_secret": conf.PREGON_YOUTUBE_CLIENT_SECRET,
    }
    try:
        answer = httpx.post(conf.PREGON_YOUTUBE_TOKEN_URL, data=form, timeout=TIMEOUT)
        body = answer.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ConnectError("Google no respondió. Intente de nuevo en unos minutos.") from exc
    if answer.status_code != 200 or "access_token" not in body:
        raise ConnectError(
            "Google rechazó la conexión "
            f"({body.get('error_description') or body.get('error') or answer.status_code}). "
            "Vuelva a pulsar «Conectar con YouTube»."
        )
    return body


def callback(session, params: dict, callback_uri: str, user) -> ChannelAccount:
    flow = finish(session, KEY, params.get("state", ""))
    if params.get("error"):
        raise ConnectError("No se conectó: en Google se canceló la autorización.")
    tokens = _tokens(params.get("code", ""), flow["verifier"], callback_uri)
    granted = set(tokens.get("scope", "").split())
    missing = [scope.removeprefix(GOOGLE) for scope in SCOPES if scope not in granted]
    if missing:
        raise ConnectError(
            "Google no concedió todos los permisos necesarios "
            f"({', '.join(missing)}): vuelva a conectar y marque todas las casillas."
        )
    if not tokens.get("refresh_token"):
        raise ConnectError(
            "Google no entregó el permiso para seguir publicando sin volver a conectar. "
            "Quite el acceso de Pregón en su cuenta de Google (Seguridad › Apps de terceros) "
            "y vuelva a conectar."
        )
    channel = _channel(tokens["access_token"])
    title = channel["snippet"].get("title", "")
    handle = channel["snippet"].get("customUrl", "") or title
    expires = datetime.now(UTC) + timedelta(seconds=int(tokens.get("expires_in", 3599)))
    credentials = {
        "access_token": tokens["access_token"],
        "refresh_token": tokens["refresh_token"],
        "expires_at": expires.isoformat(),
        "client_id": conf.PREGON_YOUTUBE_CLIENT_ID,
    }
    return save_account(user, KIND, channel["id"], f"YouTube · {title}", handle, credentials)


def _channel(access_token: str) -> dict:
    try:
        answer = httpx.get(
            f"{conf.PREGON_YOUTUBE_API_URL}/youtube/v3/channels",
            params={"part": "snippet,contentDetails", "mine": "true"},
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=TIMEOUT,
        )
        items = answer.raise_for_status().json().get("items") or []
    except (httpx.HTTPError, ValueError) as exc:
        raise ConnectError("YouTube no dijo qué canal se conectó. Intente de nuevo.") from exc
    if not items:
        raise ConnectError(
            "La cuenta de Google elegida no tiene canal de YouTube. Elija en Google la cuenta "
            "o la cuenta de marca del canal del municipio, o cree el canal en YouTube primero."
        )
    return items[0]


# --- pages ------------------------------------------------------------------------------


urlpatterns = oauth_urls(KEY, setup=setup, authorize_url=authorize_url, callback=callback)
