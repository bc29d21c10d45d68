"""Threads through its API against the fake graph.threads.net: containers that take
their time (looked at later, never slept through), carousels, expiry, the text limit
counted as Threads counts it, settling by reading every post since the attempt,
Meta's rate limits, and long-lived tokens renewed before they run out."""

import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from pregon.publishing.channels import get_channel
from pregon.publishing.channels.base import (
    AccountConfig,
    ChannelError,
    NotReady,
    OutgoingMedia,
    OutgoingPost,
)
from pregon.publishing.channels.limits import Draft, MediaInfo
from pregon.publishing.channels.threads import limits
from tests.publishing.fakes import Answer, FakeServer
from tests.publishing.fakes.threads import ThreadsFake

TEXT = "Feria de la salud en el jardín municipal este sábado #Chapultepec"
LINK = "https://www.chapultepec.gob.mx/feria"
DAYS = 86_400


class PublicLinks(FakeServer):
    """Pregón's signed public media links, as Threads sees them from outside."""

    def __init__(self, files: dict[str, tuple[bytes, str]]) -> None:
        super().__init__()
        self.files = files

    def route(self, request):
        if request.path in self.files:
            body, kind = self.files[request.path]
            return Answer(200, body, {"Content-Type": kind})
        return Answer(404, "caducado")


@pytest.fixture
def threads():
    with ThreadsFake(app_id="th-app", app_secret="th-s3cret") as fake:
        fake.add_user("9001", "chapultepec.gob", token="th-token", age_days=2)
        yield fake


@pytest.fixture
def account(threads) -> AccountConfig:
    credentials = {"access_token": "th-token", "expires_at": int(time.time()) + 58 * DAYS}
    return AccountConfig("threads", "9001", threads.host, credentials)


@pytest.fixture
def links(jpeg, clip):
    files = {
        "/m/1": (jpeg.read_bytes(), "image/jpeg"),
        "/m/2": (jpeg.read_bytes(), "image/jpeg"),
        "/m/3": (jpeg.read_bytes(), "image/jpeg"),
        "/m/cortada": (jpeg.read_bytes()[:-200], "image/jpeg"),
        "/m/video": (clip.path.read_bytes(), "video/mp4"),
    }
    with PublicLinks(files) as server:
        yield server


def channel(account, *, deferred: bool = True):
    connector = get_channel(account)
    connector.defer_waits = deferred  # as the engine wires it
    return connector


def creates(threads) -> list:
    return [r for r in threads.requests if r.method == "POST" and r.path == "/9001/threads"]


def media(jpeg, links, name: str = "1") -> OutgoingMedia:
    return OutgoingMedia(jpeg, "image/jpeg", f"Foto {name} de la feria", f"{links.url}/m/{name}")


def test_text_post_carries_the_link_inside_and_publishes_once(threads, account):
    result = channel(account).publish(OutgoingPost(TEXT, link=LINK))

    assert "threads_publishing_limit" in threads.requests[0].path  # the 250/24 h limit first
    [create] = creates(threads)
    assert create.form["media_type"] == "TEXT" and create.form["text"] == f"{TEXT} {LINK}"
    [publish] = threads.requests_to("POST", "/threads_publish")
    assert publish.form["creation_id"] == next(iter(threads.containers))
    assert threads.posts[result.remote_id]["text"] == f"{TEXT} {LINK}"
    assert result.remote_url == threads.posts[result.remote_id]["permalink"]


def test_image_is_fetched_by_threads_and_looked_at_later(threads, account, jpeg, links):
    threads.container_polls = 2
    connector = channel(account)
    post = OutgoingPost(TEXT, media=[media(jpeg, links)])
    with pytest.raises(NotReady) as wait:
        connector.publish(post)
    assert wait.value.retry_after == connector.poll_interval and threads.posts == {}
    with pytest.raises(NotReady):
        connector.resume(post, wait.value.token)
    result = connector.resume(post, wait.value.token)

    [create] = creates(threads)
    assert create.form["media_type"] == "IMAGE" and create.form["image_url"].endswith("/m/1")
    assert create.form["alt_text"] == "Foto 1 de la feria"
    assert threads.fetched == [(f"{links.url}/m/1", 200, "image/jpeg")]
    assert list(threads.posts) == [result.remote_id]


