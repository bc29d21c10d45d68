"""Versions of what cached pages and panels show, kept in the shared cache.

A cached value's key includes the versions of the *scopes* it reads ("public",
"analytics", ...). A write to a watched model bumps its scopes, so every process's
next read computes afresh; nothing has to find and delete old keys (they expire).
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
log = logging.getLogger(__name__)


def _key(scope: str) -> str:
    return f"pregon:version:{scope}"


def version(*scopes: str) -> str:
    """The current versions of these scopes, as one string for a cache key."""
    _bump_pending(scopes)
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


def bump_once(scope: str) -> None:
    """A row this scope shows changed. Outside a transaction: bumped now. Inside one:
    bumped once after commit (together with every other scope it changed: one cache
    write), and, should this transaction itself read the scope's version before that
    (a view that writes, then draws a cached panel), just before that read. A worker's
    delivery, its attempt and its audit entry, or an import's thousands of rows, cost
    one write to the cache, not one per row."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _committed({scope})
        return
    noted = _noted(connection)
    noted.pending.add(scope)
    if not noted.after_commit:
        transaction.on_commit(lambda: _committed(noted.after_commit))
    noted.after_commit.add(scope)


def _committed(scopes: set[str]) -> None:
    if _gathered is not None:
        _gathered.add(scopes)
    else:
        bump(*sorted(scopes))


class _Gathered:
    """A process's committed changes, bumped together by one thread every `seconds`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.scopes: set[str] = set()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="pregon-versions", daemon=True)

    def add(self, scopes: set[str]) -> None:
        with self.lock:
            self.scopes.update(scopes)

    def flush(self) -> None:
        with self.lock:
            scopes, self.scopes = self.scopes, set()
        if not scopes:
            return
        try:
            bump(*sorted(scopes))
        except Exception:
            self.add(scopes)  # not lost: the next round bumps them
            raise

    def _run(self) -> None:
        while not self.stop.wait(self.seconds):
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - a cache hiccup: logged, tried again
                log.exception("No se pudieron renovar las versiones de la caché")


_gathered: _Gathered | None = None


def gather_bumps(seconds: float) -> Callable[[], None]:
    """From now on this process bumps what its transactions changed at most every
    `seconds` (one thread, one cache write per scope), not after each commit: a
    worker commits several times per delivery, dozens of deliveries a second, and
    each bump is a file written and renamed with the file cache. Pages may show what
    it wrote that much later. Returns the function that stops gathering and bumps
    what is left."""
    global _gathered
    gathered = _gathered = _Gathered(seconds)
    gathered.thread.start()

    def stop() -> None:
        global _gathered
        if _gathered is gathered:
            _gathered = None
        gathered.stop.set()
        gathered.thread.join(timeout=5)
        gathered.flush()

    return stop


def _bump_pending(scopes: tuple[str, ...]) -> None:
    """This transaction changed rows of these scopes and now reads them: bump first,
    or it would find (and keep) what it draws under a version others still use."""
    noted = _current(transaction.get_connection())
    if noted is None:
        return  # nothing written in this transaction
    pending = noted.pending.intersection(scopes)
    if pending:
        bump(*sorted(pending))
        noted.pending -= pending


class _Noted:
    """The scopes written in one transaction (`hooks` is its `run_on_commit` list):
    those not bumped yet, and those its one after-commit hook bumps."""

    def __init__(self, hooks: list) -> None:
        self.hooks = hooks
        self.pending: set[str] = set()
        self.after_commit: set[str] = set()


def _current(connection) -> _Noted | None:
    """What this transaction noted, if anything. Django replaces `run_on_commit` by a
    new list on commit and on rollback (of a savepoint too): what was noted with this
    very list belongs to this transaction."""
    noted = getattr(connection, "pregon_bumped", None)
    return noted if noted is not None and noted.hooks is connection.run_on_commit else None


def _noted(connection) -> _Noted:
    noted = _current(connection)
    if noted is None:
        noted = connection.pregon_bumped = _Noted(connection.run_on_commit)
    return noted


_WATCHERS: dict[str, set[str]] = {}  # model label → scopes bumped by its writes
_EVERY_MODEL: dict[str, set[str]] = {}  # scope → labels left out (page_cache's)


def label(model: type[Model] | str) -> str:
    return model.lower() if isinstance(model, str) else model._meta.label_lower


def rows_updated(model: type[Model] | str) -> None:
    """`QuerySet.update()` sends no signal: a service that writes a watched model
    that way says so here, and every scope watching it is bumped as a save would."""
    name = label(model)
    scopes = set(_WATCHERS.get(name, ()))
    scopes.update(scope for scope, left_out in _EVERY_MODEL.items() if name not in left_out)
    for scope in sorted(scopes):
        bump_once(scope)


def watch_every_model(scope: str, left_out: set[str]) -> None:
    """`rows_updated` of any model but these also bumps `scope` (the saves and deletes
    are the caller's own signal receivers: page_cache's)."""
    _EVERY_MODEL[scope] = left_out


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
    them remembering to say so. (`QuerySet.update()` sends no signal: the services
    that use it on a watched model call `rows_updated`.)"""

    def changed(sender, raw: bool = False, **kwargs) -> None:
        if not raw:
            bump_once(scope)

    for model in models:
        _WATCHERS.setdefault(label(model), set()).add(scope)
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model, weak=False, dispatch_uid=f"{scope}:{model}")
