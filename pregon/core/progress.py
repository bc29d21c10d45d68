"""A terminal progress bar for long commands; silent when --json or not a TTY."""

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


class ProgressBar:
    def __init__(
        self, total: int | None, label: str = "", stream: TextIO | None = None, enabled: bool = True
    ) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.done = 0
        self.started = time.monotonic()
        self._last_draw = 0.0

    def advance(self, n: int = 1, note: str = "") -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._last_draw > 0.1 or self.done == self.total):
            self._last_draw = now
            self.stream.write("\r" + self.render(note))
            self.stream.flush()

    def render(self, note: str = "") -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        if self.total:
            filled = int(30 * self.done / self.total)
            bar = "█" * filled + "░" * (30 - filled)
            pct = 100 * self.done / self.total
            return f"{self.label} {bar} {self.done}/{self.total} ({pct:.0f} %, {rate:.1f}/s) {note}"
        return f"{self.label} {self.done} ({rate:.1f}/s) {note}"

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def progress(
    items: Iterable[T], total: int | None = None, label: str = "", enabled: bool = True
) -> Iterator[T]:
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    bar = ProgressBar(total, label, enabled=enabled)
    for item in items:
        yield item
        bar.advance()
    bar.finish()
