"""One connector class per network; `get_channel` picks it for an account.

To add a network: write a Channel subclass in its own module (see base.py for the
contract and http.py for the one HTTP helper), then list it in CHANNELS.
"""

from pregon.publishing.channels.base import AccountConfig, Channel, ChannelError
from pregon.publishing.channels.facebook import FacebookPageChannel
from pregon.publishing.channels.instagram import InstagramChannel
from pregon.publishing.channels.manual import ManualChannel
from pregon.publishing.channels.wordpress import WordPressChannel
from pregon.publishing.channels.x import XChannel

CHANNELS: dict[str, type[Channel]] = {
    "facebook_page": FacebookPageChannel,
    "instagram": InstagramChannel,
    "x": XChannel,
    "wordpress": WordPressChannel,
    "manual": ManualChannel,
}


def get_channel(config: AccountConfig) -> Channel:
    try:
        return CHANNELS[config.kind](config)
    except KeyError:
        raise ChannelError(f"Canal desconocido: {config.kind}.", permanent=True) from None
