"""«Conectar»: accounts connected through each network's own authorisation flow, so
nobody pastes a token.

- Meta (Facebook Pages + Instagram): Facebook Login (state + PKCE), code → user
  token → long-lived user token (`fb_exchange_token`) → `GET /me/accounts` with each
  Page's token and its `instagram_business_account`; the person picks what to add.
- X: OAuth 2.0 Authorization Code with PKCE; the refresh token X rotates is stored.
- WordPress: the Application Passwords authorisation screen
  (`/wp-admin/authorize-application.php` with `success_url`).

The token exchange runs inside the callback request: the network sends the person
back with a one-use code that expires in seconds, so it cannot wait for a worker.
Everything secret is stored encrypted (ChannelAccount.credentials) and never logged.
"""

import base64
import hashlib
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError

from pregon.core.crypto import decrypt, encrypt
from pregon.publishing import services
from pregon.publishing.models import ChannelAccount, ChannelKind, ChannelState

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
FLOW_SECONDS = 15 * 60
MAX_PAGES = 20

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
X_SCOPES = {
    "tweet.read": "leer las publicaciones de la cuenta (para comprobar que salieron)",
    "tweet.write": "publicar",
    "users.read": "saber qué cuenta se conectó",
    "media.write": "subir fotos y videos",
    "offline.access": "seguir publicando sin volver a conectar cada dos horas",
}
WORDPRESS_APP = "Pregón"


class ConnectError(Exception):
    """A flow that cannot go on; the message is Spanish and says what to do."""


# --- configuration -------------------------------------------------------------------


@dataclass
class NetworkSetup:
    key: str
    name: str
    ready: bool
    missing: list[str]
    redirect_uri: str
    scopes: dict[str, str] = field(default_factory=dict)


def setup_status(base_url: str) -> list[NetworkSetup]:
    meta_missing = [
        label
        for label, value in (
            ("el identificador de la app de Meta", settings.PREGON_META_APP_ID),
            ("la clave secreta de la app de Meta", settings.PREGON_META_APP_SECRET),
        )
        if not value
    ]
    x_missing = [] if settings.PREGON_X_CLIENT_ID else ["el Client ID de la app de X"]
    return [
        NetworkSetup(
            "meta",
            "Facebook e Instagram",
            not meta_missing,
            meta_missing,
            redirect_uri(base_url, "meta"),
            META_SCOPES,
        ),
        NetworkSetup("x", "X", not x_missing, x_missing, redirect_uri(base_url, "x"), X_SCOPES),
        NetworkSetup(
            "portal", "Portal web (WordPress)", True, [], redirect_uri(base_url, "portal")
        ),
    ]


def redirect_uri(base_url: str, network: str) -> str:
    """The exact address each developer console must list (no query string)."""
    return f"{base_url.rstrip('/')}/publicaciones/canales/conectar/{network}/volver/"


def check_public_address() -> tuple[bool, str]:
    """Instagram fetches images from our public address: does it answer from outside?"""
    if not settings.PREGON_PUBLIC_URL:
        return False, (
            "Pregón aún no tiene una dirección pública. Pida a quien administra el "
            "servidor que la configure (por ejemplo https://comunicacion.chapultepec.gob.mx)."
        )
    url = f"{settings.PREGON_PUBLIC_URL}/healthz"
    try:
        answer = httpx.get(url, timeout=5.0, follow_redirects=False)
        status = answer.json().get("status") if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        status = None
    if status == "ok":
        return True, f"{settings.PREGON_PUBLIC_URL} responde: las redes pueden descargar imágenes."
    return False, (
        f"{settings.PREGON_PUBLIC_URL} no responde desde fuera. Revise con quien administra "
        "el servidor el dominio, el certificado y el proxy."
    )


# --- the flow in the session ------------------------------------------------------------


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def begin(session, network: str, **extra) -> tuple[str, str]:
    """A new flow: (state, code_challenge). The verifier stays in the session."""
    state = secrets.token_urlsafe(24)
    verifier, challenge = _pkce()
    session[f"connect:{network}"] = {
        "state": state,
        "verifier": verifier,
        "started": time.time(),
        **extra,
    }
    return state, challenge


