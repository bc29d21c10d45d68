"""The YouTube connector against a fake Google on 127.0.0.1: resumable uploads in
256 KiB chunks that go on where they stopped, processing, subtitles and thumbnail,
tokens refreshed once, quota, settling by the mark in the tags, live broadcasts."""

import os
from datetime import UTC, datetime, timedelta

import pytest

from pregon.publishing.channels.base import (
    AccountConfig,
    ChannelError,
    NotReady,
    OutgoingMedia,
    OutgoingPost,
)
from pregon.publishing.channels.limits import Draft, MediaInfo
from pregon.publishing.channels.live import Broadcast, LiveRequest, LiveState
from pregon.publishing.channels.youtube import NETWORK, limits
from pregon.publishing.channels.youtube.api import until_pacific_midnight
from pregon.publishing.channels.youtube.connector import YouTubeChannel
from pregon.publishing.channels.youtube.live import iso_duration
from tests.publishing.fakes.youtube import UNIT, YouTubeFake, google_error

TEXT = "Sesión de cabildo: aprobamos el presupuesto participativo #Chapultepec #Cabildo"
LINK = "https://chapultepec.gob.mx/cabildo"


@pytest.fixture
def yt(settings):
    with YouTubeFake() as fake:
        fake.add_channel(
            "UC1", "Gobierno de Chapultepec", access_token="at-1", refresh_token="rt-1"
        )
        settings.PREGON_YOUTUBE_TOKEN_URL = f"{fake.url}/token"
        settings.PREGON_YOUTUBE_ANALYTICS_URL = fake.url
        settings.PREGON_YOUTUBE_CLIENT_ID = fake.client_id
        settings.PREGON_YOUTUBE_CLIENT_SECRET = fake.client_secret
        yield fake


@pytest.fixture
def channel(yt) -> YouTubeChannel:
    credentials = {"access_token": "at-1", "refresh_token": "rt-1", "client_id": yt.client_id}
    channel = YouTubeChannel(AccountConfig("youtube", "UC1", yt.url, credentials))
    channel.poll_interval = 0.01
    return channel


