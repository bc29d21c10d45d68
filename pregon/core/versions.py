"""Versions of what cached pages and panels show, kept in the shared cache.

A cached value's key includes the versions of the *scopes* it reads ("public",
"analytics", ...). A write to a watched model bumps its scopes, so every process's
next read computes afresh; nothing has to find and delete old keys (they expire).
"""

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")


def _key(scope: str) -> str:
    return f"pregon:version:{scope}"


def version(*scopes: str) -> str:
    """The current versions of these scopes, as one string for a cache key."""
    keys = [_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:  # first use, or the cache was flushed
            cache.add(key, f"{time.time():.6f}", None)
            found[key] = cache.get(key)
    return "-".join(str(found[key]) for key in keys)


def bump(*scopes: str) -> None:
    """What these scopes show changed: values cached under them are stale from now on."""
    now = f"{time.time():.6f}"
    cache.set_many({_key(scope): now for scope in scopes}, None)


def cached(name: str, scopes: tuple[str, ...], seconds: int, compute: Callable[[], T]) -> T:
    """`compute()` once per version of `scopes`, kept at most `seconds`."""
    key = f"pregon:cached:{name}:{version(*scopes)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def watch(scope: str, *models: str) -> None:
    """Bump `scope` after any save or delete of these models ("app.Model").

    Signals rather than calls in each service: the admin, the API, imports and the
    workflow all write these rows, and a stale page must not depend on every one of
    them remembering to say so. (`QuerySet.update()` sends no signal: the short
    lifetime of every cached value bounds what such a write leaves stale.)"""

    def changed(sender, raw: bool = False, **kwargs) -> None:
        # Now, so this transaction's own reads see it; again after commit, because
        # another request may have cached the old rows under the new version meanwhile.
        if raw:
            return
        bump(scope)
        transaction.on_commit(lambda: bump(scope))

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model, weak=False, dispatch_uid=f"{scope}:{model}")
