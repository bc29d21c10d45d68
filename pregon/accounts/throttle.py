"""Login throttling that slows an attacker down without locking a person out.

Failures are counted per account *and* client address, and per address alone.
Past `PREGON_LOGIN_MAX_FAILURES` for one account from one address (or four times
that from one address over any accounts), that address must wait before its next
attempt, and the wait doubles with each further failure, up to
`PREGON_LOGIN_LOCKOUT_SECONDS`. Nobody can lock an account from elsewhere: the
owner, from her own address, keeps her own count. Counts live in the cache only."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

FIRST_WAIT_SECONDS = 30
ADDRESS_FACTOR = 4  # one office behind one address may mistype several accounts


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _pair(username: str, address: str) -> str:
    return f"login-fail:p:{_digest(username.strip().lower(), address)}"


def _address(address: str) -> str:
    return f"login-fail:a:{_digest(address)}"


def _now() -> float:
    return time.time()


def seconds_to_wait(username: str, address: str) -> int:
    """0 when this attempt may be checked, else how long this address must wait."""
    now = _now()
    waits = [cache.get(f"{key}:until", 0) - now for key in _keys(username, address)]
    return max(0, int(max(waits) + 0.999))


def record_failure(username: str, address: str) -> None:
    for key, limit in zip(_keys(username, address), _limits(), strict=True):
        failures = _count(key)
        if failures >= limit:
            wait = min(FIRST_WAIT_SECONDS * 2 ** (failures - limit), _window())
            cache.set(f"{key}:until", _now() + wait, wait)


def clear(username: str, address: str) -> None:
    """A right password from this address forgets this account's failures there."""
    key = _pair(username, address)
    cache.delete_many([key, f"{key}:until"])


def _keys(username: str, address: str) -> list[str]:
    return [_pair(username, address), _address(address)]


def _limits() -> list[int]:
    limit = settings.PREGON_LOGIN_MAX_FAILURES
    return [limit, limit * ADDRESS_FACTOR]


def _window() -> int:
    return settings.PREGON_LOGIN_LOCKOUT_SECONDS


def _count(key: str) -> int:
    """One more failure; the count is forgotten a window after the last one."""
    cache.add(key, 0, _window())
    try:
        failures = cache.incr(key)
    except ValueError:
        cache.set(key, 1, _window())
        return 1
    cache.touch(key, _window())
    return failures