@pytest.fixture
def big_clip(tmp_path, clip) -> OutgoingMedia:
    """A «video» of 2.5 chunks of 256 KiB (the fake checks the MP4 signature only)."""
    path = tmp_path / "largo.mp4"
    path.write_bytes(b"\0\0\0\x18ftypmp42" + os.urandom(UNIT * 2 + UNIT // 2))
    return OutgoingMedia(path, "video/mp4", captions_srt=clip.captions_srt)


def _post(*media, reference="pregon-7", title="Sesión de cabildo") -> OutgoingPost:
    return OutgoingPost(TEXT, LINK, title, list(media), reference)


def test_video_goes_up_with_its_metadata_subtitles_and_thumbnail(yt, channel, clip, photo):
    result = channel.publish(_post(clip, photo))
    [video] = yt.uploaded("UC1")
    assert result.remote_url == f"https://www.youtube.com/watch?v={result.remote_id}"
    assert yt.videos[result.remote_id] is video and video["bytes"] == clip.path.read_bytes()
    snippet = video["snippet"]
    assert snippet["title"] == "Sesión de cabildo"
    assert snippet["description"] == f"{TEXT} {LINK}"
    assert snippet["tags"] == ["pregon-7", "Chapultepec", "Cabildo"]
    assert video["privacy"] == "public"
    [caption] = video["captions"]
    assert caption["snippet"]["language"] == "es" and "Se abre la sesión" in caption["text"]
    assert video["thumbnail"] == photo.path.read_bytes()
    [opened] = yt.requests_to("POST", "/upload/youtube/v3/videos")
    assert opened.headers["x-upload-content-length"] == str(clip.path.stat().st_size)


def test_title_is_the_first_line_when_the_publication_has_none(yt, channel, clip):
    channel.publish(OutgoingPost("Primera línea\nSegunda línea", "", "", [clip], "pregon-8"))
    [video] = yt.uploaded("UC1")
    assert video["snippet"]["title"] == "Primera línea"


def test_bytes_go_in_256_kib_chunks_each_with_its_range(yt, channel, big_clip):
    channel.chunk_bytes = UNIT
    channel.publish(_post(big_clip))
    [session] = yt.sessions.values()
    size = big_clip.path.stat().st_size
    assert session["chunks"] == [(0, UNIT - 1), (UNIT, 2 * UNIT - 1), (2 * UNIT, size - 1)]
    assert len(yt.uploaded("UC1")) == 1


def test_session_is_handed_to_the_engine_before_any_byte(yt, channel, big_clip):
    channel.defer_waits = True
    with pytest.raises(NotReady) as wait:
        channel.publish(_post(big_clip))
    [session] = yt.sessions.values()
    assert session["data"] == b"" and wait.value.retry_after < 1
    assert "upload_id" not in wait.value.token  # the session's address travels encrypted
    assert yt.uploaded("UC1") == []


def test_a_break_mid_upload_goes_on_where_the_session_stands(yt, channel, big_clip):
    """The second chunk arrives but its answer is lost: the next look asks the session
    (bytes */N → 308 Range) and sends only what is missing, in the same session."""
    channel.chunk_bytes = UNIT
    channel.defer_waits = True
    with pytest.raises(NotReady) as wait:
        channel.publish(_post(big_clip))
    yt.lose_answer_to_chunk = 2
    with pytest.raises(ChannelError) as lost:
        channel.resume(_post(big_clip), wait.value.token)
    assert not lost.value.uncertain and not lost.value.permanent
    assert "sin subirlo dos veces" in lost.value.message
    result = channel.resume(_post(big_clip), wait.value.token)
    [session] = yt.sessions.values()
    size = big_clip.path.stat().st_size
    assert session["chunks"] == [(0, UNIT - 1), (UNIT, 2 * UNIT - 1), (2 * UNIT, size - 1)]
    assert [v for v in yt.uploaded("UC1")] == [yt.videos[result.remote_id]]
    assert yt.videos[result.remote_id]["bytes"] == big_clip.path.read_bytes()
    assert len(yt.requests_to("POST", "/upload/youtube/v3/videos")) == 1


def test_processing_is_waited_for_then_subtitles_once(yt, channel, clip):
    yt.processing_polls = 2
    channel.defer_waits = True
    post = _post(clip)
    with pytest.raises(NotReady) as session:
        channel.publish(post)
    with pytest.raises(NotReady) as processing:
        channel.resume(post, session.value.token)
    assert processing.value.token.startswith("v|") and processing.value.retry_after >= 1
    [video] = yt.uploaded("UC1")
    assert video["captions"] == []  # nothing added while YouTube processes
    with pytest.raises(NotReady):
        channel.resume(post, processing.value.token)
    result = channel.resume(post, processing.value.token)
    again = channel.resume(post, session.value.token)  # a lost answer: asked again
    assert again.remote_id == result.remote_id and len(yt.uploaded("UC1")) == 1
    assert len(yt.videos[result.remote_id]["captions"]) == 1


def test_a_rejected_upload_fails_with_youtubes_reason(yt, channel, clip):
    yt.reject = "duplicate"
    with pytest.raises(ChannelError) as refused:
        channel.publish(_post(clip))
    assert refused.value.permanent
    assert "YouTube ya tiene ese mismo video en el canal" in refused.value.message


def test_a_thumbnail_youtube_refuses_does_not_undo_the_video(yt, channel, clip, photo):
    yt.thumbnails_allowed = False
    result = channel.publish(_post(clip, photo))
    assert yt.videos[result.remote_id]["thumbnail"] is None
    assert len(yt.videos[result.remote_id]["captions"]) == 1


def test_expired_session_is_looked_for_then_opened_again(yt, channel, clip):
    channel.defer_waits = True
    with pytest.raises(NotReady) as wait:
        channel.publish(_post(clip))
    yt.sessions.clear()  # a week later: Google forgot it
    with pytest.raises(NotReady) as again:
        channel.resume(_post(clip), wait.value.token)
    assert again.value.token != wait.value.token and len(yt.sessions) == 1
    assert yt.requests_to("GET", "/youtube/v3/playlistItems")  # looked first


def test_used_up_quota_waits_until_pacific_midnight(yt, channel, clip):
    yt.quota_exceeded(times=1)
    with pytest.raises(ChannelError) as limited:
        channel.publish(_post(clip))
    assert limited.value.rate_limited and not limited.value.permanent
    assert abs(limited.value.retry_after - until_pacific_midnight()) < 5
    assert "medianoche hora del Pacífico" in limited.value.message
    assert yt.sessions == {}


def test_pacific_midnight():
    noon = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)  # 12:00 in California (PST)
    assert until_pacific_midnight(noon) == 12 * 3600 + 60


def test_server_error_opening_the_upload_is_transient(yt, channel, clip):
    yt.fail(503, {"error": {"code": 503, "message": "Backend Error", "errors": []}}, times=1)
    with pytest.raises(ChannelError) as transient:
        channel.publish(_post(clip))
    assert not transient.value.permanent and not transient.value.uncertain


def test_expired_token_is_refreshed_once_and_the_new_pair_stored(yt, channel, clip):
    stored = []
    channel.on_credentials_changed = stored.append
    yt.expire_access_token("at-1")
    channel.publish(_post(clip))
    [new] = stored
    assert new["access_token"] != "at-1" and new["refresh_token"] != "rt-1"
    assert "rt-1" not in yt.refresh_tokens  # single-use: the old one is spent
    assert len(yt.requests_to("POST", "/token")) == 1


def test_revoked_access_asks_for_reconnection(yt, channel, clip):
    yt.expire_access_token("at-1")
    yt.revoke_refresh_token("rt-1")
    with pytest.raises(ChannelError) as refused:
        channel.publish(_post(clip))
    assert refused.value.reconnect
    assert "Vuelva a conectarla en Publicaciones › Canales" in refused.value.message


def test_find_existing_reads_every_page_back_to_the_start(yt, channel, clip):
    since = datetime.now(UTC) - timedelta(minutes=5)
    result = channel.publish(_post(clip))
    yt.add_videos("UC1", 120)  # three pages of 50 newer than ours
    assert channel.find_existing(_post(clip), since).remote_id == result.remote_id
    pages = yt.requests_to("GET", "/youtube/v3/playlistItems")
    assert [p.query.get("pageToken", "") for p in pages] == ["", "50", "100"]
    assert channel.find_existing(_post(clip, reference="pregon-99"), since) is None


def test_a_page_that_fails_means_cannot_tell(yt, channel, clip):
    yt.add_videos("UC1", 60)
    since = datetime.now(UTC) - timedelta(minutes=5)
    real = yt.route

    def route(request):
        if request.query.get("pageToken"):
            return yt.fail_answer
        return real(request)

    yt.fail_answer = google_error(500, "backendError", "Backend Error")
    yt.route = route
    with pytest.raises(ChannelError) as unsure:
        channel.find_existing(_post(clip), since)
    assert unsure.value.message and not unsure.value.permanent


def test_connection_names_the_channel(channel):
    assert channel.test_connection() == "YouTube · Gobierno de Chapultepec (UC1)"


# Live broadcasts ------------------------------------------------------------------------


def _request(minutes: int = 60) -> LiveRequest:
    start = datetime.now(UTC) + timedelta(minutes=minutes)
    return LiveRequest("Informe de gobierno", "En vivo desde el cabildo.", start, "unlisted")


def test_live_schedule_binds_a_stream_and_gives_obs_its_address(yt, channel):
    calls = []
    channel.on_attempt = calls.append
    broadcast = channel.live_schedule(_request())
    stored = yt.broadcasts[broadcast.remote_id]
    stream = yt.streams[broadcast.extra["stream_id"]]
    assert stored["stream"] == broadcast.extra["stream_id"] and stored["life"] == "ready"
    assert stored["status"]["privacyStatus"] == "unlisted"
    assert broadcast.state == LiveState.SCHEDULED
    assert broadcast.ingest_url.startswith("rtmps://") and broadcast.stream_key == stream["key"]
    assert broadcast.watch_url == f"https://www.youtube.com/watch?v={broadcast.remote_id}"
    assert stream["body"]["cdn"] == {
        "ingestionType": "rtmp",
        "resolution": "variable",
        "frameRate": "variable",
    }
    assert all(stream["key"] not in call.response_text for call in calls)  # a secret


def test_a_stream_youtube_refuses_leaves_no_half_made_broadcast(yt, channel):
    yt.fail(400, {"error": {"code": 400, "message": "bad", "errors": []}}, path="liveStreams")
    with pytest.raises(ChannelError) as refused:
        channel.live_schedule(_request())
    assert refused.value.permanent and yt.broadcasts == {} and yt.streams == {}


def test_live_moves_goes_live_ends_and_keeps_its_recording(yt, channel):
    broadcast = channel.live_schedule(_request())
    later = _request(minutes=180)
    moved = channel.live_update(broadcast, later)
    assert yt.broadcasts[broadcast.remote_id]["snippet"]["scheduledStartTime"].startswith(
        later.planned_start.strftime("%Y-%m-%dT%H:%M")
    )
    assert moved.stream_key == broadcast.stream_key
    assert channel.live_recording(broadcast) is None
    yt.go_live(broadcast.remote_id)
    assert channel.live_status(broadcast).state == LiveState.LIVE
    with pytest.raises(ChannelError) as live:
        channel.live_cancel(broadcast)
    assert "ya está en vivo" in live.value.message
    yt.finish(broadcast.remote_id, "PT1H2M3S")
    assert channel.live_status(broadcast).state == LiveState.ENDED
    recording = channel.live_recording(broadcast)
    assert recording.duration_seconds == 3723 and recording.watch_url == broadcast.watch_url


def test_a_broadcast_that_never_starts_stays_scheduled_until_cancelled(yt, channel):
    broadcast = channel.live_schedule(_request(minutes=1))
    stored = yt.broadcasts[broadcast.remote_id]
    stored["snippet"]["scheduledStartTime"] = "2020-01-01T10:00:00.000Z"  # long past
    assert channel.live_status(broadcast).state == LiveState.SCHEDULED
    assert channel.live_recording(broadcast) is None
    channel.live_cancel(broadcast)
    assert yt.broadcasts == {} and yt.streams == {}
    assert channel.live_status(broadcast).state == LiveState.CANCELLED
    channel.live_cancel(broadcast)  # again: already gone is fine


def test_revoked_broadcast_is_cancelled(yt, channel):
    broadcast = channel.live_schedule(_request())
    yt.revoke(broadcast.remote_id)
    assert channel.live_status(Broadcast(broadcast.remote_id)).state == LiveState.CANCELLED


def test_iso_durations():
    assert iso_duration("PT1H2M3S") == 3723
    assert iso_duration("P1DT2H") == 93600
    assert iso_duration("PT0S") == 0
    assert iso_duration("") is None


# Limits -------------------------------------------------------------------------------


def _video(**kw) -> MediaInfo:
    return MediaInfo("video/mp4", 1920, 1080, 10_000_000, duration=30.0, **kw)


def test_limits():
    ok = Draft("Texto del video", [_video()], "Título")
    assert limits.check(ok) == []
    assert limits.check(Draft("Texto", [], "Título")) == [
        "YouTube: necesita un video; agregue uno a la publicación."
    ]
    long_title = limits.check(Draft("Texto", [_video()], "x" * 101))
    assert long_title == ["YouTube: el título mide 101 caracteres; el máximo es 100."]
    bytes_over = limits.check(Draft("ñ" * 2501, [_video()], "Título"))
    assert "5,002 bytes" in bytes_over[0]
    angles = limits.check(Draft("a <b> c", [_video()], "Título"))
    assert angles == ["YouTube: el texto no puede llevar «<» ni «>»; quítelos."]
    two = limits.check(Draft("Texto", [_video(), _video()], "Título"))
    assert two == ["YouTube: publica un video a la vez; hay 2."]
    image = MediaInfo("image/gif", 100, 100, 3 * 1024 * 1024, "Foto")
    thumb = limits.check(Draft("Texto", [_video(), image], "Título"))
    assert len(thumb) == 2 and "JPEG o PNG" in thumb[0] and "2 MiB" in thumb[1]
    words = " ".join(["palabra"] * 20)  # 159 characters
    assert limits.title_of("", words) == " ".join(["palabra"] * 12)
    assert limits.title_of(words, "Texto") == " ".join(["palabra"] * 12)


def test_network_declares_what_it_is():
    assert NETWORK.needs_media and NETWORK.figures and NETWORK.live
    assert NETWORK.text_with_link("Texto", LINK) == f"Texto {LINK}"


def test_preview_shows_the_title_and_folds_the_description_after_three_lines():
    from pregon.publishing.channels.preview import Sketch

    text = "Uno.\nDos.\nTres.\nCuatro."
    preview = NETWORK.preview(Sketch("youtube", text, LINK, "", (1920, 1080), 1, True))
    assert preview.title == "Uno." and preview.folded and preview.text == "Uno.\nDos.\nTres"
    assert preview.counter == f"{len((text + ' ' + LINK).encode()):,} de 5,000 bytes de descripción"
