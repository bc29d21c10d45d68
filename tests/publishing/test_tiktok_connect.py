"""«Conectar con TikTok»: Coordinación chooses direct or inbox posting, TikTok's Login
Kit (fake, on 127.0.0.1) checks the client key, state and PKCE challenge, and the
account is stored with its rotating refresh token — nobody types a token."""

import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from pregon.publishing.models import ChannelAccount, ChannelState
from tests.publishing.fakes.tiktok import TikTokFake
from tests.publishing.test_connect import back_to_pregon, consent

START = "/publicaciones/canales/conectar/tiktok/"


@pytest.fixture
def ttlogin(settings):
    with TikTokFake("tt-key", "tt-s3cret") as fake:
        settings.PREGON_TIKTOK_CLIENT_KEY = "tt-key"
        settings.PREGON_TIKTOK_CLIENT_SECRET = "tt-s3cret"
        settings.PREGON_TIKTOK_API_URL = fake.url
        settings.PREGON_TIKTOK_OAUTH_URL = f"{fake.url}/v2/auth/authorize/"
        fake.add_user("open-1", "gobchapultepec", access_token="seed", refresh_token="seed-r")
        fake.login_as("open-1")
        yield fake


def test_setup_page_names_tiktok_its_scopes_and_return_address(client, mariana, settings):
    settings.PREGON_TIKTOK_CLIENT_KEY = settings.PREGON_TIKTOK_CLIENT_SECRET = ""
    settings.PREGON_PUBLIC_URL = "https://comunicacion.chapultepec.gob.mx"
    client.force_login(mariana)
    page = client.get("/publicaciones/canales/configuracion/").content.decode()
    assert (
        "https://comunicacion.chapultepec.gob.mx/publicaciones/canales/conectar/tiktok/volver/"
        in page
    )
    assert "la clave de cliente (Client key) de la app de TikTok" in page
    for scope in (
        "user.info.basic",
        "user.info.stats",
        "video.publish",
        "video.upload",
        "video.list",
    ):
        assert scope in page
    started = client.get(START, follow=True).content.decode()
    assert "Para conectar TikTok falta" in started and "PREGON_" not in started


def test_only_coordinacion_may_connect_tiktok(client, jorge, ttlogin):
    client.force_login(jorge)
    assert client.get(START).status_code == 403
    assert client.get(f"{START}?modo=directo").status_code == 403


def test_connect_in_inbox_mode_stores_the_account_and_its_tokens(client, mariana, ttlogin):
    client.force_login(mariana)
    choose = client.get(START)
    assert choose.status_code == 200
    page = choose.content.decode()
    assert "En la bandeja de la cuenta" in page and "video.list" in page
    start = client.get(START, {"modo": "bandeja"})
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["client_key"] == ["tt-key"] and query["code_challenge_method"] == ["S256"]
    assert query["scope"][0].split(",")[0] == "user.info.basic"
    verifier = client.session["connect:tiktok"]["verifier"]
    assert query["code_challenge"] == [hashlib.sha256(verifier.encode()).hexdigest()]

    done = back_to_pregon(client, consent(start["Location"]))
    assert done.status_code == 302
    account = ChannelAccount.objects.get(kind="tiktok")
    assert account.external_id == "open-1" and account.handle == "@gobchapultepec"
    assert account.name == "TikTok @gobchapultepec"
    stored = json.loads(account.credentials)
    assert stored["inbox_only"] is True and stored["username"] == "gobchapultepec"
    assert stored["refresh_token"] in ttlogin.refresh_tokens
    assert stored["access_token"] in ttlogin.access_tokens
    assert "Los envíos quedarán en la bandeja de TikTok" in str(
        list(client.get("/publicaciones/canales/").context["messages"])
    )


def test_a_declined_scope_is_named_and_nothing_is_stored(client, mariana, ttlogin):
    client.force_login(mariana)
    ttlogin.declined_scopes = {"video.list"}
    location = consent(client.get(START, {"modo": "directo"})["Location"])
    refused = back_to_pregon(client, location)
    assert refused.status_code == 302 and not ChannelAccount.objects.exists()
    page = client.get("/publicaciones/canales/").content.decode()
    assert "TikTok no concedió todos los permisos necesarios (video.list)" in page


def test_forged_state_is_refused_and_reconnecting_reactivates(client, mariana, ttlogin):
    account = ChannelAccount.objects.create(
        name="TikTok @gobchapultepec",
        kind="tiktok",
        external_id="open-1",
        state=ChannelState.RECONNECT,
        credentials=json.dumps({"access_token": "dead", "refresh_token": "dead"}),
    )
    client.force_login(mariana)
    location = consent(client.get(START, {"modo": "directo"})["Location"])
    back_to_pregon(client, location.replace("state=", "state=x"))
    account.refresh_from_db()
    assert account.state == ChannelState.RECONNECT
    back_to_pregon(client, consent(client.get(START, {"modo": "directo"})["Location"]))
    account.refresh_from_db()
    assert account.state == ChannelState.ACTIVE and ChannelAccount.objects.count() == 1
    stored = json.loads(account.credentials)
    assert stored["access_token"] != "dead" and stored["inbox_only"] is False
