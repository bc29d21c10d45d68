"""The address of the person making a request, also behind reverse proxies.

`PREGON_TRUSTED_PROXIES` names the proxies in front of Pregón: either a number
(how many proxies append to X-Forwarded-For) or a list of networks. The client is
the rightmost address in the chain that is not a trusted proxy: everything to its
left was written by the client itself and may be forged."""

import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(value: str) -> int | list[Network]:
    """ "2" → two proxies; "10.0.0.0/8, 127.0.0.1" → those networks; "" → none."""
    value = value.strip()
    if not value:
        return 0
    if value.isdigit():
        return int(value)
    return [ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part]


def client_address(request: "HttpRequest") -> str:
    """REMOTE_ADDR when no proxy is trusted (or the request did not come through one)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.PREGON_TRUSTED_PROXIES
    if not trusted:
        return remote
    chain = _forwarded_chain(request) + [remote]
    if isinstance(trusted, int):
        return _by_count(chain, trusted)
    return _by_networks(chain, trusted)


def _forwarded_chain(request: "HttpRequest") -> list[str]:
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return [part.strip() for part in header.split(",") if part.strip()]


def _by_count(chain: list[str], proxies: int) -> str:
    # The last `proxies` entries (REMOTE_ADDR included) are our proxies; the one
    # before them is what the outermost proxy saw. A short chain means the request
    # skipped a proxy: the leftmost address is the best we know.
    return chain[max(len(chain) - 1 - proxies, 0)]


def _by_networks(chain: list[str], networks: Sequence[Network]) -> str:
    for address in reversed(chain):
        if not _is_trusted(address, networks):
            return address
    return chain[0]


def _is_trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False  # garbage is never one of our proxies
    return any(ip in network for network in networks)
