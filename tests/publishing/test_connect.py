"""«Conectar»: Coordinación connects Facebook Pages, Instagram, X and the portal
through each network's authorisation flow (fake servers on 127.0.0.1 that check the
state, the one-use code, the redirect URI and PKCE), without typing any token, and
then publishes through the accounts it connected."""

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.utils import timezone

from pregon.publishing import engine, services
from pregon.publishing.models import ChannelAccount, ChannelState, Delivery, DeliveryStatus
from tests.publishing.fakes.oauth import MetaLoginFake, WordPressLoginFake, XLoginFake


@pytest.fixture
def meta(settings):
    with MetaLoginFake(app_id="app-123", app_secret="app-s3cret") as graph:
        settings.PREGON_META_APP_ID, settings.PREGON_META_APP_SECRET = "app-123", "app-s3cret"
        settings.PREGON_GRAPH_API_URL = graph.url
        settings.PREGON_META_OAUTH_URL = f"{graph.url}/dialog/oauth"
        pages = [
            ("111", "H. Ayuntamiento de Chapultepec", "page-tok-111", "178", "chapultepec.gob")
        ]
        pages += [(str(200 + i), f"Página {i}", f"page-tok-{i}", "", "") for i in range(3)]
        graph.add_login_user("u-1", pages)
        yield graph


@pytest.fixture
def xlogin(settings):
    with XLoginFake(client_id="x-client", client_secret="x-s3cret") as x:
        settings.PREGON_X_CLIENT_ID, settings.PREGON_X_CLIENT_SECRET = "x-client", "x-s3cret"
        settings.PREGON_X_API_URL = x.url
        settings.PREGON_X_OAUTH_URL = f"{x.url}/i/oauth2/authorize"
        x.login_as("42", "gobchapultepec")
        yield x


def consent(authorize_url: str, allow: bool = True) -> str:
    """What a person does on the network's page: open it, press the button. Returns
    the address the network sends the browser back to."""
    page = httpx.get(authorize_url)
    assert page.status_code == 200, page.text
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    form = {k: v.replace("&amp;", "&") for k, v in form.items()}
    scopes = re.findall(r'name="scope" value="([^"]+)" checked', page.text)
    action = re.search(r"action='([^']+)'", page.text).group(1)
    data = {**form, "scope": scopes, "accion": "permitir" if allow else "cancelar"}
    answer = httpx.post(action, data=data, follow_redirects=False)
    assert answer.status_code == 302
    return answer.headers["location"]


def back_to_pregon(client, location: str):
    parts = urlsplit(location)
    assert parts.path.startswith("/publicaciones/canales/conectar/")
    return client.get(parts.path, parse_qs(parts.query))


def test_setup_page_lists_what_is_missing_and_the_redirect_uris(client, mariana, settings):
    settings.PREGON_META_APP_ID = settings.PREGON_META_APP_SECRET = ""
    settings.PREGON_X_CLIENT_ID = "x-client"
    settings.PREGON_PUBLIC_URL = "https://comunicacion.chapultepec.gob.mx"
    client.force_login(mariana)
    page = client.get("/publicaciones/canales/configuracion/").content.decode()
    assert (
        "https://comunicacion.chapultepec.gob.mx/publicaciones/canales/conectar/meta/volver/"
        in page
    )
    assert "el identificador de la app de Meta" in page and "pages_manage_posts" in page
    assert "PREGON_" not in page  # people read what to do, not variable names
    started = client.get("/publicaciones/canales/conectar/meta/", follow=True)
    assert "Para conectar Facebook e Instagram falta" in started.content.decode()
    assert "PREGON_" not in started.content.decode()


