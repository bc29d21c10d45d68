"""Parse web-server access logs (Common and Combined, nginx and Apache) into page
visits. Pure functions, no database: `services.import_weblog` stores the result.

A *visit* here is one page request by a person: method GET, status 2xx or 3xx,
not a static resource (images, CSS, scripts, fonts) and not a known robot.

Speed matters (a portal writes millions of lines): a block of lines is matched by one
compiled regular expression in a single `findall` call, so the per-line work left in
Python is a few dictionary look-ups (local day per hour, robot per user agent, page per
request target). Lines of any other shape fall back to the careful `LineParser`."""

import gzip
import hashlib
import multiprocessing
import re
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.conf import settings

TIME_RE = re.compile(r"^(\d{2})/(\w{3})/(\d{4}):(\d{2}):(\d{2}):\d{2} ([+-])(\d{2})(\d{2})$")
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
# Memoised request targets and user agents per parser: query strings make targets
# nearly unique in some logs, so a cache that size is emptied rather than grown.
MAX_CACHED = 200_000
# The usual line, whole: host (may hold spaces: vhost, X-Forwarded-For), ident, user,
# [time], "METHOD target protocol", status, bytes, then optionally "referrer" "agent"
# and anything else. Every line yields exactly one match: a line of another shape
# (escaped quotes, "-" request, no bytes...) matches the last branch, `odd`, and goes
# to LineParser, so the fast path never has to be clever.
FAST_RE = re.compile(
    r"^(?:([^\[\n]+?) \S++ \S++ \[(\d\d/[A-Z][a-z]{2}/\d{4}:\d\d):(\d\d):\d\d ([+-]\d{4})\] "
    r'"(?:GET|([A-Z]++)) ([^ "\n]++)(?: [^"\\\n]*+)?" (\d)\d\d \S++'
    r'(?: "[^"\\\n]*+" "([^"\\\n]*+)"[^\n]*+)?\r?|([^\n]*))$',
    re.MULTILINE,
)
ODD_HOUR = date.min  # an hour whose local day changes within it, or not a real time


@dataclass(frozen=True)
class Hit:
    """What a line tells: `kind` is visit, bot, skipped or malformed."""

    kind: str
    day: date | None = None
    path: str = ""
    client: str = ""
    agent: str = ""


@dataclass
class Block:
    """What a run of lines adds up to, ready to be stored."""

    pages: Counter = field(default_factory=Counter)  # (day, path) -> visits
    visitors: set = field(default_factory=set)  # (day, client, agent)
    tally: Counter = field(default_factory=Counter)  # kind -> lines
    malformed: list[int] = field(default_factory=list)  # line numbers
    lines: int = 0


def merge(into: Block, part: Block) -> None:
    into.pages.update(part.pages)
    into.visitors.update(part.visitors)
    into.tally.update(part.tally)
    into.malformed.extend(part.malformed)
    into.lines += part.lines


