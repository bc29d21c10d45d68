"""Instagram content publishing against the fake Graph API."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from pregon.publishing.channels import get_channel
from pregon.publishing.channels.base import ChannelError, OutgoingPost

CAPTION = "Feria de la salud en el jardín municipal #Chapultepec"


def instagram(account):
    channel = get_channel(account)
    channel.poll_interval = 0  # the fake finishes containers after a few polls
    return channel


def test_single_image_waits_for_the_container_then_publishes(graph, instagram_account, photo):
    graph.container_polls = 2
    result = instagram(instagram_account).publish(OutgoingPost(CAPTION, media=[photo]))

    [create] = [r for r in graph.requests_to("POST", "/178/media") if r.path == "/178/media"]
    assert create.form["image_url"] == "https://pregon.example/m/1"
    assert create.form["caption"] == CAPTION
    assert create.form["alt_text"] == "Niñas en la feria de salud"
    [container_id] = graph.containers
    polls = [r for r in graph.requests if r.path == f"/{container_id}"]
    assert len(polls) == 3  # IN_PROGRESS, IN_PROGRESS, FINISHED
    [publish] = graph.requests_to("POST", "/media_publish")
    assert publish.form["creation_id"] == container_id
    assert graph.media[result.remote_id]["caption"] == CAPTION
    assert result.remote_url == graph.media[result.remote_id]["permalink"]
    # The publishing limit is read before anything is created.
    assert "content_publishing_limit" in graph.requests[0].path


def test_carousel_children_then_carousel_container(graph, instagram_account, photo):
    media = [replace(photo, public_url=f"https://pregon.example/m/{n}") for n in range(3)]
    instagram(instagram_account).publish(OutgoingPost(CAPTION, media=media))

    creates = [r for r in graph.requests_to("POST", "/178/media") if r.path == "/178/media"]
    children, carousel = creates[:3], creates[3]
    assert all(c.form["is_carousel_item"] == "true" and "caption" not in c.form for c in children)
    assert carousel.form["media_type"] == "CAROUSEL"
    assert carousel.form["children"] == ",".join(list(graph.containers)[:3])
    assert carousel.form["caption"] == CAPTION
    assert len(graph.media) == 1


def test_refuses_early_without_a_public_url(graph, instagram_account, photo):
    post = OutgoingPost(CAPTION, media=[photo, replace(photo, public_url="")])
    with pytest.raises(ChannelError) as caught:
        instagram(instagram_account).publish(post)
    assert caught.value.permanent
    assert "imagen 2" in caught.value.message and "PREGON_PUBLIC_URL" in caught.value.message
    assert graph.requests == []


def test_used_up_publishing_limit_is_rate_limited(graph, instagram_account, photo):
    graph.quota_usage = 100
    with pytest.raises(ChannelError) as caught:
        instagram(instagram_account).publish(OutgoingPost(CAPTION, media=[photo]))
    assert caught.value.rate_limited and caught.value.retry_after == 3600
    assert graph.containers == {}


def test_container_error_is_permanent(graph, instagram_account, photo):
    graph.container_error = True
    with pytest.raises(ChannelError) as caught:
        instagram(instagram_account).publish(OutgoingPost(CAPTION, media=[photo]))
    assert caught.value.permanent and "ERROR" in caught.value.message
    assert graph.media == {}


def test_slow_container_creation_is_only_transient(graph, instagram_account, photo, short_timeout):
    # An unanswered container is invisible: retrying cannot post twice.
    graph.slow(1.5, path="/178/media")
    with pytest.raises(ChannelError) as caught:
        instagram(instagram_account).publish(OutgoingPost(CAPTION, media=[photo]))
    assert not caught.value.uncertain and not caught.value.permanent


def test_slow_publish_is_uncertain_and_settles(graph, instagram_account, photo, short_timeout):
    since = datetime.now(UTC) - timedelta(minutes=1)
    graph.slow(1.5, path="/media_publish")
    channel = instagram(instagram_account)
    with pytest.raises(ChannelError) as caught:
        channel.publish(OutgoingPost(CAPTION, media=[photo]))
    assert caught.value.uncertain
    [media_id] = graph.media
    assert channel.find_existing(OutgoingPost(CAPTION), since).remote_id == media_id
    assert channel.find_existing(OutgoingPost("Otro texto"), since) is None


def test_expired_token_asks_for_reconnection(graph, instagram_account, photo):
    graph.expire_token("ig-token")
    with pytest.raises(ChannelError) as caught:
        instagram(instagram_account).publish(OutgoingPost(CAPTION, media=[photo]))
    assert caught.value.reconnect


def test_connection_names_the_account(graph, instagram_account):
    assert instagram(instagram_account).test_connection() == "Instagram @chapultepec.gob (178)"


def test_meta_downloads_the_public_image(graph, instagram_account, photo, jpeg):
    # A second fake plays Pregón's public media link; the fake Graph fetches from it.
    from tests.publishing.fakes import Answer, FakeServer

    class PublicLinks(FakeServer):
        def route(self, request):
            if request.path == "/m/firmado":
                return Answer(200, jpeg.read_bytes(), {"Content-Type": "image/jpeg"})
            return Answer(404, "caducado")

    graph.fetch_images = True
    with PublicLinks() as links:
        ok = replace(photo, public_url=f"{links.url}/m/firmado")
        instagram(instagram_account).publish(OutgoingPost(CAPTION, media=[ok]))
        expired = replace(photo, public_url=f"{links.url}/m/caducado")
        with pytest.raises(ChannelError) as caught:
            instagram(instagram_account).publish(OutgoingPost("Otro", media=[expired]))
    assert caught.value.permanent and "download" in caught.value.message
    assert [status for _, status, _ in graph.fetched] == [200, 404]
    assert len(graph.media) == 1


def test_single_video_goes_out_as_a_reel(graph, instagram_account, clip):
    graph.fetch_images = False
    result = instagram(instagram_account).publish(OutgoingPost(CAPTION, media=[clip]))

    [create] = [r for r in graph.requests_to("POST", "/178/media") if r.path == "/178/media"]
    assert create.form["media_type"] == "REELS"
    assert create.form["video_url"] == "https://pregon.example/m/9"
    assert create.form["caption"] == CAPTION and "image_url" not in create.form
    assert graph.media[result.remote_id]["caption"] == CAPTION


def test_carousel_waits_for_its_video_before_the_carousel(graph, instagram_account, photo, clip):
    graph.container_polls = 2
    instagram(instagram_account).publish(OutgoingPost(CAPTION, media=[photo, clip]))

    creates = [r for r in graph.requests_to("POST", "/178/media") if r.path == "/178/media"]
    image, video, carousel = creates
    assert "image_url" in image.form
    assert video.form["media_type"] == "VIDEO" and video.form["is_carousel_item"] == "true"
    video_id = list(graph.containers)[1]
    polls = [r for r in graph.requests if r.path == f"/{video_id}"]
    assert len(polls) == 3  # polled until FINISHED, before the carousel was created
    assert graph.requests.index(polls[-1]) < graph.requests.index(carousel)
    assert carousel.form["media_type"] == "CAROUSEL" and len(graph.media) == 1