def test_a_cut_image_is_refused_by_threads(threads, account, jpeg, links):
    broken = replace(media(jpeg, links), public_url=f"{links.url}/m/cortada")
    with pytest.raises(ChannelError) as caught:
        channel(account).publish(OutgoingPost(TEXT, media=[broken]))
    assert caught.value.permanent and "Threads rechazó la publicación" in caught.value.message
    assert threads.posts == {}


def test_carousel_waits_for_every_item_then_makes_the_carousel(threads, account, jpeg, links):
    threads.container_polls = 1
    items = [media(jpeg, links, str(n)) for n in (1, 2, 3)]
    post = OutgoingPost(TEXT, media=items)
    connector = channel(account)
    with pytest.raises(NotReady) as wait:
        connector.publish(post)
    assert wait.value.token.startswith("~") and len(wait.value.token[1:].split(",")) == 3
    with pytest.raises(NotReady) as carousel:  # items FINISHED: the carousel is made
        connector.resume(post, wait.value.token)
    assert not carousel.value.token.startswith("~") and threads.posts == {}
    result = connector.resume(post, carousel.value.token)
    made = creates(threads)
    assert [c.form["media_type"] for c in made] == ["IMAGE"] * 3 + ["CAROUSEL"]
    assert all(c.form["is_carousel_item"] == "true" for c in made[:3])
    assert made[3].form["children"] == wait.value.token[1:]
    assert made[3].form["text"] == TEXT
    assert threads.posts[result.remote_id]["media_type"] == "CAROUSEL_ALBUM"


def test_an_expired_container_is_made_again_not_published_twice(threads, account):
    threads.container_polls = 1
    connector = channel(account)
    post = OutgoingPost(TEXT)
    with pytest.raises(NotReady) as wait:
        connector.publish(post)
    threads.advance(hours=25)  # nobody looked for a day: Threads let it expire
    with pytest.raises(NotReady) as again:
        connector.resume(post, wait.value.token)
    assert again.value.token != wait.value.token and len(threads.containers) == 2
    connector.resume(post, again.value.token)
    assert len(threads.posts) == 1


def test_video_threads_cannot_download_fails_with_the_reason(threads, account, clip):
    broken = replace(clip, public_url="http://127.0.0.1:9/no-hay-nada.mp4")
    with pytest.raises(ChannelError) as caught:
        channel(account).publish(OutgoingPost(TEXT, media=[broken]))
    assert caught.value.permanent and "no pudo descargar el video" in caught.value.message
    assert "FAILED_DOWNLOADING_VIDEO" in caught.value.message and threads.posts == {}


def test_video_goes_out_as_video(threads, account, clip, links):
    clip = replace(clip, public_url=f"{links.url}/m/video")
    result = channel(account).publish(OutgoingPost(TEXT, media=[clip]))
    [create] = creates(threads)
    assert create.form["media_type"] == "VIDEO" and create.form["video_url"].endswith("/m/video")
    assert threads.posts[result.remote_id]["media_type"] == "VIDEO"


def test_refuses_early_without_a_public_url(threads, account, jpeg, links):
    post = OutgoingPost(
        TEXT, media=[media(jpeg, links), replace(media(jpeg, links), public_url="")]
    )
    with pytest.raises(ChannelError) as caught:
        channel(account).publish(post)
    assert caught.value.permanent and "archivo 2" in caught.value.message
    assert "PREGON_PUBLIC_URL" in caught.value.message and threads.requests == []


def test_the_500_characters_are_counted_as_threads_counts_them(threads, account):
    fits = "a" * 496 + "👍"  # 496 + 4 bytes
    over = "a" * 497 + "👍"
    assert limits.length(fits) == 500 and limits.check(Draft(fits)) == []
    [message] = limits.check(Draft(over))
    assert message.startswith("Threads: el texto mide 501 caracteres")
    assert limits.length("Ñandú, acción y camión") == 22  # accents count one
    channel(account).publish(OutgoingPost(fits))
    with pytest.raises(ChannelError) as caught:
        channel(account).publish(OutgoingPost(over))
    assert caught.value.permanent and len(threads.posts) == 1


