"""The registry of connectors and the manual channel."""

import pytest

from pregon.publishing.channels import CHANNELS, get_channel
from pregon.publishing.channels.base import AccountConfig, ChannelError, OutgoingPost


@pytest.mark.parametrize("kind", ["facebook_page", "instagram", "x", "wordpress", "manual"])
def test_every_kind_has_its_connector(kind):
    channel = get_channel(AccountConfig(kind))
    assert isinstance(channel, CHANNELS[kind]) and channel.kind == kind
    assert channel.needs_person is (kind == "manual")
    assert channel.on_attempt is None and channel.on_credentials_changed is None


def test_unknown_kind_is_refused():
    with pytest.raises(ChannelError) as caught:
        get_channel(AccountConfig("myspace"))
    assert caught.value.permanent and "myspace" in caught.value.message


def test_manual_channel_never_publishes_by_itself():
    channel = get_channel(AccountConfig("manual"))
    with pytest.raises(ChannelError) as caught:
        channel.publish(OutgoingPost("Texto"))
    assert caught.value.permanent and "una persona" in caught.value.message
    assert "manual" in channel.test_connection()
    with pytest.raises(ChannelError) as caught:
        channel.find_existing(OutgoingPost("Texto"), since=None)
    assert caught.value.uncertain
