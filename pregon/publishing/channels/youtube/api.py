"""What every YouTube call shares: the HTTP clients (Data API, uploads, Analytics),
the OAuth 2.0 access token and its refresh, and the Spanish words for Google's errors.

Google's access tokens last an hour. A call answered 401 refreshes once (POST to the
token endpoint with grant_type=refresh_token) under the account's lock
(`credentials_guard`), so of several senders that find the token expired only one
spends the refresh token; the new pair is stored (`on_credentials_changed`) before
the lock is released. Errors come as {"error": {"code", "message", "errors":
[{"reason", "domain"}]}}: quotaExceeded (the project's daily units, reset at midnight
Pacific time) makes the delivery wait until then; 5xx are transient.
"""

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from pregon.publishing.channels import words
from pregon.publishing.channels.base import Channel, ChannelError
from pregon.publishing.channels.http import HttpClient, generic_error, json_or_empty
from pregon.publishing.channels.youtube.conf import conf

NAME = "YouTube"
PACIFIC = ZoneInfo("America/Los_Angeles")
# Reasons Google gives with a 403 or 400 that mean «wait», not «refused».
DAILY_QUOTA = {"quotaExceeded", "dailyLimitExceeded", "uploadLimitExceeded"}
SHORT_LIMITS = {"rateLimitExceeded", "userRateLimitExceeded", "concurrentLimitExceeded"}
RECONNECT = {"insufficientPermissions", "authError"}  # a permission missing: connect again
SHORT_WAIT = 60.0


def until_pacific_midnight(now: datetime | None = None) -> float:
    """Seconds until YouTube's quota day starts again (midnight in California)."""
    now = (now or datetime.now(UTC)).astimezone(PACIFIC)
    tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), PACIFIC)
    return max((tomorrow - now).total_seconds(), 1.0) + 60.0  # a minute of margin


def reasons(body: dict) -> list[str]:
    error = body.get("error")
    if not isinstance(error, dict):
        return []
    return [str(item.get("reason", "")) for item in error.get("errors") or [] if item]


def message_of(body: dict, response: httpx.Response) -> str:
    error = body.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or response.reason_phrase)
    return str(body.get("error_description") or error or response.reason_phrase)


