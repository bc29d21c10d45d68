"""Fixed-window counters kept only in the cache (never in the database), keyed by
a salted hash so that the cache holds no addresses in the clear."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def cache_key(bucket: str, identity: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{bucket}:{identity}".encode()).hexdigest()
    return f"rate:{bucket}:{digest[:32]}"


def count(bucket: str, identity: str, window: int) -> int:
    """Count one more event for `identity` in `bucket`; returns the window's total."""
    key = cache_key(bucket, identity)
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def over_limit(bucket: str, identity: str, limit: int, window: int) -> bool:
    """Count this attempt; True when `identity` went over `limit` in the window."""
    return count(bucket, identity, window) > limit
