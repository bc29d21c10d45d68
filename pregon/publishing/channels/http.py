"""The one HTTP helper every connector uses: timeouts, safe retries, attempt records.

Retrying is only safe when the request certainly did not reach the network, or when
it changes nothing there (GET). A POST whose answer was lost may have published: it
raises ChannelError(uncertain=True) and the engine settles it with find_existing.
"""

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from django.conf import settings

from pregon.publishing.channels import words
from pregon.publishing.channels.base import ChannelError, HttpAttempt

RETRY_DELAYS = (0.2, 0.6)  # seconds before the second and third try of a safe request
CONNECT_TIMEOUT = 5.0
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
MASKED = "[oculto: contiene credenciales]"

# httpx logs every URL at INFO, and Graph API tokens travel in the query string of GETs:
# keep them out of the logs. Our own record (HttpAttempt) drops the query string.
logging.getLogger("httpx").setLevel(logging.WARNING)


def _timeout() -> httpx.Timeout:
    seconds = float(settings.PREGON_CHANNEL_TIMEOUT)
    return httpx.Timeout(seconds, connect=min(CONNECT_TIMEOUT, seconds))


class HttpClient:
    def __init__(
        self,
        base_url: str,
        *,
        on_attempt: Callable[[HttpAttempt], None] | None = None,
        headers: dict | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.on_attempt = on_attempt
        self.client = httpx.Client(timeout=_timeout(), headers=headers or {})

    def close(self) -> None:
        self.client.close()

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"

    def request(self, method: str, path: str, *, secret: bool = False, **kwargs) -> httpx.Response:
        """Send, retrying only what is safe; any HTTP status is returned to the caller.

        secret=True keeps the response body out of the attempt log (token endpoints).
        """
        safe = method.upper() in ("GET", "HEAD")
        for delay in (*RETRY_DELAYS, None):
            try:
                response = self._send(method, path, secret, kwargs)
            except NOT_SENT as exc:
                error = ChannelError(f"No se pudo conectar con {self.base_url}: {exc}")
            except httpx.TransportError as exc:
                if not safe:
                    raise ChannelError(_uncertain_message(exc), uncertain=True) from exc
                error = ChannelError(f"Sin respuesta de {self.base_url}: {exc}")
            else:
                if not (safe and response.status_code >= 500):
                    return response
                error = ChannelError(f"Error {response.status_code} del servidor")
            if delay is None:
                raise error
            time.sleep(delay)
        raise AssertionError("unreachable")

    def _send(self, method: str, path: str, secret: bool, kwargs: dict) -> httpx.Response:
        started, clock = datetime.now(UTC), time.monotonic()
        url = self.url(path)
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            self._record(started, clock, method, url, None, "", f"{type(exc).__name__}: {exc}")
            raise
        text = MASKED if secret else response.text
        self._record(started, clock, method, url, response.status_code, text, "")
        return response

    def _record(
        self,
        started: datetime,
        clock: float,
        method: str,
        url: str,
        status: int | None,
        text: str,
        error: str,
    ) -> None:
        if self.on_attempt is None:
            return
        self.on_attempt(
            HttpAttempt(
                started_at=started,
                method=method.upper(),
                url=url.split("?", 1)[0],
                status=status,
                duration_ms=round((time.monotonic() - clock) * 1000),
                response_text=text[:2000],
                error=error[:2000],
            )
        )


def _uncertain_message(exc: Exception) -> str:
    return (
        "La red no respondió a tiempo después de recibir la solicitud; "
        f"no se sabe si publicó ({type(exc).__name__})."
    )


def json_or_empty(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {"data": body}


def generic_error(response: httpx.Response, network: str, detail: str) -> ChannelError:
    """4xx are permanent unless a connector said otherwise; 5xx are transient."""
    detail = f"HTTP {response.status_code}: {detail}"
    common = {"status": response.status_code, "response_text": response.text}
    if response.status_code >= 500:
        return ChannelError(words.transient(network, detail), **common)
    return ChannelError(words.refused(network, detail), permanent=True, **common)