def open_log(path: str) -> tuple[BinaryIO, BinaryIO]:
    """(lines, raw): a plain or gzip-compressed log, recognised by content, not by name;
    `raw.tell()` is the position in the file on disk, for progress."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    magic = raw.read(2)
    raw.seek(0)
    return (gzip.GzipFile(fileobj=raw, mode="rb") if magic == b"\x1f\x8b" else raw), raw


class LineParser:
    """Turns lines into Hits, memoising the expensive parts (time, robots, paths)
    because real logs repeat the same hours, agents and pages all the time."""

    def __init__(self) -> None:
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self._days: dict[tuple[str, str], date] = {}
        # user agent -> the same text, one object per agent (pickled once per slice
        # for the main process), or False for a robot
        self._agents: dict[str, str | bool] = {}
        self._paths: dict[str, str | None] = {}

    # -- the fast path, a block of lines at a time ------------------------------------

    def parse_block(self, text: str, first_number: int, block: Block) -> None:
        """Add the lines of `text` (whole lines, no final newline) to `block`; line
        numbers start at `first_number`."""
        days, agents, paths = self._days, self._agents, self._paths
        pages, visitors, tally = block.pages, block.visitors, block.tally
        visits = bot_lines = skipped = 0
        last_hour = last_zone = hour_day = None  # consecutive lines share their hour
        for number, (host, hour, minute, zone, method, target, status, agent, odd) in enumerate(
            FAST_RE.findall(text), first_number
        ):
            if not hour:  # not the usual shape: the careful parser decides
                hit = self.parse(odd)
                tally[hit.kind] += 1
                if hit.kind == "visit":
                    pages[hit.day, hit.path] += 1
                    visitors.add((hit.day, hit.client, hit.agent))
                elif hit.kind == "malformed":
                    block.malformed.append(number)
                continue
            if hour != last_hour or zone != last_zone:
                last_hour, last_zone, hour_day = hour, zone, days.get((hour, zone))
                if hour_day is None:
                    hour_day = self._hour_day(hour, zone)
            day = hour_day
            if day is ODD_HOUR:
                day = self._local_day(f"{hour}:{minute}:00 {zone}")
                if day is None:
                    tally["malformed"] += 1
                    block.malformed.append(number)
                    continue
            known = agents.get(agent)
            if known is None:
                known = self._agent(agent)
            if known is False:
                bot_lines += 1
                continue
            if method or status not in "23":  # `method` is empty for GET
                skipped += 1
                continue
            page = paths.get(target, False)
            if page is False:
                page = self._page(target)
            if page is None:
                skipped += 1
                continue
            client = client_address(host) if " " in host or "," in host else host
            visits += 1
            pages[day, page] += 1
            visitors.add((day, client, known))
        tally["visit"] += visits
        tally["bot"] += bot_lines
        tally["skipped"] += skipped

    def _hour_day(self, hour: str, zone: str) -> date:
        """The local day of an hour of log time, or ODD_HOUR when the local midnight
        falls inside it (offsets such as +0530) or the time does not exist."""
        first = self._local_day(f"{hour}:00:00 {zone}")
        last = self._local_day(f"{hour}:59:00 {zone}")
        day = first if first == last and first is not None else ODD_HOUR
        self._days[hour, zone] = day
        return day

    # -- the careful path, one line ---------------------------------------------------

    def parse(self, line: str) -> Hit:
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            return Hit("skipped")  # blank lines and comments are not requests
        fields = split_line(line)
        if fields is None:
            return Hit("malformed")
        host, stamp, request, status, agent = fields
        day = self._local_day(stamp)
        if day is None:
            return Hit("malformed")
        known = self._agents.get(agent)
        if known is None:
            known = self._agent(agent)
        if known is False:
            return Hit("bot", day)
        parts = request.split(" ")
        if len(parts) < 2 or parts[0] != "GET" or status[0] not in "23":
            return Hit("skipped", day)
        path = self._paths.get(parts[1], False)
        if path is False:
            path = self._page(parts[1])
        if path is None:
            return Hit("skipped", day)
        return Hit("visit", day, path, client_address(host), known)

    def _agent(self, agent: str) -> str | bool:
        if len(self._agents) >= MAX_CACHED:
            self._agents.clear()
        known = self._agents[agent] = False if BOT_RE.search(agent) else agent
        return known

    def _page(self, target: str) -> str | None:
        path = target.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(("http://", "https://")):
            path = "/" + path.split("/", 3)[-1] if path.count("/") >= 3 else "/"
        ok = path.startswith("/") and not ASSET_RE.search(path)
        if len(self._paths) >= MAX_CACHED:
            self._paths.clear()
        page = self._paths[target] = path[:MAX_PATH] if ok else None
        return page

    def _local_day(self, stamp: str) -> date | None:
        found = TIME_RE.match(stamp)
        if not found or found[2] not in MONTHS:
            return None
        d, mon, y, h, mi, sign, oh, om = found.groups()
        offset = timedelta(hours=int(oh), minutes=int(om)) * (1 if sign == "+" else -1)
        try:
            moment = datetime(int(y), MONTHS[mon], int(d), int(h), int(mi), tzinfo=timezone(offset))
        except ValueError:  # 31/Feb, hour 25, an offset of a day or more
            return None
        return moment.astimezone(self.zone).date()


def split_line(line: str) -> tuple[str, str, str, str, str] | None:
    """host, time, request, status and user agent of a Common or Combined line, or None.

    Plain string searches: the host part may hold a vhost or an X-Forwarded-For chain
    with spaces, and the request may hold escaped quotes."""
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


def fingerprint(path: str) -> str:
    """Identify a log by its first 64 KiB (decompressed): a log that grew since the
    last import keeps its fingerprint, so the import resumes where it stopped."""
    handle, raw = open_log(path)
    with raw, handle:
        return hashlib.sha256(handle.read(65536)).hexdigest()


# ---- reading a log in chunks, optionally parsing in worker processes ------------------

# Bytes read at a time: their whole lines go to one findall call, or one worker task.
# Lines are counted in the bytes, never made into objects one by one.
SLICE_BYTES = 4 << 20
IN_FLIGHT = 12  # slices queued for the workers: enough to keep them busy during a store
_worker_parser: "LineParser | None" = None


class WebLogError(ValueError):
    """A log refused while reading it; the message is Spanish and names the line."""


def _limits() -> tuple[int, int]:
    """(longest line, most bytes once decompressed) a log may have."""
    return (
        settings.PREGON_WEBLOG_MAX_LINE_KB * 1024,
        settings.PREGON_WEBLOG_MAX_EXPANDED_MB * 1024 * 1024,
    )


def _slices(handle: BinaryIO, raw: BinaryIO, first: int, chunk_lines: int) -> Iterator[tuple]:
    """(first line number, line count, bytes, end of chunk?, position on disk): whole
    lines, never crossing the boundary of a chunk of `chunk_lines` lines."""
    number, in_chunk = first, 0
    for data in _whole_lines(handle, first):
        count = data.count(b"\n") + (not data.endswith(b"\n"))
        while count:
            take = min(count, chunk_lines - in_chunk)
            cut = _after_lines(data, take) if take < count else len(data)
            in_chunk += take
            end = in_chunk == chunk_lines
            yield number, take, data[:cut], end, raw.tell()
            data, count, number = data[cut:], count - take, number + take
            if end:
                in_chunk = 0


def _whole_lines(handle: BinaryIO, first: int = 1) -> Iterator[bytes]:
    """About SLICE_BYTES at a time, cut after the last newline; the last line of the
    file may lack its newline. A line past the length limit, or a log expanding past
    the size limit (a gzip bomb), stops the import with WebLogError: memory stays
    bounded by SLICE_BYTES plus one line."""
    longest, most = _limits()
    pieces: list[bytes] = []  # of an unfinished line, joined once it ends (linear time)
    pending = total = 0
    number = first  # line number of the first line in `pieces`
    while block := handle.read(SLICE_BYTES):
        total += len(block)
        if total > most:
            raise WebLogError(
                f"La bitácora descomprimida pasa de {most >> 20} MB (línea {number} en "
                "adelante); divídala o revise que sea una bitácora de acceso."
            )
        cut = block.rfind(b"\n") + 1
        if not cut:  # inside a long line: keep reading, up to the limit
            pending += len(block)
            _check_line(pending, longest, number)
            pieces.append(block)
            continue
        pieces.append(block[:cut])
        data = b"".join(pieces)
        _check_lines(data, longest, number)
        number += data.count(b"\n")
        yield data
        pieces, pending = [block[cut:]], len(block) - cut
        _check_line(pending, longest, number)
    if rest := b"".join(pieces):
        yield rest


def _check_line(length: int, longest: int, number: int) -> None:
    if length > longest:
        raise WebLogError(
            f"Línea {number}: pasa de {longest >> 10} KB; una bitácora de acceso no tiene "
            "líneas así (¿archivo dañado o equivocado?)."
        )


def _check_lines(data: bytes, longest: int, number: int) -> None:
    """Every line of `data` within the limit, stepping about `longest` bytes at a time."""
    at = 0
    while len(data) - at > longest:
        newline = data.rfind(b"\n", at, at + longest + 1)
        if newline < 0:
            _check_line(longest + 1, longest, number + data.count(b"\n", 0, at))
        at = newline + 1


def skip_lines(handle: BinaryIO, count: int) -> None:
    """Skip `count` lines (an import resuming) reading at most one line limit at a time."""
    longest, _ = _limits()
    for number in range(1, count + 1):
        length = 0
        while True:
            piece = handle.readline(longest + 1)
            length += len(piece)
            _check_line(length, longest + 1, number)
            if not piece or piece.endswith(b"\n"):
                break


def _after_lines(data: bytes, lines: int) -> int:
    """Where the line after the first `lines` lines of `data` starts."""
    at = -1
    for _ in range(lines):
        at = data.index(b"\n", at + 1)
    return at + 1


def parse_slice(number: int, count: int, data: bytes, parser: "LineParser | None" = None) -> Block:
    global _worker_parser
    if parser is None:  # in a worker process: one parser (and its caches) per process
        parser = _worker_parser = _worker_parser or LineParser()
    block = Block(lines=count)
    text = data.decode("utf-8", "replace")
    parser.parse_block(text[:-1] if text.endswith("\n") else text, number, block)
    return block


def read_chunks(
    handle: BinaryIO, raw: BinaryIO, first: int, chunk_lines: int, workers: int = 0
) -> Iterator[tuple[Block, int]]:
    """(chunk, position on disk after it), in file order. With `workers`, slices are
    parsed by that many processes while this one stores the previous chunk: the
    parsing is the costly part, and a 2-core server has a second core for it."""
    slices = _slices(handle, raw, first, chunk_lines)
    if workers:
        results = _parallel(slices, workers)
    else:
        parser = LineParser()
        results = ((parse_slice(n, c, d, parser), end, pos) for n, c, d, end, pos in slices)
    chunk = Block()
    for part, end, pos in results:
        merge(chunk, part)
        if end:
            yield chunk, pos
            chunk = Block()
    if chunk.lines:
        yield chunk, raw.tell()


def _parallel(slices: Iterator[tuple], workers: int) -> Iterator[tuple[Block, bool, int]]:
    """Parse slices in worker processes, at most IN_FLIGHT (and 2 per worker) at a time
    (bounded memory), results in file order. Fork: the workers inherit Django's
    settings, not the DB."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque = deque()
        for number, count, data, end, pos in slices:
            pending.append((pool.submit(parse_slice, number, count, data), end, pos))
            if len(pending) >= max(IN_FLIGHT, 2 * workers):
                future, end_, pos_ = pending.popleft()
                yield future.result(), end_, pos_
        while pending:
            future, end_, pos_ = pending.popleft()
            yield future.result(), end_, pos_
