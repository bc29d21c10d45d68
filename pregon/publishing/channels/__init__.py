"""One package per network (channels/<network>/), listed in registry.py; `get_channel`
picks an account's connector.

Shared here: base.py (the connector contract), http.py (the one HTTP helper), graph.py
(Meta's Graph API), words.py (messages), limits.py and preview.py (what the networks'
rules and previews have in common), network.py (what a package declares).
"""

from pregon.publishing.channels.base import AccountConfig, Channel, ChannelError
from pregon.publishing.channels.registry import networks


def get_channel(config: AccountConfig) -> Channel:
    network = networks().get(config.kind)
    if network is None:
        raise ChannelError(f"Canal desconocido: {config.kind}.", permanent=True)
    return network.connector(config)


def __getattr__(name: str) -> dict[str, type[Channel]]:
    # CHANNELS is built on first use: the network packages import this package.
    if name == "CHANNELS":
        return {kind: network.connector for kind, network in networks().items()}
    raise AttributeError(name)