def finish(session, network: str, state: str) -> dict:
    """The flow this callback belongs to, used once; refuses forged or stale ones."""
    flow = session.pop(f"connect:{network}", None)
    if not flow or not secrets.compare_digest(flow["state"], state or ""):
        raise ConnectError(
            "La respuesta no corresponde a una conexión iniciada aquí (o ya se usó). "
            "Vuelva a pulsar «Conectar»."
        )
    if time.time() - flow["started"] > FLOW_SECONDS:
        raise ConnectError("La conexión tardó más de 15 minutos. Vuelva a pulsar «Conectar».")
    return flow


# --- Meta ---------------------------------------------------------------------------------


def meta_authorize_url(session, callback: str) -> str:
    state, challenge = begin(session, "meta")
    query = {
        "client_id": settings.PREGON_META_APP_ID,
        "redirect_uri": callback,
        "state": state,
        "response_type": "code",
        "scope": ",".join(META_SCOPES),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return f"{settings.PREGON_META_OAUTH_URL}?{urlencode(query)}"


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
    flow = finish(session, "meta", params.get("state", ""))
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
                _save(
                    user,
                    ChannelKind.FACEBOOK_PAGE,
                    choice.page_id,
                    choice.page_name,
                    choice.page_name,
                    {"access_token": choice.page_token},
                )
            )
        if choice.instagram_id and choice.instagram_id in instagram:
            saved.append(
                _save(
                    user,
                    ChannelKind.INSTAGRAM,
                    choice.instagram_id,
                    f"Instagram @{choice.instagram_username}",
                    f"@{choice.instagram_username}",
                    {"access_token": choice.page_token},
                )
            )
    session.pop("connect:meta:choices", None)
    return saved


# --- X ----------------------------------------------------------------------------------


def x_authorize_url(session, callback: str) -> str:
    state, challenge = begin(session, "x")
    query = {
        "response_type": "code",
        "client_id": settings.PREGON_X_CLIENT_ID,
        "redirect_uri": callback,
        "scope": " ".join(X_SCOPES),
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return f"{settings.PREGON_X_OAUTH_URL}?{urlencode(query)}"


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
    flow = finish(session, "x", params.get("state", ""))
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
    return _save(
        user, ChannelKind.X, me["id"], f"X @{me['username']}", f"@{me['username']}", credentials
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


# --- WordPress ---------------------------------------------------------------------------


def wordpress_authorize_url(session, site: str, callback: str) -> str:
    site = site.strip().rstrip("/")
    if not site.startswith(("https://", "http://")):
        raise ConnectError("Escriba la dirección completa del portal, con https://.")
    state, _ = begin(session, "portal", site=site)
    back = f"{callback}?{urlencode({'state': state})}"
    query = {
        "app_name": WORDPRESS_APP,
        "app_id": str(uuid.uuid5(uuid.NAMESPACE_URL, site)),
        "success_url": back,
        "reject_url": f"{back}&rechazado=1",
    }
    return f"{site}/wp-admin/authorize-application.php?{urlencode(query)}"


def wordpress_callback(session, params: dict, user) -> ChannelAccount:
    flow = finish(session, "portal", params.get("state", ""))
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
    return _save(
        user, ChannelKind.WORDPRESS, str(me.get("id", "")), name, site, credentials, base_url=site
    )


# --- storing ----------------------------------------------------------------------------


def _save(
    user, kind: str, external_id: str, name: str, handle: str, credentials: dict, base_url: str = ""
) -> ChannelAccount:
    """A new account, or the same one again: new credentials reconnect it, and the
    deliveries that waited for it go out (each once: services.account_save)."""
    account = ChannelAccount.objects.filter(kind=kind, external_id=external_id).first()
    if account is None:
        taken = ChannelAccount.objects.filter(name=name).exists()
        account = ChannelAccount(
            kind=kind, external_id=external_id, name=f"{name} ({external_id})" if taken else name
        )
    account.handle = handle[:200]
    if base_url:
        account.base_url = base_url
    if account.state == ChannelState.DISABLED:
        account.state = ChannelState.ACTIVE
    try:
        return services.account_save(
            account=account, user=user, credentials=json.dumps(credentials)
        )
    except ValidationError as exc:
        raise ConnectError(" ".join(exc.messages)) from exc
