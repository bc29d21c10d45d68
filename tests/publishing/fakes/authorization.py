"""What every fake network's authorisation server does alike, as strictly as the real
ones (Meta, Threads, X, YouTube, TikTok; each keeps its own paths, parameter names
and error bodies):

- a consent page (a real HTML form a browser can click) that, once allowed, sends the
  person back with a one-use code bound to the redirect URI, the PKCE challenge and
  the ticked scopes, or with `error=access_denied` when cancelled;
- the code redeemed once only (a second use, or another redirect URI, is refused) and
  only with the verifier whose challenge was sent;
- refresh tokens that are single-use: each refresh hands out a new pair and the old
  refresh token is gone, so using it again is refused;
- an access token expired, or a refresh token revoked, by the test.
"""

import base64
import hashlib
import html
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode

from tests.publishing.fakes.server import Answer, Recorded

HTML = {"Content-Type": "text/html; charset=utf-8"}


def s256(verifier: str) -> str:
    """RFC 7636's S256 challenge: base64url of the SHA-256, without padding."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hex256(verifier: str) -> str:
    """TikTok's Login Kit challenge: the hex SHA-256 of the verifier."""
    return hashlib.sha256(verifier.encode()).hexdigest()


def redirect(url: str, params: dict) -> Answer:
    joiner = "&" if "?" in url else "?"
    return Answer(302, "", {"Location": f"{url}{joiner}{urlencode(params)}"})


def oauth_error(status: int, error: str, description: str, **extra: str) -> Answer:
    """A token endpoint's refusal, as OAuth 2.0 shapes it (RFC 6749, 5.2)."""
    return Answer(status, {"error": error, "error_description": description, **extra})


def consent_page(action: str, hidden: dict, scopes: list[str], declined: set[str]) -> Answer:
    fields = "".join(
        f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in hidden.items()
    )
    boxes = "".join(
        f'<label><input type="checkbox" name="scope" value="{s}"'
        f"{'' if s in declined else ' checked'}> {s}</label><br>"
        for s in scopes
    )
    body = (
        "<!doctype html><html lang='es'><head><title>Autorizar</title></head><body>"
        f"<h1>¿Permitir el acceso a Pregón?</h1><form method='post' action='{action}'>"
        f"{fields}{boxes}"
        "<button name='accion' value='permitir'>Permitir</button>"
        "<button name='accion' value='cancelar'>Cancelar</button></form></body></html>"
    )
    return Answer(200, body, HTML)


class AuthorizationServer:
    """Mixed into a FakeServer (before it): the consent page and one-use codes."""

    code_prefix = ""  # Google's codes start with «4/»
    denied_reason: dict[str, str] = {}  # what else the network says on a cancelled consent

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes: dict[str, dict] = {}
        self.declined_scopes: set[str] = set()  # unticked on the consent page

    def consent_screen(self, query: dict, action: str, separator: str, **hidden: str) -> Answer:
        """The consent page for an authorisation request already checked; it carries
        the redirect URI, state and challenge (and `hidden`) to the consent answer."""
        keep = {k: query[k] for k in ("redirect_uri", "state", "code_challenge") if k in query}
        scopes = query.get("scope", "").split(separator)
        return consent_page(action, {**keep, **hidden}, scopes, self.declined_scopes)

    def consent_answer(self, request: Recorded, **grant: Any) -> Answer:
        """The consent form posted back. Cancelled: back with access_denied. Allowed:
        back with a one-use code for the form's fields, the ticked scopes (in order)
        and `grant` (whom the tokens will act for)."""
        form = parse_qs(request.body.decode())
        one = {k: v[0] for k, v in form.items() if k not in ("accion", "scope")}
        back, state = one["redirect_uri"], one["state"]
        if form.get("accion") != ["permitir"]:
            return redirect(back, {"error": "access_denied", **self.denied_reason, "state": state})
        code = f"{self.code_prefix}{secrets.token_urlsafe(16)}"
        self.codes[code] = {**one, "scopes": form.get("scope", []), **grant}
        return redirect(back, {"code": code, "state": state, **self.code_answer(self.codes[code])})

    def code_answer(self, grant: dict) -> dict:
        """What the network adds to the code in the redirect (TikTok: the scopes)."""
        return {}

    def take_code(self, form: dict) -> dict | None:
        """The code's grant, if it was handed out for this redirect URI. Used once:
        it is gone after this call, whatever the answer."""
        grant = self.codes.pop(form.get("code", ""), None)
        return grant if grant and grant["redirect_uri"] == form.get("redirect_uri") else None

    @staticmethod
    def verifier_matches(grant: dict, form: dict, challenge: Callable[[str], str] = s256) -> bool:
        return challenge(form.get("code_verifier", "")) == grant.get("code_challenge")


class RotatingTokens(AuthorizationServer):
    """Access tokens and single-use refresh tokens (X, TikTok, YouTube; Meta's and
    Threads' long-lived tokens are exchanged, not refreshed this way)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access_tokens: dict[str, Any] = {}  # token -> whom it acts for
        self.refresh_tokens: dict[str, Any] = {}

    def expire_access_token(self, token: str) -> None:
        self.access_tokens.pop(token, None)

    def revoke_refresh_token(self, token: str) -> None:
        self.refresh_tokens.pop(token, None)

    def take_refresh_token(self, token: str) -> Any:
        """Whom a refresh token acts for (None if unknown). Single-use: it is gone."""
        return self.refresh_tokens.pop(token, None)

    def new_tokens(self, prefixes: tuple[str, str], access: Any, refresh: Any) -> tuple[str, str]:
        """A new access and refresh token, each with what it acts for."""
        pair = tuple(f"{prefix}{secrets.token_hex(8)}" for prefix in prefixes)
        self.access_tokens[pair[0]], self.refresh_tokens[pair[1]] = access, refresh
        return pair[0], pair[1]
