"""Abuse control without tracking people: a per-network submission counter kept
only in the cache (never in the database), keyed by a salted hash of the address."""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

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


def _key(request: HttpRequest) -> str:
    network = network_of(request.META.get("REMOTE_ADDR", ""))
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{network}".encode()).hexdigest()[:32]
    return f"surveys-rate:{digest}"


def over_limit(request: HttpRequest) -> bool:
    """Count this submission attempt; True when the network went over the limit."""
    key = _key(request)
    window = settings.PREGON_SURVEY_RATE_WINDOW_SECONDS
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        count = 1
    return count > settings.PREGON_SURVEY_RATE_LIMIT


def is_bot(data) -> bool:
    """A real person never sees the honeypot field, so they leave it empty."""
    return bool(str(data.get(HONEYPOT_FIELD, "") or "").strip())
