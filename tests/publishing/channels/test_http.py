"""The one HTTP helper: which failures are retried, and what each attempt records."""

import socket

import pytest

from pregon.publishing.channels.base import ChannelError
from pregon.publishing.channels.http import MASKED, HttpClient
from tests.publishing.fakes import Answer, FakeServer


class Echo(FakeServer):
    def route(self, request):
        return Answer(200, {"ok": True, "long": "x" * 5000})


@pytest.fixture
def echo():
    with Echo() as fake:
        yield fake


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_is_transient_after_retries():
    attempts = []
    client = HttpClient(f"http://127.0.0.1:{closed_port()}", on_attempt=attempts.append)
    with pytest.raises(ChannelError) as caught:
        client.request("POST", "/publicar", json={})
    # Nothing was sent: even a POST may be tried again.
    assert not (caught.value.uncertain or caught.value.permanent)
    assert len(attempts) == 3 and all(a.status is None and a.error for a in attempts)


def test_post_without_answer_is_uncertain_and_not_retried(echo, short_timeout):
    echo.slow(1.5)
    attempts = []
    with pytest.raises(ChannelError) as caught:
        HttpClient(echo.url, on_attempt=attempts.append).request("POST", "/publicar")
    assert caught.value.uncertain
    assert len(echo.requests) == 1 and "ReadTimeout" in attempts[0].error


def test_get_without_answer_is_retried(echo, short_timeout):
    echo.slow(1.5)
    response = HttpClient(echo.url).request("GET", "/leer")
    assert response.status_code == 200 and len(echo.requests) == 2


def test_server_errors_on_post_are_returned_not_retried(echo):
    echo.fail(502, {"error": "bad gateway"})
    assert HttpClient(echo.url).request("POST", "/publicar").status_code == 502
    assert len(echo.requests) == 1


def test_attempt_record_drops_query_trims_and_masks(echo):
    attempts = []
    client = HttpClient(echo.url, on_attempt=attempts.append)
    client.request("GET", "/leer", params={"access_token": "secreto"})
    client.request("POST", "/token", secret=True)
    read, token = attempts
    assert read.url == f"{echo.url}/leer" and read.status == 200 and read.method == "GET"
    assert len(read.response_text) == 2000 and read.duration_ms >= 0
    assert token.response_text == MASKED
