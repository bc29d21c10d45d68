"""Parse web-server access logs (Common and Combined, nginx and Apache) into page
visits. Pure functions, no database: `services.import_weblog` stores the result.

A *visit* here is one page request by a person: method GET, status 2xx or 3xx,
not a static resource (images, CSS, scripts, fonts) and not a known robot."""

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.conf import settings

TIME_RE = re.compile(r"^(\d{2})/(\w{3})/(\d{4}):(\d{2}):\d{2}:\d{2} ([+-])(\d{2})(\d{2})$")
MONTHS = {
    m: i + 1
    for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())  # noqa: SIM905
}
# Crawlers, monitors, feed readers and HTTP libraries that announce themselves.
BOT_RE = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|feedfetcher|facebookexternalhit|"
    r"mediapartners|bingpreview|yandex|baiduspider|semrush|ahrefs|petalbot|"
    r"python-requests|python-urllib|curl/|wget/|go-http-client|java/|libwww|"
    r"httpclient|headlesschrome|phantomjs|monitor|uptime|pingdom|scrapy|rss|feed",
    re.IGNORECASE,
)
ASSET_RE = re.compile(
    r"\.(?:css|js|mjs|map|png|jpe?g|gif|webp|avif|svg|ico|bmp|woff2?|ttf|eot|otf|"
    r"mp4|webm|mp3|ogg|pdf|zip|gz|xml|txt|json|rss|atom)$",
    re.IGNORECASE,
)
MAX_PATH = 500


@dataclass(frozen=True)
class Hit:
    """What a line tells: `kind` is visit, bot, skipped or malformed."""

    kind: str
    day: date | None = None
    path: str = ""
    client: str = ""
    agent: str = ""


def open_log(path: str) -> BinaryIO:
    """Open a plain or gzip-compressed log, recognised by content, not by name."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


class LineParser:
    """Turns lines into Hits, memoising the expensive parts (time, robots, paths)
    because real logs repeat the same hours, agents and pages all the time."""

    def __init__(self) -> None:
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self._days: dict[str, date | None] = {}
        self._bots: dict[str, bool] = {}
        self._paths: dict[str, str | None] = {}

    def parse(self, raw: bytes) -> Hit:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            return Hit("skipped")  # blank lines and comments are not requests
        fields = split_line(line)
        if fields is None:
            return Hit("malformed")
        host, stamp, request, status, agent = fields
        key = stamp[:14] + stamp[20:]
        day = self._days.get(key, False)
        if day is False:
            day = self._days[key] = self._local_day(stamp)
        if day is None:
            return Hit("malformed")
        bot = self._bots.get(agent)
        if bot is None:
            bot = self._bots[agent] = bool(BOT_RE.search(agent))
        if bot:
            return Hit("bot", day)
        parts = request.split(" ")
        if len(parts) < 2 or parts[0] != "GET" or status[0] not in "23":
            return Hit("skipped", day)
        path = self._page(parts[1])
        if path is None:
            return Hit("skipped", day)
        return Hit("visit", day, path, client_address(host), agent)

    def _page(self, target: str) -> str | None:
        page = self._paths.get(target, False)
        if page is False:
            path = target.split("?", 1)[0].split("#", 1)[0]
            if path.startswith(("http://", "https://")):
                path = "/" + path.split("/", 3)[-1] if path.count("/") >= 3 else "/"
            ok = path.startswith("/") and not ASSET_RE.search(path)
            page = self._paths[target] = path[:MAX_PATH] if ok else None
        return page

    def _local_day(self, stamp: str) -> date | None:
        found = TIME_RE.match(stamp)
        if not found or found[2] not in MONTHS:
            return None
        d, mon, y, h, sign, oh, om = found.groups()
        offset = timedelta(hours=int(oh), minutes=int(om)) * (1 if sign == "+" else -1)
        moment = datetime(int(y), MONTHS[mon], int(d), int(h), tzinfo=timezone(offset))
        return moment.astimezone(self.zone).date()


def split_line(line: str) -> tuple[str, str, str, str, str] | None:
    """host, time, request, status and user agent of a Common or Combined line, or None.

    Plain string searches instead of one regular expression: the host part may hold a
    vhost or an X-Forwarded-For chain with spaces, which makes a regex backtrack on
    every line, and this loop runs a million times per log."""
    bracket = line.find(" [")
    close = line.find('] "', bracket)
    if bracket < 0 or close < 0:
        return None
    head = line[:bracket].rsplit(" ", 2)  # host (may contain spaces), ident, user
    if len(head) < 3 or not head[0]:
        return None
    end = line.find('" ', close + 3)
    while end > 0 and line[end - 1] == "\\":  # an escaped quote inside the request
        end = line.find('" ', end + 1)
    if end < 0:
        return None
    rest = line[end + 2 :]
    status = rest[:3]
    if not status.isdigit() or rest[3:4] not in (" ", ""):
        return None
    after = rest[4:].split(" ", 1)  # bytes, then "referrer" "agent" in Combined
    agent = ""
    if len(after) == 2:
        quoted = after[1].split('"')
        agent = quoted[3] if len(quoted) >= 4 else after[1].strip()
    return head[0], line[bracket + 2 : close], line[close + 3 : end], status, agent


def client_address(host: str) -> str:
    """The client: first address of an X-Forwarded-For chain, without a vhost prefix."""
    first = host.split(",", 1)[0].strip().strip('"')
    return first.rsplit(" ", 1)[-1]


def read_lines(path: str, skip: int = 0) -> Iterator[bytes]:
    with open_log(path) as handle:
        for number, raw in enumerate(handle):
            if number >= skip:
                yield raw


def fingerprint(path: str) -> str:
    """Identify a log by its first 64 KiB (decompressed): a log that grew since the
    last import keeps its fingerprint, so the import resumes where it stopped."""
    import hashlib

    with open_log(path) as handle:
        return hashlib.sha256(handle.read(65536)).hexdigest()


def count_lines(path: str) -> int:
    with open_log(path) as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
