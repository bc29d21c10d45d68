"""X API v2 against the fake X server."""

from datetime import UTC, datetime, timedelta

import pytest

from pregon.publishing.channels import get_channel
from pregon.publishing.channels.base import ChannelError, OutgoingPost
from pregon.publishing.channels.x import connector as x

TEXT = "Hoy inicia la campaña de reforestación en el cerro de San Mateo."


def channel_for(account, attempts=None):
    channel = get_channel(account)
    channel.poll_interval = 0
    if attempts is not None:
        channel.on_attempt = attempts.append
    return channel


def test_text_post_with_link(xfake, x_account):
    result = channel_for(x_account).publish(OutgoingPost(TEXT, link="https://chapultepec.gob.mx/a"))
    [request] = xfake.requests_to("POST", "/2/tweets")
    assert request.headers["authorization"] == "Bearer at-1"
    assert request.json == {"text": f"{TEXT} https://chapultepec.gob.mx/a"}
    assert result.remote_id in xfake.tweets
    assert result.remote_url == f"https://x.com/i/web/status/{result.remote_id}"


def test_chunked_media_upload_with_processing_and_alt_text(xfake, x_account, photo, monkeypatch):
    monkeypatch.setattr(x, "CHUNK_BYTES", 4096)
    xfake.media_polls = 1
    result = channel_for(x_account).publish(OutgoingPost(TEXT, media=[photo]))

    [media_id] = xfake.uploads
    upload = xfake.uploads[media_id]
    size = photo.path.stat().st_size
    assert len(upload["segments"]) == -(-size // 4096)  # ceil: every chunk arrived
    assert b"".join(upload["segments"][i] for i in sorted(upload["segments"])) == (
        photo.path.read_bytes()
    )
    init = xfake.requests_to("POST", "/initialize")[0].json
    assert init == {
        "media_type": "image/jpeg",
        "total_bytes": size,
        "media_category": "tweet_image",
    }
    assert xfake.requests_to("GET", "/2/media/upload")[0].query["command"] == "STATUS"
    assert upload["alt_text"] == "Niñas en la feria de salud"
    assert xfake.tweets[result.remote_id]["media_ids"] == [media_id]


def test_expired_token_is_refreshed_and_handed_back(xfake, x_account, attempts):
    xfake.expire_access_token("at-1")
    changed = []
    channel = channel_for(x_account, attempts)
    channel.on_credentials_changed = changed.append
    result = channel.publish(OutgoingPost(TEXT))

    assert result.remote_id in xfake.tweets
    [new] = changed
    assert new["access_token"] in xfake.access_tokens and new["refresh_token"] != "rt-1"
    assert new["client_id"] == "pregon-app" and "expires_at" in new
    assert "rt-1" not in xfake.refresh_tokens  # rotated: only the stored one works now
    token_call = next(a for a in attempts if a.url.endswith("/2/oauth2/token"))
    assert new["access_token"] not in token_call.response_text
    assert [a.status for a in attempts] == [401, 200, 201]


def test_revoked_refresh_token_asks_for_reconnection(xfake, x_account):
    xfake.expire_access_token("at-1")
    xfake.revoke_refresh_token("rt-1")
    with pytest.raises(ChannelError) as caught:
        channel_for(x_account).publish(OutgoingPost(TEXT))
    assert caught.value.reconnect and xfake.tweets == {}


def test_429_waits_until_the_reset(xfake, x_account):
    xfake.rate_limit(reset_in=120)
    with pytest.raises(ChannelError) as caught:
        channel_for(x_account).publish(OutgoingPost(TEXT))
    assert caught.value.rate_limited
    assert 115 <= caught.value.retry_after <= 121
    assert xfake.tweets == {}


def test_500_is_transient(xfake, x_account):
    xfake.fail(503, {"title": "Service Unavailable", "status": 503}, path="/2/tweets")
    with pytest.raises(ChannelError) as caught:
        channel_for(x_account).publish(OutgoingPost(TEXT))
    assert not (caught.value.permanent or caught.value.uncertain)


def test_invalid_request_is_permanent(xfake, x_account):
    with pytest.raises(ChannelError) as caught:
        channel_for(x_account).publish(OutgoingPost(""))
    assert caught.value.permanent and caught.value.status == 400


def test_slow_answer_is_uncertain_and_settles_despite_tco_links(xfake, x_account, short_timeout):
    since = datetime.now(UTC) - timedelta(minutes=1)
    post = OutgoingPost(TEXT, link="https://chapultepec.gob.mx/reforestacion")
    xfake.slow(1.5, path="/2/tweets")
    channel = channel_for(x_account)
    with pytest.raises(ChannelError) as caught:
        channel.publish(post)
    assert caught.value.uncertain
    [tweet_id] = xfake.tweets
    assert channel.find_existing(post, since).remote_id == tweet_id
    assert channel.find_existing(OutgoingPost("Otro texto"), since) is None


def test_duplicate_is_already_published(xfake, x_account):
    channel = channel_for(x_account)
    first = channel.publish(OutgoingPost(TEXT))
    assert channel.publish(OutgoingPost(TEXT)).remote_id == first.remote_id
    assert len(xfake.tweets) == 1


def test_connection_names_the_account(xfake, x_account):
    assert channel_for(x_account).test_connection() == "X @gobchapultepec (42)"


def test_rate_limit_reset_without_header_waits_a_window(xfake, x_account):
    xfake.fail(429, {"title": "Too Many Requests", "status": 429})
    with pytest.raises(ChannelError) as caught:
        channel_for(x_account).publish(OutgoingPost(TEXT))
    assert caught.value.retry_after == 900


def test_lost_token_answer_is_transient_not_uncertain(xfake, x_account, short_timeout):
    xfake.expire_access_token("at-1")
    xfake.slow(1.5, path="/2/oauth2/token")
    with pytest.raises(ChannelError) as caught:
        channel_for(x_account).publish(OutgoingPost(TEXT))
    error = caught.value
    assert not (error.uncertain or error.permanent) and "renovar" in error.message
    assert xfake.tweets == {}


def test_video_with_subtitles_waits_for_processing(xfake, x_account, clip):
    result = channel_for(x_account).publish(OutgoingPost(TEXT, media=[clip]))

    video_id, subtitle_id = list(xfake.uploads)
    video, subtitle = xfake.uploads[video_id], xfake.uploads[subtitle_id]
    assert video["media_category"] == "tweet_video" and video["state"] == "succeeded"
    assert b"".join(video["segments"].values()) == clip.path.read_bytes()
    assert subtitle["media_category"] == "subtitles" and subtitle["media_type"] == "text/srt"
    assert video["subtitles"] == {
        "id": subtitle_id,
        "language_code": "ES",
        "display_name": "Español",
    }
    # The video was transcoded (polled) before the post, which carries only the video.
    assert xfake.requests_to("GET", "/2/media/upload")
    assert xfake.tweets[result.remote_id]["media_ids"] == [video_id]
    assert "alt_text" not in video


def test_refused_subtitles_stop_the_post(xfake, x_account, clip):
    clip.captions_srt.write_text("sin marcas de tiempo")
    with pytest.raises(ChannelError, match="Subtítulos"):
        channel_for(x_account).publish(OutgoingPost(TEXT, media=[clip]))
    assert xfake.tweets == {}


def test_eight_workers_refresh_the_single_use_token_once(xfake, x_account):
    """Eight connectors (as in eight processes) find the access token expired at
    once. With the account's lock only the first spends the refresh token; the
    others read the pair it stored and use it. Without it, six would fail."""
    import threading
    from contextlib import contextmanager
    from dataclasses import replace

    xfake.expire_access_token("at-1")
    xfake.latency = 0.05  # a token answer takes time, as on the real network
    stored = {"credentials": dict(x_account.credentials)}
    lock = threading.Lock()

    @contextmanager
    def guard():
        with lock:
            yield dict(stored["credentials"])

    def store(credentials: dict) -> None:
        stored["credentials"] = credentials  # called inside guard(), before release

    def worker(n: int) -> str:
        channel = get_channel(replace(x_account, credentials=dict(x_account.credentials)))
        channel.credentials_guard, channel.on_credentials_changed = guard, store
        return channel.publish(OutgoingPost(f"{TEXT} ({n})")).remote_id

    barrier = threading.Barrier(8)
    results: list = []

    def run(n: int) -> None:
        barrier.wait()
        try:
            results.append(worker(n))
        except ChannelError as exc:
            results.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [r for r in results if isinstance(r, ChannelError)] == []
    assert len(xfake.tweets) == 8
    assert len(xfake.requests_to("POST", "/2/oauth2/token")) == 1
    assert stored["credentials"]["refresh_token"] in xfake.refresh_tokens