class YouTubeApi(Channel):
    kind = "youtube"

    # Clients -------------------------------------------------------------------
    def _client(self, name: str, base: str) -> HttpClient:
        if not hasattr(self, name):
            hook = lambda attempt: self.on_attempt and self.on_attempt(attempt)  # noqa: E731
            setattr(self, name, HttpClient(base, on_attempt=hook))
        return getattr(self, name)

    @property
    def http(self) -> HttpClient:
        return self._client("_http", self.account.base_url or conf.PREGON_YOUTUBE_API_URL)

    @property
    def analytics_http(self) -> HttpClient:
        return self._client("_analytics_http", conf.PREGON_YOUTUBE_ANALYTICS_URL)

    # Calls -----------------------------------------------------------------------
    def _call(
        self, method: str, path: str, *, client: HttpClient | None = None, **kwargs
    ) -> httpx.Response:
        client = client or self.http
        if self._expired():
            self._refresh_once(self._auth())
        headers = {**kwargs.pop("headers", {}), **self._auth()}
        response = client.request(method, path, headers=headers, **kwargs)
        if response.status_code == 401 and self.account.credentials.get("refresh_token"):
            self._refresh_once(self._auth())  # a 401 changed nothing: repeating is safe
            headers.update(self._auth())
            response = client.request(method, path, headers=headers, **kwargs)
        return response

    def _get(self, path: str, what: str, **params) -> dict:
        return self._checked(self._call("GET", path, params=params), what)

    def _checked(self, response: httpx.Response, what: str) -> dict:
        if response.status_code < 400:
            return json_or_empty(response)
        raise self._error(response, what)

    def _error(self, response: httpx.Response, what: str) -> ChannelError:
        body = json_or_empty(response)
        why = reasons(body)
        detail = f"{what}: {', '.join(why) or response.status_code} {message_of(body, response)}"
        common: dict[str, Any] = {"status": response.status_code, "response_text": response.text}
        if response.status_code == 401 or set(why) & RECONNECT:
            return ChannelError(words.reconnect(NAME, detail), reconnect=True, **common)
        if set(why) & DAILY_QUOTA:
            return ChannelError(
                words.rate_limited(
                    NAME,
                    f"{detail}. La cuota diaria del proyecto de Google se renueva a "
                    "medianoche hora del Pacífico",
                ),
                rate_limited=True,
                retry_after=until_pacific_midnight(),
                **common,
            )
        if response.status_code == 429 or set(why) & SHORT_LIMITS:
            return ChannelError(
                words.rate_limited(NAME, detail),
                rate_limited=True,
                retry_after=_retry_after(response),
                **common,
            )
        return generic_error(response, NAME, detail)

    # Tokens ------------------------------------------------------------------------
    def _auth(self) -> dict:
        token = self.account.credentials.get("access_token", "")
        if not token:
            raise ChannelError(
                words.reconnect(NAME, "la cuenta no tiene token de acceso"), reconnect=True
            )
        return {"Authorization": f"Bearer {token}"}

    def _expired(self) -> bool:
        """The stored token's end has passed (a minute early): refresh before calling."""
        expires = self.account.credentials.get("expires_at")
        if not expires or not self.account.credentials.get("refresh_token"):
            return False
        try:
            moment = datetime.fromisoformat(str(expires))
        except ValueError:
            return False
        return moment <= datetime.now(UTC) + timedelta(minutes=1)

    def _refresh_once(self, refused: dict) -> None:
        """Of several senders holding the same dead token, one refreshes while holding
        the account's lock and stores the new token before releasing it; the others
        find a newer token stored and use it."""
        guard = self.credentials_guard or contextlib.nullcontext
        with guard() as stored:
            if stored:
                newer = stored.get("access_token") and (
                    {"Authorization": f"Bearer {stored['access_token']}"} != refused
                )
                self.account.credentials = {**self.account.credentials, **stored}
                if newer and not self._expired():
                    return
            self._refresh()

    def _refresh(self) -> None:
        credentials = self.account.credentials
        form = {
            "grant_type": "refresh_token",
            "refresh_token": credentials.get("refresh_token", ""),
            "client_id": credentials.get("client_id") or conf.PREGON_YOUTUBE_CLIENT_ID,
            "client_secret": credentials.get("client_secret") or conf.PREGON_YOUTUBE_CLIENT_SECRET,
        }
        try:
            response = self.http.request(
                "POST", conf.PREGON_YOUTUBE_TOKEN_URL, data=form, secret=True
            )
        except ChannelError as exc:
            # Nothing was sent yet: a lost token answer is not an uncertain post.
            raise ChannelError(words.nothing_sent(NAME, exc, "al renovar el token")) from exc
        body = json_or_empty(response)
        if response.status_code >= 500:
            raise ChannelError(words.transient(NAME, "renovación del token"))
        if response.status_code != 200 or "access_token" not in body:
            detail = f"renovación del token: {body.get('error_description') or body.get('error')}"
            raise ChannelError(
                words.reconnect(NAME, detail), reconnect=True, status=response.status_code
            )
        new = {**credentials, "access_token": body["access_token"]}
        if body.get("refresh_token"):  # Google may rotate it: the old one then stops working
            new["refresh_token"] = body["refresh_token"]
        expires = datetime.now(UTC) + timedelta(seconds=int(body.get("expires_in", 3599)))
        new["expires_at"] = expires.isoformat()
        self.account.credentials = new
        if self.on_credentials_changed:
            self.on_credentials_changed(dict(new))

    # The channel ----------------------------------------------------------------------
    def _channel(self, part: str) -> dict:
        params = {"part": part}
        if self.account.external_id:
            params["id"] = self.account.external_id
        else:
            params["mine"] = "true"
        items = self._get("/youtube/v3/channels", "Canal", **params).get("items") or []
        if not items:
            raise ChannelError(
                f"{NAME}: la cuenta conectada ya no tiene el canal {self.account.external_id}; "
                "vuelva a conectarla en Publicaciones › Canales.",
                reconnect=True,
            )
        return items[0]

    def test_connection(self) -> str:
        channel = self._channel("snippet")
        return f"YouTube · {channel['snippet'].get('title', '')} ({channel['id']})"


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(float(response.headers.get("retry-after", "")), 1.0)
    except ValueError:
        return SHORT_WAIT
