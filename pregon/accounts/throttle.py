"""Login throttling: after too many failures for one username or one address,
further attempts are refused for a while. Counts live in the cache only."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    user_key = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    addr_key = hashlib.sha256(address.encode()).hexdigest()[:32]
    return [f"login-fail:u:{user_key}", f"login-fail:a:{addr_key}"]


def is_locked(username: str, address: str) -> bool:
    limit = settings.PREGON_LOGIN_MAX_FAILURES
    # One address may try a few usernames; a username is locked sooner.
    user_key, addr_key = _keys(username, address)
    return (cache.get(user_key, 0) >= limit) or (cache.get(addr_key, 0) >= limit * 4)


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, settings.PREGON_LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.PREGON_LOGIN_LOCKOUT_SECONDS)


def clear(username: str, address: str) -> None:
    cache.delete(_keys(username, address)[0])
