"""The fake networks' authorisation servers stay as strict as the real ones, now that
they share one (fakes/authorization.py): a code works once, for its redirect URI and
with its verifier; a refresh token works once; a cancelled consent hands out nothing.
Pregón's connect tests pass only against fakes that refuse what the networks refuse."""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.publishing.fakes.authorization import hex256, s256
from tests.publishing.fakes.oauth import MetaLoginFake, XLoginFake
from tests.publishing.fakes.server import FakeServer
from tests.publishing.fakes.threads import ThreadsFake
from tests.publishing.fakes.tiktok import TikTokFake
from tests.publishing.fakes.youtube import YouTubeFake
from tests.publishing.test_connect import consent

BACK = "https://pregon.test/publicaciones/canales/conectar/red/volver/"
VERIFIER = "v" * 64


def _meta() -> FakeServer:
    fake = MetaLoginFake("app-1", "s3cret")
    fake.add_login_user("u-1", [])
    return fake


def _x() -> FakeServer:
    fake = XLoginFake("x-client")
    fake.login_as("42", "gobchapultepec")
    return fake


def _tiktok() -> FakeServer:
    fake = TikTokFake("tt-key", "tt-s3c")
    fake.add_user("open-1", "gobchapultepec", access_token="at-0", refresh_token="rt-0")
    fake.login_as("open-1")
    return fake


def _youtube() -> FakeServer:
    fake = YouTubeFake("yt-client", "yt-s3cret")
    fake.add_channel("UC1", "Gobierno de Chapultepec")
    fake.login_as("UC1")
    return fake


def _threads() -> FakeServer:
    fake = ThreadsFake("th-app", "th-s3cret")
    fake.login_as("9002", "gobiernochapultepec")
    return fake


@dataclass
class Network:
    make: Callable[[], FakeServer]
    authorize: str  # paths on the fake
    token: str
    query: dict  # the authorisation request's own parameters (client, scopes, extras)
    client: dict  # how the token endpoint knows the app
    challenge: Callable[[str], str] | None = s256  # None: the network takes no PKCE
    exchange: dict = field(default_factory=lambda: {"grant_type": "authorization_code"})
    refreshes: bool = True  # single-use refresh tokens


NETWORKS = {
    "meta": Network(
        _meta,
        "/dialog/oauth",
        "/oauth/access_token",
        {"client_id": "app-1", "scope": "pages_show_list,pages_manage_posts"},
        {"client_id": "app-1", "client_secret": "s3cret"},
        exchange={},
        refreshes=False,
    ),
    "x": Network(
        _x,
        "/i/oauth2/authorize",
        "/2/oauth2/token",
        {"client_id": "x-client", "scope": "tweet.write offline.access"},
        {"client_id": "x-client"},
    ),
    "tiktok": Network(
        _tiktok,
        "/v2/auth/authorize/",
        "/v2/oauth/token/",
        {"client_key": "tt-key", "scope": "user.info.basic,video.publish"},
        {"client_key": "tt-key", "client_secret": "tt-s3c"},
        challenge=hex256,
    ),
    "youtube": Network(
        _youtube,
        "/o/oauth2/v2/auth",
        "/token",
        {
            "client_id": "yt-client",
            "scope": "youtube.force-ssl youtube.readonly",
            "access_type": "offline",
            "prompt": "consent",
        },
        {"client_id": "yt-client", "client_secret": "yt-s3cret"},
    ),
    "threads": Network(
        _threads,
        "/oauth/authorize",
        "/oauth/access_token",
        {"client_id": "th-app", "scope": "threads_basic,threads_content_publish"},
        {"client_id": "th-app", "client_secret": "th-s3cret"},
        challenge=None,
        refreshes=False,  # Threads renews a long-lived token instead (test_threads_faults)
    ),
}


@pytest.fixture(params=NETWORKS)
def network(request):
    spec = NETWORKS[request.param]
    with spec.make() as fake:
        yield spec, fake


def _back(spec: Network, fake: FakeServer, allow: bool = True) -> dict[str, str]:
    """Through the consent page: what the network sends back to Pregón."""
    query = {**spec.query, "response_type": "code", "redirect_uri": BACK, "state": "st-1"}
    if spec.challenge:
        query |= {"code_challenge": spec.challenge(VERIFIER), "code_challenge_method": "S256"}
    location = consent(f"{fake.url}{spec.authorize}?{urlencode(query)}", allow=allow)
    assert location.startswith(BACK)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _exchange(spec, fake, code: str, verifier: str = VERIFIER, back: str = BACK) -> httpx.Response:
    form = {**spec.client, **spec.exchange, "code": code, "redirect_uri": back}
    if spec.challenge:
        form["code_verifier"] = verifier
    return httpx.post(f"{fake.url}{spec.token}", data=form)


def test_a_code_works_once_for_its_redirect_uri_and_verifier(network):
    spec, fake = network
    code = _back(spec, fake)["code"]
    assert _exchange(spec, fake, code, back=BACK + "otra/").status_code >= 400
    assert _exchange(spec, fake, code).status_code >= 400  # refused once: gone
    if spec.challenge:
        code = _back(spec, fake)["code"]
        assert _exchange(spec, fake, code, verifier="w" * 64).status_code >= 400
        assert _exchange(spec, fake, code).status_code >= 400
    code = _back(spec, fake)["code"]
    first = _exchange(spec, fake, code)
    assert first.status_code == 200 and first.json()["access_token"]
    assert _exchange(spec, fake, code).status_code >= 400


def test_a_cancelled_consent_hands_out_no_code(network):
    spec, fake = network
    back = _back(spec, fake, allow=False)
    assert back["error"] == "access_denied" and back["state"] == "st-1" and "code" not in back


@pytest.mark.parametrize("name", [name for name, spec in NETWORKS.items() if spec.refreshes])
def test_a_refresh_token_works_once(name):
    spec = NETWORKS[name]
    with spec.make() as fake:
        tokens = _exchange(spec, fake, _back(spec, fake)["code"]).json()

        def refresh(token: str) -> httpx.Response:
            form = {**spec.client, "grant_type": "refresh_token", "refresh_token": token}
            return httpx.post(f"{fake.url}{spec.token}", data=form)

        renewed = refresh(tokens["refresh_token"])
        assert renewed.status_code == 200
        assert renewed.json()["refresh_token"] != tokens["refresh_token"]
        assert refresh(tokens["refresh_token"]).status_code >= 400  # used: gone
        assert refresh(renewed.json()["refresh_token"]).status_code == 200
