"""What Facebook Pages and Instagram share: Meta's Graph API and its error codes.

Errors come as {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}};
the code, not the HTTP status, says what happened. Usage headers say when to retry:
X-Business-Use-Case-Usage (page and Instagram tokens) carries
estimated_time_to_regain_access in minutes; X-App-Usage a percentage of a rolling hour.
"""

import json

import httpx
from django.conf import settings

from pregon.publishing.channels import words
from pregon.publishing.channels.base import Channel, ChannelError
from pregon.publishing.channels.http import HttpClient, json_or_empty

RECONNECT_CODES = {102, 190}  # session / access token invalid or expired
RATE_LIMIT_CODES = {4, 17, 32, 613} | set(range(80001, 80015))
TRANSIENT_CODES = {1, 2}  # "unknown" and "service" errors Meta says to retry
DUPLICATE_CODE = 506
DEFAULT_RETRY_AFTER = 300.0
ROLLING_WINDOW = 3600.0


def retry_after(headers: httpx.Headers) -> float:
    """Seconds until Meta lets us call again, from its usage headers."""
    minutes = _buc_minutes(headers.get("x-business-use-case-usage", ""))
    if minutes:
        return minutes * 60.0
    usage = _loads(headers.get("x-app-usage", ""))
    if isinstance(usage, dict) and max(_numbers(usage.values()), default=0) >= 100:
        return ROLLING_WINDOW  # no estimate: the app's window is a rolling hour
    return DEFAULT_RETRY_AFTER


def _loads(raw: str) -> object:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def _numbers(values) -> list[float]:
    return [float(v) for v in values if isinstance(v, int | float)]


def _buc_minutes(raw: str) -> float:
    usage = _loads(raw)
    if not isinstance(usage, dict):
        return 0.0
    entries = [e for group in usage.values() if isinstance(group, list) for e in group]
    return max(
        _numbers(e.get("estimated_time_to_regain_access") for e in entries if isinstance(e, dict)),
        default=0.0,
    )


def next_cursor(answer: dict) -> str:
    """The cursor of the next page, or "" on the last one (Graph omits `next`)."""
    paging = answer.get("paging") or {}
    if not paging.get("next") or not answer.get("data"):
        return ""
    return (paging.get("cursors") or {}).get("after", "")


def error_code(response: httpx.Response) -> int | None:
    error = json_or_empty(response).get("error")
    return error.get("code") if isinstance(error, dict) else None


def graph_error(response: httpx.Response, network: str) -> ChannelError:
    """Turn a Graph error answer into our one error type (keeping Meta's code)."""
    error = json_or_empty(response).get("error") or {}
    mapped = _mapped(response, error, network)
    mapped.graph_code = error.get("code")
    return mapped


def _mapped(response: httpx.Response, error: dict, network: str) -> ChannelError:
    code = error.get("code")
    detail = f"código {code}: {error.get('message') or response.reason_phrase}"
    common = {"status": response.status_code, "response_text": response.text}
    if code in RECONNECT_CODES:
        return ChannelError(words.reconnect(network, detail), reconnect=True, **common)
    if code in RATE_LIMIT_CODES or response.status_code == 429:
        wait = retry_after(response.headers)
        return ChannelError(
            words.rate_limited(network, detail), rate_limited=True, retry_after=wait, **common
        )
    transient = code in TRANSIENT_CODES or error.get("is_transient") or response.status_code >= 500
    if transient:
        return ChannelError(words.transient(network, detail), **common)
    hint = words.GRAPH_HINTS.get(code, "")
    return ChannelError(words.refused(network, detail, hint), permanent=True, **common)


class GraphChannel(Channel):
    network = "Graph API"

    @property
    def http(self) -> HttpClient:
        if not hasattr(self, "_http"):
            base = self.account.base_url or settings.PREGON_GRAPH_API_URL
            self._http = HttpClient(base, on_attempt=self._attempt)
        return self._http

    def _attempt(self, attempt) -> None:
        if self.on_attempt:
            self.on_attempt(attempt)

    def _token(self) -> str:
        token = self.account.credentials.get("access_token", "")
        if not token:
            raise ChannelError(
                f"{self.network}: la cuenta no tiene token de acceso.", reconnect=True
            )
        return token

    def call(self, method: str, path: str, files: dict | None = None, **params) -> dict:
        """One Graph call; the answer's JSON, or the error mapped."""
        params["access_token"] = self._token()
        if method == "GET":
            response = self.http.request("GET", path, params=params)
        else:
            response = self.http.request(method, path, data=params, files=files)
        if response.status_code >= 400 or "error" in json_or_empty(response):
            raise graph_error(response, self.network)
        return json_or_empty(response)
