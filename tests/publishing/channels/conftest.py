"""Fake networks started per test, a real JPEG on disk, and an attempt recorder."""

from pathlib import Path

import pytest
from PIL import Image

from pregon.publishing.channels.base import AccountConfig, HttpAttempt, OutgoingMedia
from tests.publishing.conftest import make_clip
from tests.publishing.fakes import GraphFake, WordPressFake, XFake

WP_PASSWORD = "abcd EFGH 1234 ijkl MNOP 5678"


@pytest.fixture(autouse=True)
def _patient_timeout(settings):
    # The fakes answer in milliseconds, but a busy CI box can stall a thread for a
    # second: a timeout here would turn a sure answer into an uncertain one.
    settings.PREGON_CHANNEL_TIMEOUT = 10


@pytest.fixture
def short_timeout(settings):
    """For the slow-answer tests: the fake's 1.5 s delay is well past this."""
    settings.PREGON_CHANNEL_TIMEOUT = 0.5


@pytest.fixture
def graph():
    with GraphFake() as fake:
        fake.add_page("111", "Gobierno de Chapultepec", token="page-token")
        fake.add_instagram("178", "chapultepec.gob", token="ig-token")
        yield fake


@pytest.fixture
def xfake():
    with XFake() as fake:
        fake.add_user("42", "gobchapultepec", access_token="at-1", refresh_token="rt-1")
        yield fake


@pytest.fixture
def wp():
    with WordPressFake() as fake:
        fake.add_user("comunicacion", WP_PASSWORD)
        yield fake


@pytest.fixture
def facebook_account(graph) -> AccountConfig:
    return AccountConfig("facebook_page", "111", graph.url, {"access_token": "page-token"})


@pytest.fixture
def instagram_account(graph) -> AccountConfig:
    return AccountConfig("instagram", "178", graph.url, {"access_token": "ig-token"})


@pytest.fixture
def x_account(xfake) -> AccountConfig:
    credentials = {"access_token": "at-1", "refresh_token": "rt-1", "client_id": "pregon-app"}
    return AccountConfig("x", "42", xfake.url, credentials)


@pytest.fixture
def wp_account(wp) -> AccountConfig:
    credentials = {"username": "comunicacion", "application_password": WP_PASSWORD}
    return AccountConfig("wordpress", "", wp.url, credentials)


@pytest.fixture
def jpeg(tmp_path) -> Path:
    path = tmp_path / "feria.jpg"
    Image.new("RGB", (1080, 1080), (200, 30, 60)).save(path, "JPEG")
    return path


@pytest.fixture
def photo(jpeg) -> OutgoingMedia:
    return OutgoingMedia(
        jpeg, "image/jpeg", "Niñas en la feria de salud", "https://pregon.example/m/1"
    )


@pytest.fixture
def attempts() -> list[HttpAttempt]:
    return []


SRT = "1\n00:00:00,000 --> 00:00:01,500\nSe abre la sesión de cabildo.\n"
VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nSe abre la sesión de cabildo.\n"


@pytest.fixture
def clip(tmp_path) -> OutgoingMedia:
    """A video with Spanish subtitles, as the engine hands it to a connector."""
    srt, vtt = tmp_path / "sub.es_LA.srt", tmp_path / "sub.es.vtt"
    srt.write_text(SRT, encoding="utf-8")
    vtt.write_text(VTT, encoding="utf-8")
    return OutgoingMedia(
        make_clip(tmp_path / "cabildo.mp4"),
        "video/mp4",
        "",
        "https://pregon.example/m/9",
        captions_vtt=vtt,
        captions_srt=srt,
    )
