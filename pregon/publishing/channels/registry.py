"""The networks Pregón publishes to: one line per package under channels/.

Adding a network is one folder (channels/<network>/ with `NETWORK`, see network.py)
and one line here. Installations may add packages of their own with the
PREGON_EXTRA_NETWORKS setting (dotted paths), read on every call so tests can too.
"""

from functools import cache
from importlib import import_module

from django.conf import settings

from pregon.publishing.channels.network import Network

NETWORK_PACKAGES = (
    "pregon.publishing.channels.facebook",
    "pregon.publishing.channels.instagram",
    "pregon.publishing.channels.x",
    "pregon.publishing.channels.threads",
    "pregon.publishing.channels.youtube",
    "pregon.publishing.channels.wordpress",
    "pregon.publishing.channels.telegram",
    "pregon.publishing.channels.tiktok",
    "pregon.publishing.channels.manual",
)


def networks() -> dict[str, Network]:
    """Every network by kind, in the order forms list them."""
    return _load((*NETWORK_PACKAGES, *settings.PREGON_EXTRA_NETWORKS))


@cache
def _load(packages: tuple[str, ...]) -> dict[str, Network]:
    found = (import_module(package).NETWORK for package in packages)
    return {network.kind: network for network in found}


def get(kind: str) -> Network | None:
    return networks().get(kind)


def kind_choices() -> list[tuple[str, str]]:
    """ChannelAccount.kind's choices (a callable, so added networks count at once)."""
    return [(network.kind, network.label) for network in networks().values()]


def kinds(*, needs_person: bool | None = None, needs_media: bool | None = None) -> list[str]:
    """The kinds whose networks match every flag given."""
    return [
        network.kind
        for network in networks().values()
        if needs_person in (None, network.needs_person)
        and needs_media in (None, network.needs_media)
    ]


def connect_buttons() -> list[tuple[str, str]]:
    """(URL name, words) of each «Conectar» flow, once per flow, in the registry's order."""
    buttons: dict[str, str] = {}
    for network in networks().values():
        if network.connect_url and network.connect_url not in buttons:
            buttons[network.connect_url] = network.connect_label or f"Conectar con {network.name}"
    return list(buttons.items())
