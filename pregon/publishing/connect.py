"""«Conectar»: accounts connected through each network's own authorisation flow, so
nobody pastes a token. This module holds what every flow shares: the set-up page's
status, the return address, the one-use state with PKCE kept in the session, and
storing the account. Each network's flow (its authorisation URL, callback, views
and set-up notes) lives in its package, named by `Network.connect_module`:

- Meta (Facebook Pages + Instagram): channels/facebook/connect.py
- X: channels/x/connect.py
- WordPress: channels/wordpress/connect.py

The token exchange runs inside the callback request: the network sends the person
back with a one-use code that expires in seconds, so it cannot wait for a worker.
Everything secret is stored encrypted (ChannelAccount.credentials) and never logged.
"""

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError

from pregon.accounts.models import User
from pregon.publishing import services
from pregon.publishing.channels import registry
from pregon.publishing.models import ChannelAccount, ChannelState

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
FLOW_SECONDS = 15 * 60
MAX_PAGES = 20


class ConnectError(Exception):
    """A flow that cannot go on; the message is Spanish and says what to do."""


# --- configuration -------------------------------------------------------------------


@dataclass
class NetworkSetup:
    key: str  # the flow's address segment and session key («meta», «x», «portal»)
    name: str
    ready: bool
    missing: list[str]
    redirect_uri: str  # "" when the network asks for no registered return address
    notes_template: str  # the steps in the network's console (its package's template)
    scopes: dict[str, str] = field(default_factory=dict)


def flow_modules() -> list[ModuleType]:
    """Each network package's «Conectar» flow, once (Facebook and Instagram share Meta's)."""
    paths = [n.connect_module for n in registry.networks().values() if n.connect_module]
    return [import_module(path) for path in dict.fromkeys(paths)]


def setup_status(base_url: str) -> list[NetworkSetup]:
    return [module.setup(base_url) for module in flow_modules()]


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


# --- storing ----------------------------------------------------------------------------


def save_account(
    user: User,
    kind: str,
    external_id: str,
    name: str,
    handle: str,
    credentials: dict,
    base_url: str = "",
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
