"""«Conectar con YouTube»: Google's screen (a fake on 127.0.0.1 that checks the state,
PKCE, the one-use code, access_type=offline and the client's secret), the channel
read with channels.list?mine=true, and a video published through the account it
connected — with a refresh of its token on the way."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregon.publishing import engine, services
from pregon.publishing.models import ChannelAccount, ChannelState, Delivery, DeliveryStatus
from tests.publishing.conftest import make_clip
from tests.publishing.fakes.youtube import YouTubeFake
from tests.publishing.test_connect import back_to_pregon, consent

SRT = b"1\n00:00:00,000 --> 00:00:02,000\nBienvenidos al cabildo.\n"


@pytest.fixture
def google(settings):
    with YouTubeFake(client_id="yt-client", client_secret="yt-s3cret") as fake:
        settings.PREGON_YOUTUBE_CLIENT_ID = "yt-client"
        settings.PREGON_YOUTUBE_CLIENT_SECRET = "yt-s3cret"
        settings.PREGON_YOUTUBE_OAUTH_URL = f"{fake.url}/o/oauth2/v2/auth"
        settings.PREGON_YOUTUBE_TOKEN_URL = f"{fake.url}/token"
        settings.PREGON_YOUTUBE_API_URL = fake.url
        settings.PREGON_YOUTUBE_ANALYTICS_URL = fake.url
        fake.add_channel("UCmuni", "Gobierno de Chapultepec")
        fake.login_as("UCmuni")
        yield fake


def _start(client):
    start = client.get("/publicaciones/canales/conectar/youtube/")
    assert start.status_code == 302
    return start["Location"]


def test_setup_page_lists_youtube_with_its_address_and_permissions(client, mariana, settings):
    settings.PREGON_YOUTUBE_CLIENT_ID = settings.PREGON_YOUTUBE_CLIENT_SECRET = ""
    settings.PREGON_PUBLIC_URL = "https://comunicacion.chapultepec.gob.mx"
    client.force_login(mariana)
    page = client.get("/publicaciones/canales/configuracion/").content.decode()
    assert (
        "https://comunicacion.chapultepec.gob.mx/publicaciones/canales/conectar/youtube/volver/"
        in page
    )
    assert "el ID de cliente OAuth de Google" in page and "youtube.force-ssl" in page
    assert "yt-analytics.readonly" in page and "PREGON_" not in page
    started = client.get("/publicaciones/canales/conectar/youtube/", follow=True)
    assert "Para conectar YouTube falta" in started.content.decode()


def test_only_coordinacion_may_connect_youtube(client, jorge, google):
    client.force_login(jorge)
    assert client.get("/publicaciones/canales/conectar/youtube/").status_code == 403
    assert client.get("/publicaciones/canales/conectar/youtube/volver/").status_code == 403


def test_connect_then_publish_a_video_with_a_refreshed_token(
    client, mariana, jorge, google, tmp_path
):
    from pregon.archive.services import asset_ingest, asset_set_captions

    client.force_login(mariana)
    location = _start(client)
    query = parse_qs(urlsplit(location).query)
    assert query["access_type"] == ["offline"] and query["prompt"] == ["consent"]
    assert query["code_challenge_method"] == ["S256"] and query["state"]
    done = back_to_pregon(client, consent(location))
    assert done.status_code == 302
    account = ChannelAccount.objects.get(kind="youtube")
    assert account.external_id == "UCmuni" and account.name == "YouTube · Gobierno de Chapultepec"
    assert account.handle == "@gobiernodechapultepe"
    credentials = json.loads(account.credentials)
    assert credentials["refresh_token"] in google.refresh_tokens
    assert "client_secret" not in credentials  # read from the settings

    google.expire_access_token(credentials["access_token"])
    path = make_clip(tmp_path / "cabildo.mp4")
    asset = asset_ingest(file_path_or_uploaded_file=path, original_name="cabildo.mp4")
    asset_set_captions(asset=asset, upload=SimpleUploadedFile("c.srt", SRT), user=jorge)
    publication = services.publication_create(
        author=jorge, title="Bienvenida", text="Bienvenidos al cabildo abierto"
    )
    media = services.media_attach_asset(publication=publication, asset=asset, user=jorge)
    services.variants_set(
        publication=publication,
        user=jorge,
        variants={account.pk: {"text": "", "media": [media.pk]}},
    )
    services.publication_submit(publication=publication, user=jorge)
    services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(
        publication=publication, user=mariana, when=timezone.now() - timedelta(seconds=1)
    )
    for _ in range(3):
        Delivery.objects.update(scheduled_at=timezone.now())
        engine.publish_due()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PUBLICADA, delivery.last_error
    assert len(google.uploaded("UCmuni")) == 1
    stored = json.loads(ChannelAccount.objects.get(pk=account.pk).credentials)
    assert stored["refresh_token"] != credentials["refresh_token"]
    assert stored["refresh_token"] in google.refresh_tokens  # Google's rotation kept


def test_a_declined_permission_is_named_and_nothing_is_added(client, mariana, google):
    client.force_login(mariana)
    google.declined_scopes = {"https://www.googleapis.com/auth/yt-analytics.readonly"}
    answer = back_to_pregon(client, consent(_start(client)))
    page = client.get(answer["Location"]).content.decode()
    assert "Google no concedió todos los permisos necesarios (yt-analytics.readonly)" in page
    assert not ChannelAccount.objects.exists()
    cancelled = back_to_pregon(client, consent(_start(client), allow=False))
    assert cancelled.status_code == 302 and not ChannelAccount.objects.exists()


def test_a_google_account_without_a_channel_is_told_what_to_do(client, mariana, google):
    google.login_as("UCnone")  # no channel behind this Google account
    client.force_login(mariana)
    answer = back_to_pregon(client, consent(_start(client)))
    page = client.get(answer["Location"]).content.decode()
    assert "La cuenta de Google elegida no tiene canal de YouTube" in page
    assert not ChannelAccount.objects.exists()


def test_reconnecting_releases_the_account(client, mariana, google):
    account = ChannelAccount.objects.create(
        name="YouTube · Gobierno de Chapultepec",
        kind="youtube",
        external_id="UCmuni",
        state=ChannelState.RECONNECT,
        credentials=json.dumps({"access_token": "dead", "refresh_token": "dead"}),
    )
    client.force_login(mariana)
    back_to_pregon(client, consent(_start(client)))
    account.refresh_from_db()
    assert account.state == ChannelState.ACTIVE and ChannelAccount.objects.count() == 1
    assert json.loads(account.credentials)["access_token"] != "dead"
