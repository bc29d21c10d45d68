"""X forgets an upload expires_after_secs after it was made (24 h; «any attempt to use
mediaId after this time period in other API calls will result in a Bad Request»). The
fake X does the same, strictly, with a short life here (4 s) so a test can outlive it:
a delivery parked longer than that uploads its media again, once, and never sends the
dead id."""

import time

import pytest

from pregon.publishing.channels import get_channel
from pregon.publishing.channels.base import ChannelError, NotReady, OutgoingPost
from pregon.publishing.channels.x import connector as x

TEXT = "Jornada de reforestación en el cerro de San Mateo."


@pytest.fixture
def channel(x_account):
    channel = get_channel(x_account)
    channel.defer_waits = True  # as the engine asks: NotReady instead of sleeping
    return channel


def _parked(channel, post) -> str:
    with pytest.raises(NotReady) as parked:
        channel.publish(post)
    return parked.value.token


def _until_forgotten(xfake, upload_id: str) -> None:
    time.sleep(max(xfake.uploads[upload_id]["expires"] - time.time(), 0) + 0.05)


def test_the_token_says_until_when_its_uploads_may_be_used(xfake, channel, photo):
    xfake.media_seconds = 0.5  # X is still processing: the delivery is parked
    before = time.time()
    until, [[upload]] = x.uploads_in(_parked(channel, OutgoingPost(TEXT, media=[photo])))
    assert upload.startswith(x.PROCESSING)
    # 86 400 s as X says, less the five-minute margin.
    assert before + 86400 - 300 - 2 <= until <= time.time() + 86400 - 300


def test_an_upload_parked_past_its_expiry_is_made_again_once(xfake, channel, photo):
    xfake.media_expires_after = 4.0
    xfake.media_seconds = 0.3
    post = OutgoingPost(TEXT, media=[photo])
    token = _parked(channel, post)
    _, [[first]] = x.uploads_in(token)
    _until_forgotten(xfake, first[1:])  # the delivery waited (retries, a held account)

    with pytest.raises(NotReady) as again:  # uploaded again, and X processes it again
        channel.resume(post, token)
    _, [[second]] = x.uploads_in(again.value.token)
    assert second[1:] != first[1:] and len(xfake.uploads) == 2
    time.sleep(0.35)
    result = channel.resume(post, again.value.token)

    assert xfake.tweets[result.remote_id]["media_ids"] == [second[1:]]
    assert xfake.uploads[second[1:]]["alt_text"] == "Niñas en la feria de salud"
    assert xfake.expired_uses == 0  # the forgotten id was never sent
    looked = [r.query.get("media_id") for r in xfake.requests_to("GET", "/2/media/upload")]
    assert first[1:] not in looked


def test_a_token_from_before_without_its_expiry_uploads_again(xfake, channel, photo):
    """A delivery parked by an older version: how old its upload is, nobody knows."""
    post = OutgoingPost(TEXT, media=[photo])
    old = channel.publish(OutgoingPost("Otra nota", media=[photo]))
    old_upload = xfake.tweets[old.remote_id]["media_ids"][0]
    result = channel.resume(post, old_upload)
    [uploaded] = xfake.tweets[result.remote_id]["media_ids"]
    assert uploaded != old_upload and len(xfake.uploads) == 2


def test_the_fake_refuses_a_forgotten_upload_as_x_does(xfake, channel, photo):
    """Why the expiry is kept: a token that claimed its upload still usable sends the
    dead id, and X answers 400 (nothing is posted)."""
    xfake.media_expires_after = 1.0
    xfake.media_seconds = 0.2
    post = OutgoingPost(TEXT, media=[photo])
    _, [[first]] = x.uploads_in(_parked(channel, post))
    _until_forgotten(xfake, first[1:])
    lying = x.token_of(time.time() + 3600, [first])
    with pytest.raises(ChannelError, match="Your media IDs are invalid"):
        channel.resume(post, lying)
    assert xfake.expired_uses == 1 and xfake.tweets == {}


def test_a_delivery_held_past_the_expiry_goes_out_once_with_new_uploads(publish, networks):
    """Through the engine: parked while X processes the photo, then its account held
    for reconnection longer than X keeps the upload; once reconnected, the delivery
    uploads again and posts once."""
    from django.utils import timezone

    from pregon.publishing import engine
    from pregon.publishing.models import ChannelState, Delivery

    xfake = networks.x
    xfake.media_expires_after = 4.0
    xfake.media_seconds = 0.3
    publication = publish("x", image=True)
    assert engine.publish_due()["en_proceso"] == 1
    delivery = Delivery.objects.get(variant__publication=publication)
    _, [[first]] = x.uploads_in(delivery.network_ref)
    account = networks.accounts["x"]
    account.state = ChannelState.RECONNECT  # held: due() skips it meanwhile
    account.save(update_fields=["state"])
    _until_forgotten(xfake, first[1:])

    account.state = ChannelState.ACTIVE
    account.save(update_fields=["state"])
    Delivery.objects.filter(pk=delivery.pk).update(scheduled_at=timezone.now())
    assert engine.publish_due()["en_proceso"] == 1  # uploaded again; X processes it
    time.sleep(0.35)
    Delivery.objects.filter(pk=delivery.pk).update(scheduled_at=timezone.now())
    assert engine.publish_due()["publicada"] == 1

    [tweet] = xfake.tweets.values()
    assert len(xfake.uploads) == 2 and tweet["media_ids"] != [first[1:]]
    assert xfake.expired_uses == 0
    delivery.refresh_from_db()
    assert delivery.status == "publicada" and delivery.network_ref == ""