def test_limits_for_carousels_files_and_links():
    photo = MediaInfo("image/jpeg", 1080, 1080, 1000, "Foto")
    assert limits.check(Draft("Hola", [photo] * 20)) == []
    assert "de 2 a 20" in limits.check(Draft("Hola", [photo] * 21))[0]
    webp = replace(photo, mime_type="image/webp")
    assert limits.check(Draft("Hola", [webp])) == [
        "Threads: la imagen 1 es image/webp; debe ser JPEG o PNG."
    ]
    big = replace(photo, size_bytes=9 * 1024 * 1024)
    assert "8 MiB" in limits.check(Draft("Hola", [big]))[0]
    long_video = MediaInfo("video/mp4", 1080, 1920, 1000, duration=301)
    assert "5 min" in limits.check(Draft("Hola", [long_video]))[0]
    six = " ".join(f"https://chapultepec.gob.mx/{n}" for n in range(6))
    assert "6 enlaces distintos" in limits.check(Draft(six))[0]


def test_lost_publish_answer_is_uncertain_and_found_among_newer_posts(
    threads, account, short_timeout
):
    since = datetime.now(UTC) - timedelta(seconds=5)
    threads.slow(1.5, method="POST", path="/threads_publish")
    connector = channel(account)
    with pytest.raises(ChannelError) as caught:
        connector.publish(OutgoingPost(TEXT, link=LINK))
    assert caught.value.uncertain
    [ours] = threads.posts
    threads.add_posts("9001", 150)  # people keep posting: two more pages
    found = connector.find_existing(OutgoingPost(TEXT, link=LINK), since)
    assert found.remote_id == ours
    pages = [r for r in threads.requests if r.method == "GET" and r.path == "/9001/threads"]
    assert len(pages) == 2 and all(p.query["limit"] == "100" for p in pages)
    assert pages[0].query["since"] == str(int(since.timestamp()))
    assert connector.find_existing(OutgoingPost("Otro texto"), since) is None


def test_a_page_that_fails_is_uncertain_never_absent(threads, account):
    threads.add_posts("9001", 120)
    since = datetime.now(UTC) - timedelta(minutes=1)
    real = threads.route

    def route(request):
        if request.method == "GET" and request.query.get("after"):
            return Answer(500, {"error": {"code": 2, "message": "Service unavailable"}})
        return real(request)

    threads.route = route
    with pytest.raises(ChannelError) as caught:
        channel(account).find_existing(OutgoingPost("No está"), since)
    assert caught.value.uncertain and "página 2" in caught.value.message


def test_rate_limit_waits_as_long_as_meta_says(threads, account):
    threads.rate_limit(minutes=7)
    with pytest.raises(ChannelError) as caught:
        channel(account).publish(OutgoingPost(TEXT))
    assert caught.value.rate_limited and caught.value.retry_after == 7 * 60
    assert "Threads pidió esperar" in caught.value.message and threads.posts == {}


def test_used_up_publishing_limit_waits_an_hour(threads, account):
    threads.quota_usage = 250
    with pytest.raises(ChannelError) as caught:
        channel(account).publish(OutgoingPost(TEXT))
    assert caught.value.rate_limited and caught.value.retry_after == 3600
    assert threads.containers == {}


def test_token_near_its_end_is_renewed_once_and_stored(threads, account):
    threads.add_user("9001", "chapultepec.gob", token="old-token", age_days=40)
    stored = []
    account.credentials = {"access_token": "old-token", "expires_at": int(time.time()) + 20 * DAYS}
    connector = channel(account)
    connector.on_credentials_changed = stored.append
    connector.publish(OutgoingPost(TEXT))
    connector.publish(OutgoingPost("Segundo aviso"))
    assert threads.refreshes == 1 and len(stored) == 1
    assert stored[0]["access_token"] != "old-token"
    assert stored[0]["expires_at"] > time.time() + 59 * DAYS
    publishes = threads.requests_to("POST", "/threads_publish")
    assert {p.form["access_token"] for p in publishes} == {stored[0]["access_token"]}


