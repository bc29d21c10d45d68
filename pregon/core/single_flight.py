"""One drawing of a cached page at a time.

When a cached page is missing (a write changed its version, or it expired), every
request for it that arrives while it is being drawn would draw it too: with 50
readers of the press room that is every web worker drawing the same slow page at
once, while the readers queue. Instead the first request takes a short mark in the
shared cache and draws; the others wait for its result (at most `WAIT_SECONDS`)
and draw it themselves only if that drawing is not kept or takes too long.
"""

import time
from typing import Any

from django.core.cache import cache

# Long enough for the slowest first drawing under load (a ten-year public calendar
# takes seconds): waiting for it is cheaper than drawing it again meanwhile.
WAIT_SECONDS = 15
POLL_SECONDS = 0.02
DRAWING, NOT_KEPT = "drawing", "not-kept"


def _mark(key: str) -> str:
    return f"{key}:drawing"


def claim(key: str) -> bool:
    """True: this request draws `key` again (nobody else is)."""
    return cache.add(_mark(key), DRAWING, WAIT_SECONDS)


def drawing(key: str) -> bool:
    return cache.get(_mark(key)) == DRAWING


def drawn_meanwhile(key: str) -> Any | None:
    """The value another request is drawing under `key`, once it is there; None:
    draw it here (nobody else is — the mark is now ours —, theirs is not kept, or
    it takes too long)."""
    if claim(key):
        return None
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        found = cache.get_many([key, _mark(key)])
        if key in found:
            return found[key]
        if found.get(_mark(key)) != DRAWING:
            return None
    return None


def finished(key: str, kept: bool) -> None:
    """The drawing under `key` is over: kept (those waiting read it) or not (they
    draw it themselves at once)."""
    if kept:
        cache.delete(_mark(key))
    else:
        cache.set(_mark(key), NOT_KEPT, WAIT_SECONDS)
