"""Writes: portal-log imports, visitor hashing, purpose rules and metric upserts."""

import hashlib
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date

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
from pregon.analytics.weblog import LineParser, fingerprint, read_lines

CHUNK_LINES = 100_000
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


@dataclass
class _Chunk:
    pages: Counter = field(default_factory=Counter)
    visitors: set = field(default_factory=set)
    tally: Counter = field(default_factory=Counter)
    lines: int = 0


def import_weblog(
    path: str, *, advance: Callable[[int], None] | None = None, chunk_lines: int = CHUNK_LINES
) -> WebLogReport:
    """Count the visits in one access log. Each chunk of lines is stored together with
    the position reached, in one transaction: stopping anywhere loses nothing and
    importing the same file again counts nothing twice."""
    imp, _ = WebLogImport.objects.get_or_create(
        fingerprint=fingerprint(path), defaults={"name": str(path)[-300:]}
    )
    report = WebLogReport(file=str(path), resumed_from=imp.lines_done)
    parser, hasher, classify = LineParser(), VisitorHasher(), PurposeClassifier()
    chunk = _Chunk()
    number = imp.lines_done
    for raw in read_lines(path, skip=imp.lines_done):
        number += 1
        hit = parser.parse(raw)
        chunk.tally[hit.kind] += 1
        chunk.lines += 1
        if hit.kind == "visit":
            chunk.pages[(hit.day, hit.path)] += 1
            chunk.visitors.add((hit.day, hasher(hit.day, hit.client, hit.agent)))
        elif hit.kind == "malformed" and len(report.malformed_examples) < MAX_EXAMPLES:
            report.malformed_examples.append(f"línea {number}: formato no reconocido")
        if chunk.lines >= chunk_lines:
            _flush(imp, chunk, classify, report, advance)
            chunk = _Chunk()
    _flush(imp, chunk, classify, report, advance)
    return report


def _flush(imp: WebLogImport, chunk: _Chunk, classify, report: WebLogReport, advance) -> None:
    if not chunk.lines:
        return
    with transaction.atomic():
        _add_page_visits(chunk.pages, classify)
        insert_visitors(chunk.visitors)
        WebLogImport.objects.filter(pk=imp.pk).update(
            lines_done=F("lines_done") + chunk.lines,
            visits=F("visits") + chunk.tally["visit"],
            bots=F("bots") + chunk.tally["bot"],
            skipped=F("skipped") + chunk.tally["skipped"],
            malformed=F("malformed") + chunk.tally["malformed"],
        )
    report.lines += chunk.lines
    report.visits += chunk.tally["visit"]
    report.bots += chunk.tally["bot"]
    report.skipped += chunk.tally["skipped"]
    report.malformed += chunk.tally["malformed"]
    if advance:
        advance(chunk.lines)


def _add_page_visits(pages: Counter, classify) -> None:
    days = {day for day, _ in pages}
    existing = {
        (row.date, row.path): row
        for row in PageVisitDay.objects.filter(date__in=days).only("id", "date", "path", "visits")
        if (row.date, row.path) in pages
    }
    new = []
    for key, count in pages.items():
        if key in existing:
            existing[key].visits += count
        else:
            new.append(
                PageVisitDay(date=key[0], path=key[1], purpose=classify(key[1]), visits=count)
            )
    PageVisitDay.objects.bulk_update(list(existing.values()), ["visits"], batch_size=1000)
    PageVisitDay.objects.bulk_create(new, batch_size=1000)


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
