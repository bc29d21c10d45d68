"""A Telegram channel through the real workflow (write, approve, schedule) and the
engine, under the faults the other connectors face: 500, 429, a bot that lost the
channel, a timeout after Telegram accepted, a worker killed mid-call. Exactly one
message in the channel every time: a bot cannot read the channel, so whatever Pregón
cannot tell stays «incierta» for a person, and nothing is ever sent twice."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from pregon.publishing import connectors, engine, services
from pregon.publishing.models import (
    ChannelAccount,
    ChannelState,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    PublicationStatus,
)
from tests.publishing.conftest import jpeg_bytes
from tests.publishing.fakes.telegram import TelegramFake
from tests.publishing.faults_support import (
    approve_and_schedule,
    delivery_of,
    killed_after_accepted,
    photo_add,
    stale,
)

D = DeliveryStatus
TOKEN = "7012345678:AAHfakeTOKENforPREGONtestsOnly_0123456"
TEXT = "Feria de la salud en el jardín municipal este sábado #Chapultepec"
LINK = "https://chapultepec.gob.mx/feria-salud"


@pytest.fixture
def tg(settings):
    settings.PREGON_CHANNEL_TIMEOUT = 1
    with TelegramFake() as fake:
        fake.bot_id = fake.add_bot(TOKEN, "pregon_chapultepec_bot")
        fake.chat_id = fake.add_channel("gobchapultepec", "Gobierno de Chapultepec")
        fake.set_member("gobchapultepec", fake.bot_id, "administrator", can_post_messages=True)
        settings.PREGON_TELEGRAM_API_URL = fake.url
        yield fake


@pytest.fixture
def channel(tg, db) -> ChannelAccount:
    return ChannelAccount.objects.create(
        name="Telegram · Gobierno de Chapultepec",
        kind="telegram",
        external_id=str(tg.chat_id),
        handle="@gobchapultepec",
        credentials=json.dumps({"bot_token": TOKEN}),
    )


@pytest.fixture
def publish(channel, jorge, mariana):
    """`publish(images=2)`: written by Jorge, approved by Mariana, due a second ago."""

    def make(images: int = 0):
        publication = services.publication_create(
            author=jorge, title="Feria de la salud", text=TEXT, category="salud", link=LINK
        )
        media = [
            photo_add(
                publication,
                jorge,
                f"Módulos de salud {n + 1}",
                f"feria-{n}.jpg",
                jpeg_bytes(1080 - n),
            )
            for n in range(images)
        ]
        variants = {channel.pk: {"text": "", "media": [m.pk for m in media]}}
        approve_and_schedule(publication, variants, author=jorge, approver=mariana)
        return delivery_of(publication)

    return make


def _later(delivery: Delivery) -> None:
    """The time the engine waits for has passed (the retry's, the check's)."""
    past = timezone.now() - timedelta(seconds=31)
    Delivery.objects.filter(pk=delivery.pk).update(scheduled_at=past)
    DeliveryAttempt.objects.filter(delivery=delivery).update(started_at=past)


def _copies(tg) -> int:
    return len({m.get("media_group_id") or m["message_id"] for m in tg.posted(tg.chat_id)})


def test_published_once_with_its_link_and_the_token_masked_in_the_log(tg, publish):
    delivery = publish()
    assert engine.publish_due()["publicada"] == 1
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and _copies(tg) == 1
    assert delivery.remote_id == "1" and delivery.remote_url == "https://t.me/gobchapultepec/1"
    [message] = tg.posted(tg.chat_id)
    assert message["text"] == f"{TEXT}\n{LINK}"
    [attempt] = delivery.attempt_log.all()
    [call] = attempt.calls
    assert call["url"].endswith("/bot[oculto]/sendMessage")
    logged = json.dumps([attempt.calls, attempt.response_text, attempt.error])
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged
    assert delivery.variant.publication.status == PublicationStatus.PUBLICADA


def test_an_album_keeps_every_message_id(tg, publish):
    delivery = publish(images=3)
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and delivery.remote_id == "1,2,3"
    first = tg.posted(tg.chat_id)[0]
    assert first["caption"] == f"{TEXT}\n{LINK}" and _copies(tg) == 1


def test_500_is_retried_on_the_schedule_then_sent_once(tg, publish):
    delivery = publish()
    tg.fail(500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
    assert engine.publish_due()["reintentar"] == 1
    delivery.refresh_from_db()
    assert delivery.status == D.PENDIENTE and "Se reintentará a las" in delivery.last_error
    assert _copies(tg) == 0
    _later(delivery)
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and _copies(tg) == 1


def test_429_waits_what_telegram_asks_then_sends_once(tg, publish):
    delivery = publish()
    tg.rate_limit(retry_after=120)
    assert engine.publish_due()["limite"] == 1
    delivery.refresh_from_db()
    wait = (delivery.scheduled_at - timezone.now()).total_seconds()
    assert delivery.status == D.PENDIENTE and 110 < wait <= 120
    assert "Telegram pidió esperar" in delivery.last_error and _copies(tg) == 0
    _later(delivery)
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and _copies(tg) == 1


def test_a_permanent_refusal_fails_with_telegrams_words(tg, publish):
    delivery = publish()
    tg.fail(400, {"ok": False, "error_code": 400, "description": "Bad Request: TOPIC_CLOSED"})
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.FALLIDA
    assert "Telegram rechazó la publicación" in delivery.last_error
    assert "TOPIC_CLOSED" in delivery.last_error and _copies(tg) == 0


def test_a_kicked_bot_holds_the_account_until_it_is_reconnected(tg, publish, channel, mariana):
    delivery = publish()
    tg.set_member("gobchapultepec", tg.bot_id, "kicked")
    assert engine.publish_due()["espera_reconexion"] == 1
    channel.refresh_from_db()
    delivery.refresh_from_db()
    assert channel.state == ChannelState.RECONNECT and delivery.status == D.PENDIENTE
    assert "Publicar mensajes" in delivery.last_error and _copies(tg) == 0
    tg.set_member("gobchapultepec", tg.bot_id, "administrator", can_post_messages=True)
    services.account_save(
        account=channel, user=mariana, credentials=json.dumps({"bot_token": TOKEN})
    )
    engine.publish_due()
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and _copies(tg) == 1


@pytest.mark.parametrize("fault", ["swallow", "slow"])
def test_timeout_after_telegram_accepted_stays_uncertain_for_a_person(tg, publish, mariana, fault):
    mariana.email = "coordinacion@chapultepec.gob.mx"
    mariana.save()
    delivery = publish()
    if fault == "swallow":
        tg.swallow(path="/sendMessage")
    else:
        tg.slow(2.0, path="/sendMessage")  # done, answered after Pregón gave up waiting
    assert engine.publish_due()["incierta"] == 1
    delivery.refresh_from_db()
    assert delivery.status == D.INCIERTA and "no puede leer" in delivery.last_error
    # No automatic check could ever answer: a person is told at once, not in minutes.
    assert "lo comprobará" not in delivery.last_error
    assert len(mail.outbox) == 1 and "Revise la red y decida" in mail.outbox[0].body
    for _ in range(6):  # the engine's own checks run out; nothing is resent
        _later(delivery)
        engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.INCIERTA and _copies(tg) == 1
    assert len(mail.outbox) == 1 and "Revise la red y decida" in mail.outbox[0].body
    # Mariana opens the channel, sees the message and marks it with its link.
    services.delivery_mark_published(
        delivery=delivery, user=mariana, url="https://t.me/gobchapultepec/1"
    )
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and _copies(tg) == 1


def test_worker_killed_after_telegram_accepted_never_sends_a_second(tg, publish, monkeypatch):
    delivery = publish()
    with killed_after_accepted(monkeypatch):
        engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.ENVIANDO and _copies(tg) == 1
    stale(delivery)
    connectors._channels.clear()
    for _ in range(3):
        engine.publish_due()
        _later(delivery)
    delivery.refresh_from_db()
    assert delivery.status == D.INCIERTA and _copies(tg) == 1
    assert "No se pudo comprobar si se publicó" in delivery.last_error
    assert "no puede leer" in delivery.last_error


def test_worker_killed_before_sending_is_resent_only_by_a_person(tg, publish, mariana):
    delivery = publish()
    assert engine.claim(delivery.pk, "dead-worker", timezone.now())
    stale(delivery)
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.INCIERTA and _copies(tg) == 0  # Pregón cannot tell
    # Mariana checks the channel: it is not there. She sends it again, once.
    services.delivery_retry(delivery=delivery, user=mariana)
    engine.publish_due()
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA and _copies(tg) == 1
