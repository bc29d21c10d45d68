"""TikTok's Content Posting API against the fake TikTok server."""

from datetime import UTC, date, datetime, timedelta

import httpx
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
from pregon.publishing.channels.tiktok import connector as tt
from pregon.publishing.channels.tiktok import limits
from tests.publishing.conftest import make_clip
from tests.publishing.fakes.server import Answer, FakeServer
from tests.publishing.fakes.tiktok import TikTokFake

TEXT = "Jornada de vacunación en la plaza principal este sábado 🩺 #Chapultepec"


class PublicFiles(FakeServer):
    """Pregón's public address, as TikTok reaches it: signed links to derivatives."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, bytes] = {}

    def route(self, request):
        data = self.files.get(request.path)
        return Answer(200, data) if data is not None else Answer(404, "no existe")


@pytest.fixture
def ttfake(settings):
    with TikTokFake("tt-key", "tt-s3cret") as fake:
        fake.add_user("open-1", "gobchapultepec", access_token="at-1", refresh_token="rt-1")
        settings.PREGON_TIKTOK_CLIENT_KEY, settings.PREGON_TIKTOK_CLIENT_SECRET = (
            "tt-key",
            "tt-s3cret",
        )
        yield fake


@pytest.fixture
def public():
    with PublicFiles() as files:
        yield files


@pytest.fixture
def account(ttfake) -> AccountConfig:
    credentials = {"access_token": "at-1", "refresh_token": "rt-1", "username": "gobchapultepec"}
    return AccountConfig("tiktok", "open-1", ttfake.url, credentials)


@pytest.fixture
def video(tmp_path) -> OutgoingMedia:
    return OutgoingMedia(make_clip(tmp_path / "vacunas.mp4", seconds=4), "video/mp4")


def photos(public, jpeg, count: int = 2) -> list[OutgoingMedia]:
    data = jpeg.read_bytes()
    items = []
    for n in range(count):
        public.files[f"/m/{n}"] = data
        items.append(OutgoingMedia(jpeg, "image/jpeg", f"Foto {n}", f"{public.url}/m/{n}"))
    return items


def channel_for(account, attempts=None, defer=False):
    channel = get_channel(account)
    channel.poll_interval = 0
    channel.defer_waits = defer
    if attempts is not None:
        channel.on_attempt = attempts.append
    return channel


def small_chunks(monkeypatch, fake, size: int = 4096) -> None:
    """TikTok's 5/64/128 MB rules scaled down so a test clip goes in several chunks."""
    monkeypatch.setattr(tt, "MIN_CHUNK", size // 4)
    monkeypatch.setattr(tt, "MAX_CHUNK", size)
    monkeypatch.setattr(tt, "CHUNK_BYTES", size)
    fake.min_chunk, fake.max_chunk, fake.max_last_chunk = size // 4, size, size * 2


def test_video_direct_post_asks_the_creator_first_then_uploads_and_publishes(
    ttfake, account, video
):
    ttfake.processing_polls = 2
    result = channel_for(account).publish(OutgoingPost(TEXT, media=[video]))

    paths = [r.path for r in ttfake.requests]
    assert paths[0] == "/v2/post/publish/creator_info/query/"
    init = ttfake.requests_to("POST", "/v2/post/publish/video/init/")[0].json
    size = video.path.stat().st_size
    assert init["post_info"] == {
        "title": TEXT,
        "privacy_level": "PUBLIC_TO_EVERYONE",
        "disable_comment": False,
        "disable_duet": True,  # the creator switched duets off: we must not switch them on
        "disable_stitch": False,
    }
    assert init["source_info"] == {
        "source": "FILE_UPLOAD",
        "video_size": size,
        "chunk_size": size,  # a small file goes whole
        "total_chunk_count": 1,
    }
    [put] = ttfake.requests_to("PUT", "/upload/")
    assert put.headers["content-range"] == f"bytes 0-{size - 1}/{size}"
    assert len(ttfake.requests_to("POST", "/status/fetch/")) == 3  # two PROCESSING, then done
    [posted] = ttfake.videos
    assert result.remote_id == posted["id"] and posted["title"] == TEXT
    assert result.remote_url == f"https://www.tiktok.com/@gobchapultepec/video/{posted['id']}"


def test_a_large_video_goes_in_chunks_with_the_trailing_bytes_in_the_last(
    ttfake, account, video, monkeypatch
):
    small_chunks(monkeypatch, ttfake)
    size = video.path.stat().st_size
    assert size > 3 * 4096
    channel_for(account).publish(OutgoingPost(TEXT, media=[video]))

    init = ttfake.requests_to("POST", "/video/init/")[0].json["source_info"]
    assert init["chunk_size"] == 4096 and init["total_chunk_count"] == size // 4096
    [job] = ttfake.publishes.values()
    assert bytes(job["received"]) == video.path.read_bytes()
    ranges = [r.headers["content-range"] for r in ttfake.requests_to("PUT", "/upload/")]
    assert ranges[0] == f"bytes 0-4095/{size}"
    last_start = 4096 * (size // 4096 - 1)
    assert ranges[-1] == f"bytes {last_start}-{size - 1}/{size}"


def test_chunk_plan_follows_tiktoks_rules():
    mb = 1024 * 1024
    assert tt.chunk_plan(3 * mb) == (3 * mb, 1)  # under 5 MB: whole
    assert tt.chunk_plan(60 * mb) == (60 * mb, 1)  # fits one 64 MB chunk
    size, count = tt.chunk_plan(100 * mb + 123)
    assert size == tt.CHUNK_BYTES and count == (100 * mb + 123) // tt.CHUNK_BYTES
    assert 100 * mb + 123 - size * (count - 1) <= 128 * mb
    for total in (65 * mb, 500 * mb, 4096 * mb):
        chunk, count = tt.chunk_plan(total)
        assert 5 * mb <= chunk <= 64 * mb and 1 <= count <= 1000
        assert total - chunk * (count - 1) <= 128 * mb


def test_the_fake_is_as_strict_as_tiktok_about_plans_and_ranges(ttfake):
    auth = {"Authorization": "Bearer at-1"}
    init_url = f"{ttfake.url}/v2/post/publish/inbox/video/init/"
    plan = {"source": "FILE_UPLOAD", "video_size": 3000, "chunk_size": 1000}
    wrong = httpx.post(
        init_url, json={"source_info": {**plan, "total_chunk_count": 3}}, headers=auth
    )
    assert wrong.status_code == 400  # under 5 MB a file goes whole
    whole = {**plan, "chunk_size": 3000, "total_chunk_count": 1}
    upload_url = httpx.post(init_url, json={"source_info": whole}, headers=auth).json()["data"][
        "upload_url"
    ]
    skipped = httpx.put(
        upload_url, content=b"x" * 3000, headers={"Content-Range": "bytes 1-3000/3000"}
    )
    short = httpx.put(
        upload_url, content=b"x" * 1000, headers={"Content-Range": "bytes 0-999/3000"}
    )
    assert skipped.status_code == short.status_code == 416
    done = httpx.put(
        upload_url, content=b"x" * 3000, headers={"Content-Range": "bytes 0-2999/3000"}
    )
    assert done.status_code == 201


def test_processing_raises_not_ready_and_resume_publishes_without_uploading_again(
    ttfake, account, video
):
    ttfake.processing_polls = 1
    channel = channel_for(account, defer=True)
    post = OutgoingPost(TEXT, media=[video])
    with pytest.raises(NotReady) as waiting:
        channel.publish(post)
    assert waiting.value.token.startswith("v:v_pub_file~") and ttfake.videos == []
    result = channel.resume(post, waiting.value.token)
    assert result.remote_id == ttfake.videos[0]["id"]
    assert len(ttfake.requests_to("PUT", "/upload/")) == 1
    assert len(ttfake.requests_to("POST", "/video/init/")) == 1


def test_photos_are_pulled_from_our_public_address(ttfake, account, public, jpeg):
    items = photos(public, jpeg, 3)
    post = OutgoingPost(TEXT, title="Jornada de vacunación", media=items)
    result = channel_for(account).publish(post)

    body = ttfake.requests_to("POST", "/content/init/")[0].json
    assert body["media_type"] == "PHOTO" and body["post_mode"] == "DIRECT_POST"
    assert body["source_info"] == {
        "source": "PULL_FROM_URL",
        "photo_cover_index": 0,
        "photo_images": [i.public_url for i in items],
    }
    assert body["post_info"]["title"] == "Jornada de vacunación"
    assert body["post_info"]["description"] == TEXT
    assert len(public.requests) == 3  # TikTok really downloaded each one
    assert result.remote_url.endswith(f"/photo/{result.remote_id}")


def test_a_truncated_photo_fails_with_the_reason(ttfake, account, public, jpeg):
    items = photos(public, jpeg, 1)
    public.files["/m/0"] = jpeg.read_bytes()[:-200]
    with pytest.raises(ChannelError) as caught:
        channel_for(account).publish(OutgoingPost(TEXT, media=items))
    assert caught.value.permanent
    assert "TikTok no pudo descargar la foto" in caught.value.message
    assert ttfake.videos == []


def test_photos_without_a_public_address_are_refused_before_any_call(ttfake, account, jpeg):
    media = [OutgoingMedia(jpeg, "image/jpeg", "Foto")]
    with pytest.raises(ChannelError) as caught:
        channel_for(account).publish(OutgoingPost(TEXT, media=media))
    assert caught.value.permanent and "PREGON_PUBLIC_URL" in caught.value.message
    assert ttfake.requests_to("POST", "/content/init/") == []


def test_unaudited_app_uploads_to_the_inbox_and_says_a_person_must_publish(ttfake, account, video):
    ttfake.audited = False
    changed = []
    channel = channel_for(account, defer=True)
    channel.on_credentials_changed = changed.append
    post = OutgoingPost(TEXT, media=[video])
    with pytest.raises(NotReady) as waiting:
        channel.publish(post)

    assert waiting.value.token.startswith("i:")
    assert waiting.value.message.startswith(
        "TikTok: el video quedó en la bandeja de la cuenta; ábralo en la app para publicarlo"
    )
    assert waiting.value.retry_after == tt.INBOX_RECHECK
    assert changed[-1]["inbox_only"] is True and changed[-1]["refresh_token"] == "rt-1"
    assert len(ttfake.requests_to("POST", "/inbox/video/init/")) == 1 and ttfake.videos == []
    # Someone opens TikTok and posts the draft: the next look finds it public.
    [publish_id] = [p for p, job in ttfake.publishes.items() if job["mode"] == "inbox"]
    ttfake.creator_posts(publish_id, caption=TEXT)
    result = channel.resume(post, waiting.value.token)
    assert result.remote_id == ttfake.videos[0]["id"]


def test_an_inbox_only_account_never_tries_a_direct_post(ttfake, account, public, jpeg):
    account.credentials["inbox_only"] = True
    items = photos(public, jpeg, 1)
    channel = channel_for(account, defer=True)
    with pytest.raises(NotReady) as waiting:
        channel.publish(OutgoingPost(TEXT, title="Vacunas", media=items))
    [init] = ttfake.requests_to("POST", "/content/init/")
    assert init.json["post_mode"] == "MEDIA_UPLOAD"
    assert waiting.value.message.startswith("TikTok: las fotos quedaron en la bandeja")


def test_an_inbox_draft_nobody_publishes_fails_after_a_week(ttfake, account, video):
    account.credentials["inbox_only"] = True
    channel = channel_for(account, defer=True)
    post = OutgoingPost(TEXT, media=[video])
    with pytest.raises(NotReady) as waiting:
        channel.publish(post)
    mode, publish_id, _ = waiting.value.token.split(":")
    old = (datetime.now(UTC) - timedelta(days=8)).timestamp()
    with pytest.raises(ChannelError) as caught:
        channel.resume(post, f"{mode}:{publish_id}:{int(old)}")
    assert caught.value.permanent and "7 días en la bandeja" in caught.value.message


def test_expired_token_is_refreshed_once_and_the_rotated_one_handed_back(
    ttfake, account, video, attempts
):
    ttfake.expire_access_token("at-1")
    changed = []
    channel = channel_for(account, attempts)
    channel.on_credentials_changed = changed.append
    channel.publish(OutgoingPost(TEXT, media=[video]))

    [new] = changed
    assert new["access_token"] in ttfake.access_tokens and new["refresh_token"] != "rt-1"
    assert "rt-1" not in ttfake.refresh_tokens  # single use: only the stored one works
    assert "refresh_expires_at" in new and "expires_at" in new
    token_call = next(a for a in attempts if a.url.endswith("/v2/oauth/token/"))
    assert new["access_token"] not in token_call.response_text
    assert [a.status for a in attempts[:3]] == [401, 200, 200]


def test_an_old_refresh_token_asks_for_reconnection(ttfake, account, video):
    ttfake.expire_access_token("at-1")
    ttfake.refresh_tokens.pop("rt-1")  # another process already spent it
    with pytest.raises(ChannelError) as caught:
        channel_for(account).publish(OutgoingPost(TEXT, media=[video]))
    assert caught.value.reconnect and "invalid" in caught.value.message
    assert ttfake.videos == []


def test_rate_limit_waits_a_minute_or_what_tiktok_says(ttfake, account, video):
    ttfake.rate_limit()
    with pytest.raises(ChannelError) as caught:
        channel_for(account).publish(OutgoingPost(TEXT, media=[video]))
    assert caught.value.rate_limited and caught.value.retry_after == 60.0
    assert "TikTok pidió esperar" in caught.value.message
    ttfake.rate_limit(retry_after=17)
    with pytest.raises(ChannelError) as caught:
        channel_for(account).publish(OutgoingPost(TEXT, media=[video]))
    assert caught.value.retry_after == 17.0


def test_spam_risk_is_permanent_with_spanish_words(ttfake, account, video):
    body = {"data": {}, "error": {"code": "spam_risk_too_many_posts", "message": "x"}}
    ttfake.fail(403, body, path="/video/init/")
    with pytest.raises(ChannelError) as caught:
        channel_for(account).publish(OutgoingPost(TEXT, media=[video]))
    assert caught.value.permanent and not caught.value.reconnect
    assert "control de spam (spam_risk_too_many_posts)" in caught.value.message


def test_a_video_longer_than_the_creator_may_post_is_refused_before_upload(ttfake, account, video):
    ttfake.creator["max_video_post_duration_sec"] = 3
    with pytest.raises(ChannelError) as caught:
        channel_for(account).publish(OutgoingPost(TEXT, media=[video]))
    assert caught.value.permanent and "permite hasta 3 s" in caught.value.message
    assert ttfake.requests_to("POST", "/video/init/") == []


def test_a_private_account_is_refused_not_posted_privately(ttfake, account, video):
    ttfake.creator["privacy_level_options"] = ["FOLLOWER_OF_CREATOR", "SELF_ONLY"]
    with pytest.raises(ChannelError) as caught:
        channel_for(account).publish(OutgoingPost(TEXT, media=[video]))
    assert caught.value.permanent and "no permite publicar para todos" in caught.value.message


def test_find_existing_pages_back_through_newer_videos(ttfake, account, video):
    started = datetime.now(UTC) - timedelta(minutes=30)
    channel = channel_for(account)
    result = channel.publish(OutgoingPost(TEXT, media=[video]))
    ttfake.add_videos("open-1", 50)
    found = channel.find_existing(OutgoingPost(TEXT), started)
    assert found.remote_id == result.remote_id
    pages = ttfake.requests_to("POST", "/v2/video/list/")
    assert len(pages) == 3 and all(p.json["max_count"] == 20 for p in pages)
    assert "cursor" in pages[1].json


def test_find_existing_says_absent_only_once_tiktok_had_time_to_show_it(ttfake, account):
    ttfake.add_videos("open-1", 5)
    channel = channel_for(account)
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    assert channel.find_existing(OutgoingPost("Nunca enviado"), long_ago) is None
    with pytest.raises(ChannelError) as caught:
        channel.find_existing(OutgoingPost("Nunca enviado"), datetime.now(UTC))
    assert caught.value.uncertain


def test_daily_figures_batch_video_ids_by_twenty(ttfake, account):
    ttfake.add_videos("open-1", 45)
    ids = [v["id"] for v in ttfake.videos]
    figures = channel_for(account).daily_figures(date.today(), [*ids, "p_pub_url~v2-1.9"])
    assert figures.account == {"followers": 6900}
    assert set(figures.posts) == set(ids)
    assert figures.posts[ids[0]] == {"views": 101, "reactions": 50, "comments": 7, "shares": 3}
    batches = [r.json["filters"]["video_ids"] for r in ttfake.requests_to("POST", "/video/query/")]
    assert [len(b) for b in batches] == [20, 20, 5]


def test_test_connection_names_the_account(ttfake, account):
    assert (
        channel_for(account).test_connection() == "TikTok @gobchapultepec (Gobierno de Chapultepec)"
    )


def _draft(text: str, *media: MediaInfo) -> Draft:
    return Draft(text=text, media=list(media))


def test_limits():
    photo = MediaInfo("image/jpeg", 1080, 1920, 500_000, alt_text="Foto")
    clip = MediaInfo("video/mp4", 1080, 1920, 5_000_000, duration=30)
    assert limits.check(_draft(TEXT, clip)) == []
    assert limits.check(_draft(TEXT, *[photo] * 35)) == []
    assert limits.check(_draft(TEXT)) == [
        "TikTok: necesita un video o fotos; TikTok no publica texto solo."
    ]
    assert "de 1 a 35 fotos; hay 36" in " ".join(limits.check(_draft(TEXT, *[photo] * 36)))
    assert "un video va solo" in " ".join(limits.check(_draft(TEXT, clip, photo)))
    png = MediaInfo("image/png", 100, 100, 1000, alt_text="x")
    assert limits.check(_draft(TEXT, png)) == [
        "TikTok: la foto 1 es image/png; debe ser JPEG o WebP."
    ]
    emoji = "🩺" * 1101  # 1,101 characters, 2,202 UTF-16 units
    assert limits.check(_draft(emoji, clip)) == [
        "TikTok: el texto mide 2202 caracteres; el máximo es 2200 (los emoji cuentan 2)."
    ]


def test_a_lost_status_answer_is_retried_not_uncertain(ttfake, account, video):
    ttfake.processing_polls = 1
    channel = channel_for(account, defer=True)
    post = OutgoingPost(TEXT, media=[video])
    with pytest.raises(NotReady) as waiting:
        channel.publish(post)
    ttfake.swallow(path="/status/fetch/")
    with pytest.raises(ChannelError) as caught:
        channel.resume(post, waiting.value.token)
    assert not caught.value.uncertain and not caught.value.permanent
    assert channel.resume(post, waiting.value.token).remote_id == ttfake.videos[0]["id"]


def test_a_photo_post_not_listed_is_left_to_a_person(ttfake, account, jpeg):
    ttfake.add_videos("open-1", 3)
    post = OutgoingPost("Fotos nunca enviadas", media=[OutgoingMedia(jpeg, "image/jpeg", "x")])
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    with pytest.raises(ChannelError) as caught:
        channel_for(account).find_existing(post, long_ago)
    assert caught.value.uncertain and "márquela publicada" in caught.value.message
