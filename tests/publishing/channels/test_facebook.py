"""Facebook Pages against the fake Graph API."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from pregon.publishing.channels import get_channel
from pregon.publishing.channels.base import ChannelError, OutgoingPost

TEXT = "Jornada de vacunación en San Mateo este sábado."


def channel_for(account, attempts=None):
    channel = get_channel(account)
    if attempts is not None:
        channel.on_attempt = attempts.append
    return channel


def test_text_and_link_post(graph, facebook_account, attempts):
    post = OutgoingPost(TEXT, link="https://chapultepec.gob.mx/vacunas")
    result = channel_for(facebook_account, attempts).publish(post)

    [stored] = graph.posts.values()
    assert stored["message"] == TEXT and stored["link"] == "https://chapultepec.gob.mx/vacunas"
    assert result.remote_id in graph.posts
    assert result.remote_url == stored["permalink_url"]
    assert [a.method for a in attempts] == ["POST", "GET"]
    assert attempts[0].status == 200 and attempts[0].url == f"{graph.url}/111/feed"
    assert all("page-token" not in a.url + a.response_text for a in attempts)


def test_photos_are_uploaded_unpublished_then_attached(graph, facebook_account, photo):
    post = OutgoingPost(TEXT, link="https://chapultepec.gob.mx", media=[photo, photo])
    result = channel_for(facebook_account).publish(post)

    uploads = graph.requests_to("POST", "/photos")
    assert len(uploads) == 2
    assert uploads[0].form["published"] == "false"
    assert uploads[0].form["alt_text_custom"] == "Niñas en la feria de salud"
    assert uploads[0].files["source"][1] == photo.path.read_bytes()
    stored = graph.posts[result.remote_id]
    assert stored["attached_media"] == list(graph.photos)
    # A photo post has no link preview: the link travels in the text.
    assert stored["message"] == f"{TEXT}\n\nhttps://chapultepec.gob.mx"


def test_expired_token_asks_for_reconnection(graph, facebook_account):
    graph.expire_token("page-token")
    with pytest.raises(ChannelError) as caught:
        channel_for(facebook_account).publish(OutgoingPost(TEXT))
    assert caught.value.reconnect and caught.value.permanent
    assert "190" in caught.value.message
    assert graph.posts == {}


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_rate_limits_honour_the_usage_header(graph, facebook_account, code):
    graph.rate_limit(code=code, minutes=7)
    with pytest.raises(ChannelError) as caught:
        channel_for(facebook_account).publish(OutgoingPost(TEXT))
    assert caught.value.rate_limited and not caught.value.permanent
    assert caught.value.retry_after == 7 * 60
    assert graph.posts == {}


def test_app_usage_header_without_estimate_waits_the_rolling_hour(graph, facebook_account):
    body = {"error": {"message": "Application request limit reached", "code": 4}}
    graph.fail(400, body, {"X-App-Usage": json.dumps({"call_count": 100, "total_time": 20})})
    with pytest.raises(ChannelError) as caught:
        channel_for(facebook_account).publish(OutgoingPost(TEXT))
    assert caught.value.retry_after == 3600


def test_server_error_is_transient(graph, facebook_account):
    graph.server_error()
    with pytest.raises(ChannelError) as caught:
        channel_for(facebook_account).publish(OutgoingPost(TEXT))
    error = caught.value
    assert not (error.permanent or error.uncertain or error.rate_limited)
    assert error.status == 500 and graph.posts == {}


def test_refused_content_is_permanent(graph, facebook_account):
    graph.fail(400, {"error": {"message": "(#100) Invalid parameter", "code": 100}})
    with pytest.raises(ChannelError) as caught:
        channel_for(facebook_account).publish(OutgoingPost(TEXT))
    assert caught.value.permanent and not caught.value.reconnect


def test_slow_answer_is_uncertain_and_settles_with_find_existing(
    graph, facebook_account, short_timeout
):
    since = datetime.now(UTC) - timedelta(minutes=1)
    graph.slow(1.5, path="/feed")
    channel = channel_for(facebook_account)
    with pytest.raises(ChannelError) as caught:
        channel.publish(OutgoingPost(TEXT))
    assert caught.value.uncertain
    [(post_id, stored)] = graph.posts.items()  # it did go out
    found = channel.find_existing(OutgoingPost(TEXT), since)
    assert found.remote_id == post_id and found.remote_url == stored["permalink_url"]


def test_find_existing_says_none_when_absent(graph, facebook_account):
    channel = channel_for(facebook_account)
    channel.publish(OutgoingPost("Otra noticia"))
    assert channel.find_existing(OutgoingPost(TEXT), datetime.now(UTC) - timedelta(hours=1)) is None


def test_duplicate_506_is_already_published(graph, facebook_account):
    channel = channel_for(facebook_account)
    first = channel.publish(OutgoingPost(TEXT))
    again = channel.publish(OutgoingPost(TEXT))
    assert len(graph.posts) == 1
    assert again.remote_id == first.remote_id


def test_tokens_stay_out_of_the_logs(graph, facebook_account, caplog):
    caplog.set_level("DEBUG")
    channel = channel_for(facebook_account)
    channel.find_existing(OutgoingPost(TEXT), datetime.now(UTC))
    assert graph.requests[0].query["access_token"] == "page-token"  # the query carries it
    assert "page-token" not in caplog.text


def test_connection_names_the_page_and_retries_a_failed_read(graph, facebook_account, attempts):
    graph.server_error()
    assert channel_for(facebook_account, attempts).test_connection() == (
        "Página de Facebook «Gobierno de Chapultepec» (111)"
    )
    assert [a.status for a in attempts] == [500, 200]


def test_duplicate_detection_can_be_switched_off_for_benchmarks(graph, facebook_account):
    graph.detect_duplicates = False
    channel = channel_for(facebook_account)
    assert (
        channel.publish(OutgoingPost(TEXT)).remote_id
        != channel.publish(OutgoingPost(TEXT)).remote_id
    )


def test_video_is_uploaded_with_its_subtitles(graph, facebook_account, clip, attempts):
    post = OutgoingPost(TEXT, link="https://chapultepec.gob.mx", title="Sesión", media=[clip])
    result = channel_for(facebook_account, attempts).publish(post)

    [upload] = graph.requests_to("POST", "/111/videos")
    assert upload.files["source"][1] == clip.path.read_bytes()
    assert upload.form["description"] == f"{TEXT}\n\nhttps://chapultepec.gob.mx"
    [video] = graph.videos.values()
    assert result.remote_id in graph.videos
    assert video["captions"] == [{"locale": "es_LA", "srt": clip.captions_srt.read_text()}]
    # Meta answers a path for a video's permalink; the link stored is absolute.
    assert result.remote_url == f"https://www.facebook.com/111/videos/{result.remote_id}/"
    assert graph.requests_to("POST", "/photos") == []


def test_refused_subtitles_do_not_fail_a_published_video(graph, facebook_account, clip):
    clip.captions_srt.write_text("no es un srt")
    result = channel_for(facebook_account).publish(OutgoingPost(TEXT, media=[clip]))
    assert graph.videos[result.remote_id]["captions"] == []
    assert len(graph.requests_to("POST", "/captions")) == 1
