"""A Telegram channel through the fake Bot API: text, photo, album and video posts;
Telegram's HTML and lengths; errors as Telegram words them; the token never logged."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from PIL import Image

from pregon.publishing.channels import get_channel
from pregon.publishing.channels.base import AccountConfig, ChannelError, OutgoingPost
from pregon.publishing.channels.limits import Draft, MediaInfo
from pregon.publishing.channels.preview import Sketch
from pregon.publishing.channels.telegram import limits, preview
from pregon.publishing.channels.telegram import text as tg_text
from pregon.publishing.rules import validate_variant
from tests.publishing.fakes.telegram import TelegramFake, parse_html

TOKEN = "7012345678:AAHfakeTOKENforPREGONtestsOnly_0123456"
LINK = "https://chapultepec.gob.mx/salud?tema=feria&dia=sabado"
TEXT = "Feria de la salud <gratis> en el jardín & la explanada 🩺"


@pytest.fixture
def tg():
    with TelegramFake() as fake:
        fake.bot_id = fake.add_bot(TOKEN, "pregon_chapultepec_bot")
        fake.chat_id = fake.add_channel(
            "gobchapultepec", "Gobierno de Chapultepec", subscribers=6900
        )
        fake.set_member("gobchapultepec", fake.bot_id, "administrator", can_post_messages=True)
        yield fake


@pytest.fixture
def account(tg) -> AccountConfig:
    return AccountConfig("telegram", str(tg.chat_id), tg.url, {"bot_token": TOKEN})


def _channel(account, attempts=None):
    channel = get_channel(account)
    if attempts is not None:
        channel.on_attempt = attempts.append
    return channel


def test_text_goes_as_html_with_the_link_on_the_last_line(tg, account, attempts):
    result = _channel(account, attempts).publish(OutgoingPost(TEXT, link=LINK))

    [message] = tg.posted(tg.chat_id)
    assert message["text"] == f"{TEXT}\n{LINK}"  # what people read: our text, unchanged
    assert "&lt;gratis&gt;" in message["markup"] and "&amp; la explanada" in message["markup"]
    assert f'<a href="{LINK.replace("&", "&amp;")}">' in message["markup"]
    assert message["link_preview"] == {"url": LINK, "prefer_large_media": True}
    assert result.remote_id == "1"
    assert result.remote_url == "https://t.me/gobchapultepec/1"
    [call] = attempts
    assert TOKEN not in call.url and call.url.endswith("/bot[oculto]/sendMessage")


def test_a_text_that_already_holds_the_link_does_not_repeat_it():
    assert tg_text.with_link(f"Vea {LINK} hoy", LINK) == f"Vea {LINK} hoy"
    assert tg_text.with_link("  Hola  ", "") == "Hola"


def test_one_photo_is_uploaded_whole_with_its_caption(tg, account, photo):
    result = _channel(account).publish(OutgoingPost(TEXT, link=LINK, media=[photo]))
    [message] = tg.posted(tg.chat_id)
    assert message["caption"] == f"{TEXT}\n{LINK}"
    assert message["photo"][0]["file_size"] == photo.path.stat().st_size
    assert result.remote_url == "https://t.me/gobchapultepec/1"
    [upload] = tg.requests_to("POST", "/sendPhoto")
    assert upload.form["parse_mode"] == "HTML"


def test_an_album_keeps_every_message_id_and_the_caption_on_the_first(tg, account, photo, clip):
    second = replace(photo, alt_text="Fachada")
    result = _channel(account).publish(OutgoingPost(TEXT, media=[photo, second, clip]))
    first, middle, video = tg.posted(tg.chat_id)
    assert result.remote_id == "1,2,3"
    assert first["caption"] == TEXT and middle["caption"] == "" and video["caption"] == ""
    assert first["media_group_id"] == video["media_group_id"]
    assert video["facts"]["width"] == 320 and video["facts"]["supports_streaming"] is True


def test_a_video_goes_with_its_duration_and_size(tg, account, clip):
    _channel(account).publish(OutgoingPost("Sesión de cabildo", media=[clip]))
    [message] = tg.posted(tg.chat_id)
    assert message["video"]["width"] == 320 and message["video"]["height"] == 240
    assert message["video"]["duration"] == 2 and message["supports_streaming"]
    assert message["video"]["file_size"] == clip.path.stat().st_size


def test_a_cut_upload_is_refused_by_telegram(tg, account, photo, tmp_path):
    cut = tmp_path / "cortada.jpg"
    cut.write_bytes(photo.path.read_bytes()[:5000])
    with pytest.raises(ChannelError) as caught:
        _channel(account).publish(OutgoingPost(TEXT, media=[replace(photo, path=cut)]))
    assert caught.value.permanent and "IMAGE_PROCESS_FAILED" in caught.value.message
    assert tg.posted(tg.chat_id) == []


def test_a_png_from_before_the_archive_goes_too(tg, account, photo, tmp_path):
    png = tmp_path / "aviso.png"
    Image.new("RGB", (800, 600), (10, 20, 30)).save(png, "PNG")
    _channel(account).publish(
        OutgoingPost(TEXT, media=[replace(photo, path=png, mime_type="image/png")])
    )
    assert tg.posted(tg.chat_id)[0]["photo"][0]["file_size"] == png.stat().st_size
    cut = tmp_path / "cortada.png"
    cut.write_bytes(png.read_bytes()[:-12])
    with pytest.raises(ChannelError):
        _channel(account).publish(OutgoingPost(TEXT, media=[replace(photo, path=cut)]))


def test_the_fake_counts_and_parses_as_telegram_does(tg):
    assert parse_html('<b>a</b> &amp; <a href="https://x.mx/?a=1&amp;b=2">x</a>') == "a & x"
    for broken in ("a < b", "<b>sin cerrar", "a & b", "<marquee>x</marquee>", "<b><i>x</b></i>"):
        with pytest.raises(ValueError):
            parse_html(broken)


def test_a_text_longer_than_telegram_allows_is_refused_with_its_reason(tg, account):
    with pytest.raises(ChannelError) as caught:
        _channel(account).publish(OutgoingPost("á" * 4097))
    assert caught.value.permanent and "message is too long" in caught.value.message
    assert "acórtelo" in caught.value.message
    # The same 4,096 characters with markup around them pass: Telegram counts what shows.
    _channel(account).publish(OutgoingPost("&" * 4000 + "\n" + "x" * 95))
    assert len(tg.posted(tg.chat_id)) == 1


def test_limits_count_utf16_units_of_the_visible_text():
    assert tg_text.length("🩺" * 10) == 20 and tg_text.length("&<>") == 3
    ok = Draft("a" * 4096)
    over = Draft("🩺" * 2049)  # 4,098 units in 2,049 characters
    assert limits.check(ok) == [] and "4,098" in limits.check(over)[0]
    photo = MediaInfo("image/jpeg", 1080, 1080, 500_000, "Foto")
    caption = limits.check(Draft("a" * 1025, [photo]))
    assert caption and "pie" in caption[0] and "1,024" in caption[0]
    big = MediaInfo("image/jpeg", 9800, 400, 11 * limits.MB, "Foto")
    assert len(limits.check(Draft("x", [big]))) == 3  # weight, sides, ratio
    video = MediaInfo("video/mp4", 1920, 1080, 51 * limits.MB, duration=30)
    assert "50 MB" in limits.check(Draft("x", [video]))[0]
    eleven = limits.check(Draft("x", [photo] * 11))
    assert any("hasta 10" in message for message in eleven)


def test_rules_count_the_link_inside_the_text_and_ask_for_alt_text():
    text = "a" * (4096 - len(LINK) - 1)
    assert validate_variant("telegram", text, [], link=LINK) == []
    assert validate_variant("telegram", text + "a", [], link=LINK)
    no_alt = MediaInfo("image/jpeg", 1080, 1080, 500_000, "")
    assert any("texto alternativo" in m for m in validate_variant("telegram", "x", [no_alt]))


def test_preview_marks_what_passes_the_limit():
    view = preview.build(Sketch("telegram", "a" * 1030, LINK, has_media=True, media_count=2))
    assert len(view.text) == 1024 and view.overflow.endswith(LINK)
    assert view.counter == f"{1031 + len(LINK):,} de 1,024 caracteres como pie de foto"
    text_only = preview.build(Sketch("telegram", "Hola", LINK))
    assert text_only.text == f"Hola\n{LINK}" and text_only.link_domain == "CHAPULTEPEC.GOB.MX"


def test_429_waits_what_telegram_asks(tg, account):
    tg.rate_limit(retry_after=17)
    with pytest.raises(ChannelError) as caught:
        _channel(account).publish(OutgoingPost(TEXT))
    assert caught.value.rate_limited and caught.value.retry_after == 17
    assert tg.posted(tg.chat_id) == []


def test_500_is_transient(tg, account):
    tg.fail(500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
    with pytest.raises(ChannelError) as caught:
        _channel(account).publish(OutgoingPost(TEXT))
    error = caught.value
    assert not (error.permanent or error.uncertain or error.rate_limited)


@pytest.mark.parametrize(
    "status, rights",
    [("kicked", {}), ("administrator", {"can_post_messages": False})],
)
def test_a_bot_that_lost_the_channel_asks_for_reconnection(tg, account, status, rights):
    tg.set_member("gobchapultepec", tg.bot_id, status, **rights)
    with pytest.raises(ChannelError) as caught:
        _channel(account).publish(OutgoingPost(TEXT))
    assert caught.value.reconnect and "Publicar mensajes" in caught.value.message
    with pytest.raises(ChannelError) as tested:
        _channel(account).test_connection()
    assert tested.value.reconnect


def test_a_revoked_token_asks_for_reconnection_and_never_shows_it(tg, account, attempts):
    tg.revoke(TOKEN)
    with pytest.raises(ChannelError) as caught:
        _channel(account, attempts).publish(OutgoingPost(TEXT))
    assert caught.value.reconnect and "401" in caught.value.message
    assert TOKEN not in caught.value.message and TOKEN not in attempts[0].url


def test_a_lost_answer_is_uncertain_and_cannot_be_checked(tg, account):
    tg.swallow(path="/sendMessage")
    channel = _channel(account)
    with pytest.raises(ChannelError) as caught:
        channel.publish(OutgoingPost(TEXT))
    assert caught.value.uncertain and "no se sabe si se publicó" in caught.value.message
    assert len(tg.posted(tg.chat_id)) == 1  # it did go out
    with pytest.raises(ChannelError) as checked:
        channel.find_existing(OutgoingPost(TEXT), datetime.now(UTC) - timedelta(minutes=5))
    assert checked.value.uncertain and "no puede leer" in checked.value.message


def test_connection_test_names_the_bot_and_the_channel(account):
    assert _channel(account).test_connection() == (
        "Telegram: el bot @pregon_chapultepec_bot publica en «Gobierno de Chapultepec»"
    )


def test_daily_figures_are_the_subscribers(tg, account):
    yesterday = timezone.localdate() - timedelta(days=1)
    figures = _channel(account).daily_figures(yesterday, ["1"])
    assert figures.account == {"followers": 6900} and figures.posts == {}
    old = _channel(account).daily_figures(yesterday - timedelta(days=3), [])
    assert old.account == {} and "hoy" in old.errors["followers"]


def test_a_malformed_token_is_never_put_in_a_url(tg):
    account = AccountConfig("telegram", "@gobchapultepec", tg.url, {"bot_token": "x/../getMe"})
    with pytest.raises(ChannelError) as caught:
        _channel(account).publish(OutgoingPost(TEXT))
    assert caught.value.reconnect and tg.requests == []