def test_canales_offers_one_button_per_connect_flow(client, mariana, jorge):
    """Every network with a «Conectar» flow has its button (Facebook and Instagram share
    Meta's), each leading to a page that answers; Redacción sees none."""
    client.force_login(mariana)
    page = client.get("/publicaciones/canales/").content.decode()
    for words in (
        "Conectar con Facebook",
        "Conectar con X",
        "Conectar con Threads",
        "Conectar con YouTube",
        "Conectar con TikTok",
        "Conectar el portal",
        "Conectar un canal de Telegram",
    ):
        assert page.count(f">{words}</a>") == 1, words
    assert "Conectar con Instagram" not in page
    for href in re.findall(r'class="button primary" href="([^"]+)"', page):
        assert client.get(href).status_code in (200, 302), href
    client.force_login(jorge)
    assert "Conectar con" not in client.get("/publicaciones/canales/").content.decode()


def test_only_coordinacion_may_connect(client, jorge, meta):
    client.force_login(jorge)
    assert client.get("/publicaciones/canales/conectar/meta/").status_code == 403
    assert client.get("/publicaciones/canales/configuracion/").status_code == 403


def test_connect_facebook_and_instagram_then_publish_to_both(
    client, mariana, jorge, meta, settings, live_server, monkeypatch
):
    from pregon.publishing.channels.instagram import InstagramChannel

    monkeypatch.setattr(InstagramChannel, "poll_interval", 0, raising=False)
    settings.PREGON_PUBLIC_URL = live_server.url
    client.force_login(mariana)
    start = client.get("/publicaciones/canales/conectar/meta/")
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["state"]
    choose = back_to_pregon(client, consent(start["Location"]))
    page = choose.content.decode()
    assert "H. Ayuntamiento de Chapultepec" in page and "@chapultepec.gob" in page
    assert "Página 2" in page  # every page, whatever Graph's paging
    added = client.post(
        "/publicaciones/canales/conectar/meta/agregar/", {"pagina": ["111"], "instagram": ["178"]}
    )
    assert added.status_code == 302
    facebook = ChannelAccount.objects.get(kind="facebook_page", external_id="111")
    instagram = ChannelAccount.objects.get(kind="instagram", external_id="178")
    assert json.loads(facebook.credentials) == {"access_token": "page-tok-111"}
    assert instagram.handle == "@chapultepec.gob" and facebook.state == ChannelState.ACTIVE
    from django.db import connection

    with connection.cursor() as cursor:
        table = ChannelAccount._meta.db_table
        cursor.execute(f"SELECT credentials FROM {table} WHERE id = %s", [facebook.pk])  # noqa: S608
        assert "page-tok-111" not in cursor.fetchone()[0]  # encrypted at rest
    assert ChannelAccount.objects.count() == 2  # the unticked pages were not added
    publication = services.publication_create(
        author=jorge, title="Feria", text="Feria de la salud este sábado", category="salud"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.publishing.conftest import jpeg_bytes

    media = services.media_add(
        publication=publication,
        upload=SimpleUploadedFile("f.jpg", jpeg_bytes()),
        alt_text="Módulos de salud",
        user=jorge,
    )
    services.variants_set(
        publication=publication,
        user=jorge,
        variants={
            facebook.pk: {"text": "", "media": [media.pk]},
            instagram.pk: {"text": "", "media": [media.pk]},
        },
    )
    services.publication_submit(publication=publication, user=jorge)
    services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(
        publication=publication, user=mariana, when=timezone.now() - timedelta(seconds=1)
    )
    engine.publish_due()
    statuses = set(Delivery.objects.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.PUBLICADA}
    assert len(meta.posts) + len(meta.photos) >= 1 and len(meta.media) == 1


def test_forged_state_and_reused_code_are_refused(client, mariana, meta):
    client.force_login(mariana)
    start = client.get("/publicaciones/canales/conectar/meta/")
    location = consent(start["Location"])
    forged = location.replace("state=", "state=x")
    refused = back_to_pregon(client, forged)
    assert refused.status_code == 302 and not ChannelAccount.objects.exists()
    # The flow was used up by the forged attempt: the real answer is refused too.
    again = client.get(urlsplit(location).path, parse_qs(urlsplit(location).query), follow=True)
    assert "no corresponde a una conexión iniciada aquí" in again.content.decode()


def test_a_declined_permission_is_named_and_cancelling_adds_nothing(client, mariana, meta):
    client.force_login(mariana)
    meta.declined_scopes = {"read_insights"}
    choose = back_to_pregon(
        client, consent(client.get("/publicaciones/canales/conectar/meta/")["Location"])
    )
    assert "leer las estadísticas de las páginas" in choose.content.decode()
    cancelled = back_to_pregon(
        client,
        consent(client.get("/publicaciones/canales/conectar/meta/")["Location"], allow=False),
    )
    assert cancelled.status_code == 302 and not ChannelAccount.objects.exists()


def test_connect_x_stores_rotating_tokens_and_survives_two_refreshes(
    client, mariana, jorge, xlogin
):
    client.force_login(mariana)
    start = client.get("/publicaciones/canales/conectar/x/")
    done = back_to_pregon(client, consent(start["Location"]))
    assert done.status_code == 302
    account = ChannelAccount.objects.get(kind="x")
    assert account.handle == "@gobchapultepec" and account.external_id == "42"
    first = json.loads(account.credentials)
    assert first["refresh_token"] in xlogin.refresh_tokens
    for round_ in range(2):  # the access token expires twice; each refresh rotates
        current = json.loads(ChannelAccount.objects.get(pk=account.pk).credentials)
        xlogin.expire_access_token(current["access_token"])
        publication = services.publication_create(
            author=jorge, title=f"Aviso {round_}", text=f"Aviso número {round_} a la población"
        )
        services.variants_set(
            publication=publication, user=jorge, variants={account.pk: {"text": ""}}
        )
        services.publication_submit(publication=publication, user=jorge)
        services.publication_approve(publication=publication, user=mariana)
        services.publication_schedule(
            publication=publication, user=mariana, when=timezone.now() - timedelta(seconds=1)
        )
        engine.publish_due()
        stored = json.loads(ChannelAccount.objects.get(pk=account.pk).credentials)
        assert stored["refresh_token"] != current["refresh_token"]
        assert stored["refresh_token"] in xlogin.refresh_tokens
    assert len(xlogin.tweets) == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PUBLICADA}


