"""Abuse control without tracking people: a per-network submission counter kept
only in the cache (never in the database), keyed by a salted hash of the address."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from pregon.core import ratelimit
from pregon.core.clientip import client_address

HONEYPOT_FIELD = "sitio_web"


def network_of(address: str) -> str:
    """IPv4 address as is; IPv6 reduced to its /64, which is what one home gets."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "desconocida"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def over_limit(request: HttpRequest) -> bool:
    """Count this submission attempt; True when the network went over the limit."""
    return ratelimit.over_limit(
        "surveys",
        network_of(client_address(request)),
        settings.PREGON_SURVEY_RATE_LIMIT,
        settings.PREGON_SURVEY_RATE_WINDOW_SECONDS,
    )


def is_bot(data) -> bool:
    """A real person never sees the honeypot field, so they leave it empty."""
    return bool(str(data.get(HONEYPOT_FIELD, "") or "").strip())
