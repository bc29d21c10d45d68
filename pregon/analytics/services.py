"""Writes: portal-log imports, visitor hashing, purpose rules and metric upserts."""

import hashlib
import os
import secrets
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from hashlib import blake2b
from itertools import islice

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from pregon.analytics.models import (
    AccountMetric,
    DailySalt,
    DailyVisitor,
    PageVisitDay,
    PostMetric,
    Purpose,
    PurposeRule,
    WebLogImport,
)
from pregon.analytics.selectors import delivery_for
from pregon.analytics.weblog import Block, fingerprint, open_log, read_chunks

CHUNK_LINES = 100_000  # lines stored per transaction
PARALLEL_MIN_BYTES = 8_000_000  # smaller logs are parsed in this process
MAX_EXAMPLES = 20


# ---- visitors and purposes ------------------------------------------------------------


class VisitorHasher:
    """A visitor is blake2b(IP + user agent) keyed with a random salt of that day:
    the same person counts once per day, and no one can link days or recover the IP."""

    def __init__(self) -> None:
        self._salts: dict[date, bytes] = {}

    def __call__(self, day: date, client: str, agent: str) -> str:
        salt = self._salts.get(day) or self._load(day)
        data = f"{client}\x00{agent}".encode("utf-8", "replace")
        return hashlib.blake2b(data, key=salt, digest_size=16).hexdigest()

    def many(self, visitors: Iterable[tuple[date, str, str]]) -> set[tuple[date, str]]:
        """(day, hash) of each distinct (day, client, agent), each hashed once."""
        by_day: dict[date, list[tuple[str, str]]] = {}
        for day, client, agent in visitors:
            by_day.setdefault(day, []).append((client, agent))
        hashed = set()
        for day, people in by_day.items():
            salt = self._salts.get(day) or self._load(day)
            hashed.update(
                (
                    day,
                    blake2b(
                        f"{c}\x00{a}".encode("utf-8", "replace"), key=salt, digest_size=16
                    ).hexdigest(),
                )
                for c, a in people
            )
        return hashed

    def _load(self, day: date) -> bytes:
        try:
            with transaction.atomic():
                row, _ = DailySalt.objects.get_or_create(
                    date=day, defaults={"salt": secrets.token_hex(32)}
                )
        except IntegrityError:  # another process created it first
            row = DailySalt.objects.get(date=day)
        self._salts[day] = bytes.fromhex(row.salt)
        return self._salts[day]


class PurposeClassifier:
    """Longest matching URL prefix wins; pages no rule covers are "otros"."""

    def __init__(self, rules: Iterable[tuple[str, str]] | None = None) -> None:
        if rules is None:
            rules = PurposeRule.objects.values_list("prefix", "purpose")
        self.rules = sorted(rules, key=lambda rule: len(rule[0]), reverse=True)
        self._cache: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        found = self._cache.get(path)
        if found is None:
            found = next((p for prefix, p in self.rules if path.startswith(prefix)), Purpose.OTHER)
            self._cache[path] = found
        return found


def purpose_rule_save(*, prefix: str, purpose: str) -> PurposeRule:
    rule, _ = PurposeRule.objects.update_or_create(prefix=prefix, defaults={"purpose": purpose})
    return rule


def reclassify_pages() -> int:
    """Apply edited rules to the pages already counted."""
    classify = PurposeClassifier()
    changed = 0
    for page in PageVisitDay.objects.only("id", "path", "purpose").iterator():
        wanted = classify(page.path)
        if wanted != page.purpose:
            PageVisitDay.objects.filter(pk=page.pk).update(purpose=wanted)
            changed += 1
    return changed


# ---- portal visits ----------------------------------------------------------------------


@dataclass
class WebLogReport:
    file: str
    lines: int = 0
    visits: int = 0
    bots: int = 0
    skipped: int = 0
    malformed: int = 0
    resumed_from: int = 0
    malformed_examples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def import_weblog(
    path: str,
    *,
    advance: Callable[[int], None] | None = None,
    position: Callable[[int, int], None] | None = None,
    chunk_lines: int = CHUNK_LINES,
    workers: int | None = None,
) -> WebLogReport:
    """Count the visits in one access log. Each chunk of lines is stored together with
    the position reached, in one transaction: stopping anywhere loses nothing and
    importing the same file again counts nothing twice.

    `advance(lines)` is called after each stored chunk; `position(bytes, size)` too,
    with how far into the file on disk the import is (progress without a first pass).
    `workers` processes parse while this one stores (default: the setting
    PREGON_WEBLOG_WORKERS for logs of 8 MB or more, none for smaller ones)."""
    imp, _ = WebLogImport.objects.get_or_create(
        fingerprint=fingerprint(path), defaults={"name": str(path)[-300:]}
    )
    report = WebLogReport(file=str(path), resumed_from=imp.lines_done)
    hasher, classify = VisitorHasher(), PurposeClassifier()
    size = os.path.getsize(path)
    if workers is None:
        workers = settings.PREGON_WEBLOG_WORKERS if size >= PARALLEL_MIN_BYTES else 0
    handle, raw = open_log(path)
    with raw, handle:
        deque(islice(handle, imp.lines_done), maxlen=0)  # resume: skip what is stored
        for block, reached in read_chunks(handle, raw, imp.lines_done + 1, chunk_lines, workers):
            _flush(imp, block, hasher, classify, report)
            if advance:
                advance(block.lines)
            if position:
                position(reached, size)
    return report