def test_reconnecting_x_releases_held_deliveries(client, mariana, xlogin):
    account = ChannelAccount.objects.create(
        name="X @gobchapultepec",
        kind="x",
        external_id="42",
        state=ChannelState.RECONNECT,
        credentials=json.dumps({"access_token": "dead", "refresh_token": "dead"}),
    )
    client.force_login(mariana)
    back_to_pregon(client, consent(client.get("/publicaciones/canales/conectar/x/")["Location"]))
    account.refresh_from_db()
    assert account.state == ChannelState.ACTIVE and ChannelAccount.objects.count() == 1
    assert json.loads(account.credentials)["access_token"] != "dead"


def test_connect_the_portal_with_an_application_password(client, mariana):
    with WordPressLoginFake() as wp:
        wp.login_as("comunicacion")
        client.force_login(mariana)
        start = client.post("/publicaciones/canales/conectar/portal/", {"sitio": wp.url})
        assert start.status_code == 302 and "authorize-application.php" in start["Location"]
        done = back_to_pregon(client, consent(start["Location"]))
        assert done.status_code == 302
        account = ChannelAccount.objects.get(kind="wordpress")
        creds = json.loads(account.credentials)
        assert (
            creds["username"] == "comunicacion"
            and wp.users["comunicacion"] == creds["application_password"]
        )
        assert account.base_url == wp.url
        rejected = back_to_pregon(
            client,
            consent(
                client.post("/publicaciones/canales/conectar/portal/", {"sitio": wp.url})[
                    "Location"
                ],
                allow=False,
            ),
        )
        assert rejected.status_code == 302 and ChannelAccount.objects.count() == 1
