"""TikTok's API as every TikTok call sees it: the user token (refreshed once, under the
account's lock, when TikTok answers access_token_invalid; the refresh token TikTok may
rotate is stored before anything uses it) and TikTok's error codes turned into
ChannelError: rate_limit_exceeded waits, access_token_invalid and scope_not_authorized
ask for reconnection, spam_risk_* is permanent, 5xx is transient."""

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from pregon.publishing.channels import words
from pregon.publishing.channels.base import Channel, ChannelError
from pregon.publishing.channels.http import HttpClient, json_or_empty
from pregon.publishing.channels.tiktok.conf import conf

NAME = "TikTok"
SPAM = (
    "TikTok frenó la publicación por su control de spam ({code}): la cuenta publicó "
    "demasiado o TikTok la restringió. Revise la cuenta en la app y vuelva a programarla "
    "más tarde."
)


class TikTokApi(Channel):
    @property
    def http(self) -> HttpClient:
        if not hasattr(self, "_http"):
            base = self.account.base_url or conf.PREGON_TIKTOK_API_URL
            self._http = HttpClient(
                base, on_attempt=lambda a: self.on_attempt and self.on_attempt(a)
            )
        return self._http

    # Calls, errors and tokens ---------------------------------------------------
    def _call_json(self, method: str, path: str, what: str, **kwargs: object) -> dict:
        return self._checked(self._call(method, path, **kwargs), what)

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = self._auth()
        response = self.http.request(method, path, headers=headers, **kwargs)
        if response.status_code == 401 and self.account.credentials.get("refresh_token"):
            self._refresh_once(headers)  # a 401 changed nothing: repeating is safe
            response = self.http.request(method, path, headers=self._auth(), **kwargs)
        return response

    def _refresh_once(self, refused: dict) -> None:
        """One refresh at a time per account: whoever holds the lock refreshes and
        stores the pair; the others find a newer token stored and use it."""
        guard = self.credentials_guard or contextlib.nullcontext
        with guard() as stored:
            if stored:
                self.account.credentials = {**self.account.credentials, **stored}
            if stored and stored.get("access_token") and self._auth() != refused:
                return
            self._refresh()

    def _auth(self) -> dict:
        token = self.account.credentials.get("access_token", "")
        if not token:
            raise ChannelError("TikTok: la cuenta no tiene token de acceso.", reconnect=True)
        return {"Authorization": f"Bearer {token}"}

    def _refresh(self) -> None:
        form = {
            "client_key": conf.PREGON_TIKTOK_CLIENT_KEY,
            "client_secret": conf.PREGON_TIKTOK_CLIENT_SECRET,
            "grant_type": "refresh_token",
            "refresh_token": self.account.credentials["refresh_token"],
        }
        try:
            response = self.http.request("POST", "/v2/oauth/token/", data=form, secret=True)
        except ChannelError as exc:
            raise ChannelError(words.nothing_sent(NAME, exc, "al renovar el token")) from exc
        body = json_or_empty(response)
        if response.status_code != 200 or "access_token" not in body:
            detail = f"renovación del token: {body.get('error_description') or body.get('error')}"
            raise ChannelError(
                words.reconnect(NAME, detail), reconnect=True, status=response.status_code
            )
        self._store_tokens(body)

    def _store_tokens(self, answer: dict) -> None:
        now = datetime.now(UTC)
        new = {**self.account.credentials, "access_token": answer["access_token"]}
        if answer.get("refresh_token"):
            new["refresh_token"] = answer["refresh_token"]  # rotated: the old one is dead
        if answer.get("expires_in"):
            new["expires_at"] = (now + timedelta(seconds=int(answer["expires_in"]))).isoformat()
        if answer.get("refresh_expires_in"):
            seconds = int(answer["refresh_expires_in"])
            new["refresh_expires_at"] = (now + timedelta(seconds=seconds)).isoformat()
        self.account.credentials = new
        if self.on_credentials_changed:
            self.on_credentials_changed(dict(new))

    def _checked(self, response: httpx.Response, what: str) -> dict:
        code = error_code(response)
        if response.status_code < 400 and code in ("", "ok"):
            return json_or_empty(response).get("data") or {}
        raise _error(response, code, what)


def error_code(response: httpx.Response) -> str:
    return str((json_or_empty(response).get("error") or {}).get("code") or "")


def _retry_after(response: httpx.Response) -> float:
    """TikTok's limits count requests per minute; it may say how long in Retry-After."""
    try:
        return max(float(response.headers.get("retry-after", "")), 1.0)
    except ValueError:
        return 60.0


def _error(response: httpx.Response, code: str, what: str) -> ChannelError:
    """TikTok's error codes as permanent, reconnect, rate-limited or transient."""
    body = json_or_empty(response).get("error") or {}
    detail = f"{what}: {code} {body.get('message') or response.reason_phrase}".strip()
    common: dict = {"status": response.status_code, "response_text": response.text}
    if code == "rate_limit_exceeded" or response.status_code == 429:
        message = words.rate_limited(NAME, detail)
        return ChannelError(
            message, rate_limited=True, retry_after=_retry_after(response), **common
        )
    if response.status_code == 401 or code in ("access_token_invalid", "scope_not_authorized"):
        return ChannelError(words.reconnect(NAME, detail), reconnect=True, **common)
    if code.startswith("spam_risk"):
        return ChannelError(f"{SPAM.format(code=code)} ({detail})", permanent=True, **common)
    if code == "url_ownership_unverified":
        hint = (
            "El dominio de PREGON_PUBLIC_URL no está verificado en la app de TikTok "
            "(«URL properties»); verifíquelo y vuelva a enviarla."
        )
        return ChannelError(words.refused(NAME, detail, hint), permanent=True, **common)
    if response.status_code >= 500:
        return ChannelError(words.transient(NAME, detail), **common)
    return ChannelError(words.refused(NAME, detail), permanent=True, **common)