def _flush(imp: WebLogImport, block: Block, hasher, classify, report: WebLogReport) -> None:
    for number in block.malformed[: MAX_EXAMPLES - len(report.malformed_examples)]:
        report.malformed_examples.append(f"línea {number}: formato no reconocido")
    visitors = hasher.many(block.visitors)
    tally = block.tally
    with transaction.atomic():
        add_page_visits(block.pages, classify)
        insert_visitors(visitors)
        WebLogImport.objects.filter(pk=imp.pk).update(
            lines_done=F("lines_done") + block.lines,
            visits=F("visits") + tally["visit"],
            bots=F("bots") + tally["bot"],
            skipped=F("skipped") + tally["skipped"],
            malformed=F("malformed") + tally["malformed"],
        )
    report.lines += block.lines
    report.visits += tally["visit"]
    report.bots += tally["bot"]
    report.skipped += tally["skipped"]
    report.malformed += tally["malformed"]


def add_page_visits(pages: Counter, classify) -> None:
    """Add visits per (day, page) with one upsert statement per batch of rows."""
    table = PageVisitDay._meta.db_table
    sql = (
        f"INSERT INTO {table} (date, path, purpose, visits) VALUES (%s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (date, path) DO UPDATE SET visits = {table}.visits + excluded.visits"
    )
    rows = [(day.isoformat(), page, classify(page), n) for (day, page), n in pages.items()]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def insert_visitors(pairs: Iterable[tuple[date, str]]) -> None:
    """Add (day, visitor hash) rows, ignoring ones already there. Plain executemany:
    the ORM's bulk_create costs more than the import's parsing at a million lines."""
    table = DailyVisitor._meta.db_table
    sql = f"INSERT INTO {table} (date, visitor) VALUES (%s, %s) ON CONFLICT DO NOTHING"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(day.isoformat(), visitor) for day, visitor in pairs])


def record_beacon(*, day: date, path: str, client: str, agent: str) -> None:
    """One page view reported by the portal's script, counted exactly like a log line."""
    path = path.split("?", 1)[0].split("#", 1)[0][:500] or "/"
    visitor = VisitorHasher()(day, client, agent)
    with transaction.atomic():
        row, created = PageVisitDay.objects.get_or_create(
            date=day, path=path, defaults={"purpose": PurposeClassifier()(path), "visits": 1}
        )
        if not created:
            PageVisitDay.objects.filter(pk=row.pk).update(visits=F("visits") + 1)
        insert_visitors([(day, visitor)])


# ---- social metrics -----------------------------------------------------------------------


def account_metric_save(*, account, day: date, values: dict, source: str) -> AccountMetric:
    """Merge one day's figures: a source that lacks a figure keeps the stored one."""
    row, _ = AccountMetric.objects.get_or_create(
        account=account, date=day, defaults={"source": source}
    )
    for name, value in values.items():
        if hasattr(row, name) and name not in ("id", "extra"):
            setattr(row, name, value)
        else:
            row.extra[name] = value
    row.source = source
    row.save()
    return row


def post_metrics_save(*, account, rows: list[dict], source: str) -> tuple[int, int, int]:
    """Upsert post snapshots by (account, remote_id); returns (created, updated, same)."""
    created = updated = same = 0
    with transaction.atomic():
        for values in rows:
            values = dict(values)
            remote_id = values.pop("remote_id")
            current = PostMetric.objects.filter(account=account, remote_id=remote_id).first()
            values["delivery"] = delivery_for(account, remote_id)
            if current is None:
                PostMetric.objects.create(
                    account=account, remote_id=remote_id, source=source, **values
                )
                created += 1
            elif _differs(current, values):
                for name, value in values.items():
                    setattr(current, name, value)
                current.source = source
                current.save()
                updated += 1
            else:
                same += 1
    return created, updated, same


def _differs(row: PostMetric, values: dict) -> bool:
    return any(getattr(row, k) != v for k, v in values.items() if k != "snapshot_at")
