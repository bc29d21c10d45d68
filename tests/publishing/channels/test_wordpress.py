"""The web portal through the fake WordPress REST API."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from pregon.publishing.channels import get_channel
from pregon.publishing.channels.base import AccountConfig, ChannelError, OutgoingPost

TEXT = "Nueva clínica en San Mateo\n\nLa presidenta municipal inauguró la clínica <del> barrio."


def test_post_with_featured_image_and_more_images(wp, wp_account, photo):
    second = replace(photo, alt_text="Fachada de la clínica")
    post = OutgoingPost(TEXT, link="https://chapultepec.gob.mx/salud", media=[photo, second])
    result = get_channel(wp_account).publish(post)

    first_id, second_id = wp.media
    assert wp.media[first_id]["alt_text"] == "Niñas en la feria de salud"
    assert wp.media[first_id]["bytes"] == photo.path.stat().st_size
    created = wp.posts[int(result.remote_id)]
    assert created["status"] == "publish" and created["featured_media"] == first_id
    assert created["title"]["raw"] == "Nueva clínica en San Mateo"
    content = created["content"]["raw"]
    assert "&lt;del&gt;" in content  # our text is escaped, never HTML
    assert '<a href="https://chapultepec.gob.mx/salud">' in content
    assert wp.media[second_id]["source_url"] in content and 'alt="Fachada de la clínica"' in content
    assert result.remote_url == created["link"]
    upload = wp.requests_to("POST", "/media")[0]
    assert upload.headers["content-disposition"] == 'attachment; filename="feria.jpg"'


def test_explicit_title_wins(wp, wp_account):
    result = get_channel(wp_account).publish(OutgoingPost(TEXT, title="Salud para todos"))
    assert wp.posts[int(result.remote_id)]["title"]["raw"] == "Salud para todos"


def test_wrong_application_password_asks_for_reconnection(wp, wp_account):
    wp.revoke("comunicacion")
    with pytest.raises(ChannelError) as caught:
        get_channel(wp_account).publish(OutgoingPost(TEXT))
    assert caught.value.reconnect and "incorrect_password" in caught.value.message
    assert wp.posts == {}


def test_429_honours_retry_after(wp, wp_account):
    wp.rate_limit(retry_after=45)
    with pytest.raises(ChannelError) as caught:
        get_channel(wp_account).publish(OutgoingPost(TEXT))
    assert caught.value.rate_limited and caught.value.retry_after == 45


def test_500_is_transient(wp, wp_account):
    wp.fail(500, {"code": "internal_server_error", "message": "Error", "data": {"status": 500}})
    with pytest.raises(ChannelError) as caught:
        get_channel(wp_account).publish(OutgoingPost(TEXT))
    assert not (caught.value.permanent or caught.value.uncertain)


def test_slow_post_is_uncertain_and_settles(wp, wp_account, short_timeout):
    since = datetime.now(UTC) - timedelta(minutes=1)
    wp.slow(1.5, path="/posts")
    channel = get_channel(wp_account)
    with pytest.raises(ChannelError) as caught:
        channel.publish(OutgoingPost(TEXT, reference="pregon-7"))
    assert caught.value.uncertain
    [post_id] = wp.posts
    assert wp.posts[post_id]["slug"].endswith("-pregon-7")  # set by Pregón before sending
    wp.add_posts(150)  # a busy portal: the lookup is by slug, not among the newest
    assert channel.find_existing(OutgoingPost(TEXT, reference="pregon-7"), since).remote_id == str(
        post_id
    )
    # Same text, another delivery: not ours.
    assert channel.find_existing(OutgoingPost(TEXT, reference="pregon-8"), since) is None


def test_slow_media_upload_is_only_transient(wp, wp_account, photo, short_timeout):
    wp.slow(1.5, path="/media")
    with pytest.raises(ChannelError) as caught:
        get_channel(wp_account).publish(OutgoingPost(TEXT, media=[photo]))
    assert not caught.value.uncertain and wp.posts == {}


def test_missing_address_or_credentials_refuse_before_calling():
    no_url = AccountConfig("wordpress", "", "", {"username": "a", "application_password": "b"})
    with pytest.raises(ChannelError) as caught:
        get_channel(no_url).publish(OutgoingPost(TEXT))
    assert caught.value.permanent
    no_password = AccountConfig("wordpress", "", "http://127.0.0.1:9", {"username": "a"})
    with pytest.raises(ChannelError) as caught:
        get_channel(no_password).publish(OutgoingPost(TEXT))
    assert caught.value.reconnect


def test_connection_names_the_user(wp, wp_account):
    assert get_channel(wp_account).test_connection() == f"Portal {wp.url}: usuario «comunicacion»"


def test_video_plays_on_the_portal_with_its_subtitles(wp, wp_account, photo, clip):
    result = get_channel(wp_account).publish(OutgoingPost(TEXT, media=[photo, clip]))

    image_id, video_id, track_id = wp.media
    assert wp.media[video_id]["mime_type"] == "video/mp4"
    assert wp.media[video_id]["bytes"] == clip.path.stat().st_size
    upload = wp.requests_to("POST", "/media")[1]  # streamed, with its length declared
    assert upload.headers["content-length"] == str(clip.path.stat().st_size)
    assert "transfer-encoding" not in upload.headers
    assert wp.media[track_id]["mime_type"] == "text/vtt"
    created = wp.posts[int(result.remote_id)]
    assert created["featured_media"] == image_id  # a video is never the featured image
    content = created["content"]["raw"]
    assert f'<video controls preload="metadata" src="{wp.media[video_id]["source_url"]}">' in (
        content
    )
    assert (
        f'<track kind="captions" src="{wp.media[track_id]["source_url"]}" srclang="es" '
        'label="Español" default>' in content
    )