def test_an_expired_token_asks_for_reconnection(threads, account):
    threads.add_user("9001", "chapultepec.gob", token="dead-token", age_days=61)
    account.credentials = {"access_token": "dead-token", "expires_at": int(time.time()) - DAYS}
    with pytest.raises(ChannelError) as caught:
        channel(account).publish(OutgoingPost(TEXT))
    assert caught.value.reconnect and "Vuelva a conectarla" in caught.value.message
    assert threads.containers == {}


def test_daily_figures_of_the_account_and_its_posts(threads, account):
    connector = channel(account)
    post = connector.publish(OutgoingPost(TEXT)).remote_id
    for metric, value in {
        "views": 340,
        "likes": 51,
        "replies": 7,
        "reposts": 3,
        "quotes": 2,
    }.items():
        threads.insights_day[("9001", metric)] = value
    threads.insights_day[("9001", "followers_count")] = 6950
    for metric, value in {
        "views": 900,
        "likes": 80,
        "replies": 9,
        "reposts": 4,
        "quotes": 1,
        "shares": 2,
    }.items():
        threads.post_insights[(post, metric)] = value
    figures = connector.daily_figures(date(2026, 12, 6), [post, "no-es-nuestro"])
    assert figures.account == {"followers": 6950, "views": 340, "engagements": 63}
    assert figures.posts == {post: {"views": 900, "reactions": 80, "comments": 9, "shares": 7}}
    assert list(figures.errors) == ["publicación no-es-nuestro"]
    [ask] = threads.requests_to("GET", "/threads_insights")
    assert ask.query["metric"] == "views,likes,replies,reposts,quotes,followers_count"
    assert int(ask.query["until"]) - int(ask.query["since"]) == DAYS


def test_connection_names_the_account(account):
    assert channel(account).test_connection() == "Threads @chapultepec.gob (9001)"


def test_preview_marks_what_passes_500_and_cards_the_link_of_a_text_post():
    from pregon.publishing.channels.preview import Sketch
    from pregon.publishing.channels.threads import preview

    shown = preview.build(Sketch("threads", "a" * 470, LINK))
    assert shown.text == "a" * 470 + " " + LINK[:29] and shown.overflow == LINK[29:]
    assert shown.counter == f"{470 + 1 + len(LINK)} de 500 caracteres"
    assert shown.link_domain == "CHAPULTEPEC.GOB.MX"
    with_photos = preview.build(Sketch("threads", TEXT, LINK, media_count=5, has_media=True))
    assert with_photos.link_domain == "" and (with_photos.grid, with_photos.grid_more) == (2, 3)
    emoji = preview.build(Sketch("threads", "a" * 498 + "👍"))
    assert emoji.text == "a" * 498 and emoji.overflow == "👍"  # never half an emoji


def test_a_carousel_of_20_fits_what_the_engine_keeps(threads, account, jpeg, links, monkeypatch):
    from pregon.publishing.channels.threads import connector as module

    monkeypatch.setattr(module, "ITEM_WAIT", 0)
    threads._counter = 17_900_000_000_000_000  # real ids have 17 or 18 digits
    threads.container_polls = 1
    items = [media(jpeg, links, str(1 + n % 3)) for n in range(20)]
    post = OutgoingPost(TEXT, media=items)
    connector = channel(account)
    with pytest.raises(NotReady) as wait:
        connector.publish(post)
    assert len(wait.value.token) <= module.TOKEN_ROOM and not wait.value.token.startswith("~")
    result = connector.resume(post, wait.value.token)
    carousel = creates(threads)[-1]
    assert (
        carousel.form["media_type"] == "CAROUSEL"
        and len(carousel.form["children"].split(",")) == 20
    )
    assert list(threads.posts) == [result.remote_id]
