"""«Conectar un canal de Telegram»: Coordinación pastes the bot's token and the
channel's @name; Pregón asks Telegram before storing anything, refuses a bot that
cannot post, keeps the token encrypted and never shows it again. The subscribers are
read each day through analytics like any network with figures."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from pregon.analytics.insights import fetch_all
from pregon.analytics.models import AccountMetric
from pregon.publishing import engine, services
from pregon.publishing.models import ChannelAccount, Delivery, DeliveryStatus
from tests.publishing.fakes.telegram import TelegramFake

TOKEN = "7012345678:AAHfakeTOKENforPREGONtestsOnly_0123456"
URL = "/publicaciones/canales/conectar/telegram/"


@pytest.fixture
def tg(settings):
    with TelegramFake() as fake:
        fake.bot_id = fake.add_bot(TOKEN, "pregon_chapultepec_bot")
        fake.chat_id = fake.add_channel(
            "gobchapultepec", "Gobierno de Chapultepec", subscribers=7210
        )
        settings.PREGON_TELEGRAM_API_URL = fake.url
        yield fake


def _connect(client, channel="@gobchapultepec", token=TOKEN):
    return client.post(URL, {"token": token, "channel": channel})


def test_only_coordinacion_may_connect(client, jorge, tg):
    client.force_login(jorge)
    assert client.get(URL).status_code == 403
    assert _connect(client).status_code == 403 and tg.requests == []


def test_the_form_explains_the_steps(client, mariana, tg):
    client.force_login(mariana)
    page = client.get(URL).content.decode()
    assert "@BotFather" in page and "«Publicar mensajes»" in page
    assert 'type="password"' in page
    setup = client.get("/publicaciones/canales/configuracion/").content.decode()
    assert 'id="red-telegram"' in setup and URL in setup
    accounts = client.get("/publicaciones/canales/").content.decode()
    assert "Conectar un canal de Telegram" in accounts


@pytest.mark.parametrize(
    "status, rights, says",
    [
        (None, {}, "no está en el canal"),
        ("administrator", {"can_post_messages": False}, "sin el permiso «Publicar mensajes»"),
    ],
)
def test_a_bot_that_cannot_post_is_refused(client, mariana, tg, status, rights, says):
    if status:
        tg.set_member("gobchapultepec", tg.bot_id, status, **rights)
    client.force_login(mariana)
    answer = _connect(client)
    page = answer.content.decode()
    assert answer.status_code == 422 and says in page
    assert TOKEN not in page and ChannelAccount.objects.count() == 0
    assert [r.path.rsplit("/", 1)[1] for r in tg.requests] == [
        "getMe",
        "getChat",
        "getChatMember",
    ]


def test_a_wrong_token_or_channel_is_named(client, mariana, tg):
    client.force_login(mariana)
    shape = _connect(client, token="123:abc")
    assert shape.status_code == 422 and "@BotFather" in shape.content.decode()
    assert tg.requests == []  # not even sent
    unknown = _connect(client, token="7012345678:AAHotherTOKENthatTelegramDoesNotKnow1")
    assert unknown.status_code == 422 and "no reconoce ese token" in unknown.content.decode()
    missing = _connect(client, channel="@otrocanal")
    assert "no encuentra el canal @otrocanal" in missing.content.decode()
    assert ChannelAccount.objects.count() == 0


def test_connect_stores_the_token_encrypted_then_publishes_and_counts(
    client, mariana, jorge, tg, settings
):
    tg.set_member("gobchapultepec", tg.bot_id, "administrator", can_post_messages=True)
    client.force_login(mariana)
    answer = _connect(client, channel="https://t.me/gobchapultepec")
    assert answer.status_code == 302
    account = ChannelAccount.objects.get(kind="telegram")
    assert account.external_id == str(tg.chat_id) and account.handle == "@gobchapultepec"
    assert account.name == "Telegram · Gobierno de Chapultepec"
    assert json.loads(account.credentials)["bot_token"] == TOKEN
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credentials FROM publishing_channelaccount WHERE id = %s", [account.pk]
        )
        assert TOKEN not in cursor.fetchone()[0]  # encrypted at rest
    listing = client.get("/publicaciones/canales/").content.decode()
    assert "Telegram · Gobierno de Chapultepec" in listing and TOKEN not in listing

    publication = services.publication_create(author=jorge, title="Aviso", text="Hoy hay feria.")
    services.variants_set(publication=publication, variants={account.pk: {}}, user=jorge)
    services.publication_submit(publication=publication, user=jorge)
    services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(
        publication=publication, user=mariana, when=timezone.now() - timedelta(seconds=1)
    )
    engine.publish_due()
    delivery = Delivery.objects.get(variant__publication=publication)
    assert delivery.status == DeliveryStatus.PUBLICADA
    assert delivery.remote_url == "https://t.me/gobchapultepec/1"
    assert TOKEN not in json.dumps(list(delivery.attempt_log.values_list("calls", flat=True)))

    day = timezone.localdate() - timedelta(days=1)
    [report] = fetch_all(day)
    assert report.stored == {"followers": 7210} and report.errors == {}
    assert AccountMetric.objects.get(account=account, date=day).followers == 7210


def test_connecting_again_reconnects_the_same_account(client, mariana, tg):
    tg.set_member("gobchapultepec", tg.bot_id, "administrator", can_post_messages=True)
    client.force_login(mariana)
    _connect(client)
    ChannelAccount.objects.update(state="reconexion")
    assert _connect(client, channel="gobchapultepec").status_code == 302
    account = ChannelAccount.objects.get()
    assert account.state == "activa"
