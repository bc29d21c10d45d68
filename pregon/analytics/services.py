"""Writes: portal-log imports, visitor hashing, purpose rules and metric upserts."""

import gzip
import hashlib
import os
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import lru_cache
from hashlib import blake2b
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from pregon.accounts.models import User
from pregon.analytics.importers import (
    MetricsFileError,
    MetricsImportReport,
    parse_metrics_file,
    resolve_account,
)
from pregon.analytics.models import (
    AccountMetric,
    DailySalt,
    DailyVisitor,
    ImportState,
    MetricSource,
    PageVisitDay,
    PostMetric,
    Purpose,
    PurposeRule,
    WebLogImport,
)
from pregon.analytics.selectors import deliveries_for
from pregon.analytics.weblog import (
    Block,
    LineParser,
    WebLogError,
    fingerprint,
    open_log,
    read_chunks,
    skip_lines,
)
from pregon.core.audit import log_action
from pregon.core.uploads import max_bytes, too_large_message
from pregon.publishing.models import ChannelAccount

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
        hashed: set[tuple[date, str]] = set()
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


def purpose_rule_save(
    *, prefix: str, purpose: str, user: User | None = None
) -> tuple[PurposeRule, int]:
    """Create or change the rule for a prefix and reclassify the pages already counted;
    returns the rule and how many (day, page) rows changed purpose."""
    prefix = prefix.strip()
    errors = {}
    if not prefix.startswith("/"):
        errors["prefix"] = "El prefijo debe empezar con «/»."
    elif len(prefix) > 300:
        errors["prefix"] = "El prefijo no puede pasar de 300 caracteres."
    if purpose not in Purpose.values:
        errors["purpose"] = "Propósito desconocido; use: " + ", ".join(Purpose.values) + "."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule, _ = PurposeRule.objects.update_or_create(prefix=prefix, defaults={"purpose": purpose})
        changed = reclassify_pages()
        log_action(
            rule, "analytics.rule_saved", user=user, data={"prefix": prefix, "purpose": purpose}
        )
    return rule, changed


def purpose_rule_delete(*, rule: PurposeRule, user: User | None = None) -> int:
    with transaction.atomic():
        log_action(None, "analytics.rule_deleted", user=user, data={"prefix": rule.prefix})
        rule.delete()
        return reclassify_pages()


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
    WebLogImport.objects.filter(pk=imp.pk).update(
        state=ImportState.RUNNING, size=size, position=0, error=""
    )
    if workers is None:
        workers = settings.PREGON_WEBLOG_WORKERS if size >= PARALLEL_MIN_BYTES else 0
    handle, raw = open_log(path)
    with raw, handle:
        skip_lines(handle, imp.lines_done)  # resume: skip what is stored
        for block, reached in read_chunks(handle, raw, imp.lines_done + 1, chunk_lines, workers):
            _flush(imp, block, hasher, classify, report)
            if advance:
                advance(block.lines)
            WebLogImport.objects.filter(pk=imp.pk).update(position=reached)
            if position:
                position(reached, size)
    WebLogImport.objects.filter(pk=imp.pk).update(state=ImportState.DONE, position=size)
    return report


# ---- uploads from the dashboard and the API -----------------------------------------------

PROBE_LINES = 200


class UploadError(Exception):
    """An uploaded file is refused; `messages` say what and where, in Spanish."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def import_metrics_file(path: str, account_name: str | None = None) -> MetricsImportReport:
    with open(path, "rb") as handle:
        return import_metrics_data(handle.read(), str(path), account_name)


def import_metrics_data(
    data: bytes, filename: str, account_name: str | None = None
) -> MetricsImportReport:
    parsed = parse_metrics_file(data, filename=filename)
    account = resolve_account(parsed, account_name)
    now = timezone.now()
    rows = ({**row, "snapshot_at": now} for row in parsed.rows())
    created, updated, same = post_metrics_save(account=account, rows=rows, source=MetricSource.CSV)
    return MetricsImportReport(
        filename, parsed.layout.label, account.name, parsed.count, created, updated, same
    )


def import_metrics_upload(
    *, uploaded: UploadedFile, account_name: str | None, user: User
) -> MetricsImportReport:
    """A metrics export sent from the dashboard or the API: validated whole (a bad file
    changes nothing), then stored in short batches."""
    name = os.path.basename(uploaded.name or "archivo")
    if (uploaded.size or 0) > max_bytes("csv"):
        raise UploadError([too_large_message("csv", name)])
    try:
        report = import_metrics_data(uploaded.read(), name, account_name or None)
    except MetricsFileError as exc:
        raise UploadError(exc.messages) from exc
    log_action(None, "analytics.metrics_imported", user=user, data=asdict(report))
    return report


def stage_weblog(*, uploaded: UploadedFile, user: User) -> WebLogImport:
    """Keep an uploaded access log for the worker, after checking by content that it is
    one (plain or gzip, lines in Common or Combined format). A log imported before (same
    first bytes) reuses its record, so only new lines are counted. The caller queues the
    import (`tasks.enqueue_weblog_import`): tasks call services, never the reverse."""
    name = os.path.basename(uploaded.name or "bitacora.log")[:300]
    if (uploaded.size or 0) > max_bytes("bitacora"):
        raise UploadError([too_large_message("bitacora", name)])
    head = _probe_weblog(uploaded, name)
    imp = WebLogImport.objects.filter(fingerprint=head).first() or WebLogImport(
        fingerprint=head, name=name
    )
    if imp.pk and imp.state in (ImportState.PENDING, ImportState.RUNNING):
        raise UploadError([f"{name}: esa bitácora ya se está importando."])
    if imp.staged:
        imp.staged.delete(save=False)
    uploaded.seek(0)
    imp.staged.save("bitacora", uploaded, save=False)
    imp.state, imp.uploaded_by, imp.error = ImportState.PENDING, user, ""
    imp.size, imp.position = uploaded.size or 0, 0
    imp.save()
    log_action(imp, "analytics.weblog_uploaded", user=user, data={"archivo": name})
    return imp


def _probe_weblog(uploaded: UploadedFile, name: str) -> str:
    """The fingerprint of the upload, or UploadError saying which line is wrong."""
    uploaded.seek(0)
    start = uploaded.read(65536)
    data = start
    if start[:2] == b"\x1f\x8b":
        uploaded.seek(0)
        try:
            with gzip.GzipFile(fileobj=uploaded) as unzipped:
                data = unzipped.read(65536)
        except (OSError, EOFError) as exc:
            raise UploadError([f"{name}: el archivo .gz está dañado ({exc})."]) from exc
    if not data.strip():
        raise UploadError([f"{name}: el archivo está vacío."])
    if b"\x00" in data:
        raise UploadError([f"{name}: no es un archivo de texto (bitácora de acceso)."])
    lines = data.split(b"\n")[:PROBE_LINES]
    if len(lines) > 1:
        lines = lines[:-1]  # the last one may be cut at 64 KiB
    parser = LineParser()
    for raw in lines:
        if parser.parse(raw.decode("utf-8", "replace")).day is not None:  # a request line
            return hashlib.sha256(data).hexdigest()
    raise UploadError(
        [
            f"{name}, línea 1: no tiene el formato de una bitácora de acceso "
            "(Common o Combined de nginx o Apache); ninguna de las primeras "
            f"{len(lines)} líneas se reconoce."
        ]
    )


def run_staged_weblog(pk: int) -> WebLogImport:
    """Worker side of an upload: import, record the outcome, drop the staged copy."""
    imp = WebLogImport.objects.get(pk=pk)
    if imp.state not in (ImportState.PENDING, ImportState.FAILED) or not imp.staged:
        return imp
    try:
        report = import_weblog(imp.staged.path)
    except WebLogError as exc:  # the file itself: retrying cannot help
        WebLogImport.objects.filter(pk=pk).update(state=ImportState.FAILED, error=str(exc))
        imp.refresh_from_db()
        return imp
    except Exception as exc:  # the worker must record any failure for the page
        WebLogImport.objects.filter(pk=pk).update(
            state=ImportState.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    imp.refresh_from_db()
    imp.staged.delete(save=False)
    imp.save(update_fields=["staged"])
    log_action(imp, "analytics.weblog_imported", user=imp.uploaded_by, data=report.as_dict())
    return imp


def _flush(
    imp: WebLogImport,
    block: Block,
    hasher: VisitorHasher,
    classify: PurposeClassifier,
    report: WebLogReport,
) -> None:
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


def add_page_visits(pages: Counter, classify: Callable[[str], str]) -> None:
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


def account_metric_save(
    *, account: ChannelAccount, day: date, values: dict, source: str
) -> AccountMetric:
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


METRICS_BATCH = 1000  # posts stored per transaction


def batched(items: Iterable, size: int) -> Iterator[tuple]:
    """itertools.batched (Python 3.12) for 3.11."""
    iterator = iter(items)
    while batch := tuple(islice(iterator, size)):
        yield batch


def post_metrics_save(
    *, account: ChannelAccount, rows: Iterable[dict], source: str
) -> tuple[int, int, int]:
    """Upsert post snapshots by (account, remote_id); returns (created, updated, same).
    Written in batches, each in its own short transaction: callers validate first."""
    totals = [0, 0, 0]
    for batch in batched(rows, METRICS_BATCH):
        for i, n in enumerate(_save_metrics_batch(account, batch, source)):
            totals[i] += n
    return totals[0], totals[1], totals[2]


# Stored per post besides (account, remote_id); compared to decide "updated" or "same".
METRIC_COLUMNS = ("delivery_id", "permalink", "text", "post_type", "published_at",
                  "snapshot_at", "views", "reach", "reactions", "comments", "shares",
                  "saves", "clicks", "extra")  # fmt: skip


@transaction.atomic
def _save_metrics_batch(
    account: ChannelAccount, rows: tuple[dict, ...], source: str
) -> tuple[int, int, int]:
    """One batch in one short transaction. Plain executemany: at 190,000 rows the
    ORM's bulk_create and bulk_update cost several times the parsing."""
    ids = [row["remote_id"] for row in rows]
    stored = {
        r[0]: r[1:]
        for r in PostMetric.objects.filter(account=account, remote_id__in=ids).values_list(
            "remote_id", "id", *METRIC_COLUMNS
        )
    }
    deliveries = {k: d.pk for k, d in deliveries_for(account, ids).items()}
    new, changed = [], []
    for row in rows:
        values = _metric_values(row, deliveries.get(row["remote_id"]))
        current = stored.get(row["remote_id"])
        if current is None:
            new.append((account.pk, row["remote_id"], *_db_values(values), source))
        elif any(
            a != b
            for a, b, c in zip(current[1:], values, METRIC_COLUMNS, strict=True)
            if c != "snapshot_at"
        ):
            changed.append((*_db_values(values), source, current[0]))
    _write_metrics(new, changed)
    return len(new), len(changed), len(rows) - len(new) - len(changed)


def _metric_values(row: dict, delivery_id: int | None) -> tuple:
    defaults = {"permalink": "", "text": "", "post_type": "", "extra": {}}
    return tuple(
        delivery_id if c == "delivery_id" else row.get(c, defaults.get(c, 0))
        for c in METRIC_COLUMNS
    )


def _db_values(values: tuple) -> tuple:
    """Datetimes and JSON as the database backend expects them."""
    extra = PostMetric._meta.get_field("extra")
    return tuple(
        _db_moment(v, connection.vendor)
        if c in ("published_at", "snapshot_at")
        else extra.get_db_prep_save(v, connection)
        if c == "extra"
        else v
        for c, v in zip(METRIC_COLUMNS, values, strict=True)
    )


@lru_cache(maxsize=65536)
def _db_moment(value: datetime, vendor: str) -> Any:
    """Exports repeat the same minutes (and one snapshot time): adapted once each."""
    field = PostMetric._meta.get_field("published_at")
    return field.get_db_prep_save(value, connection)


def _write_metrics(new: list[tuple], changed: list[tuple]) -> None:
    table = PostMetric._meta.db_table
    names = ", ".join(METRIC_COLUMNS)
    marks = ", ".join(["%s"] * (len(METRIC_COLUMNS) + 3))
    sets = ", ".join(f"{c} = %s" for c in (*METRIC_COLUMNS, "source"))
    with connection.cursor() as cursor:
        if new:
            cursor.executemany(
                f"INSERT INTO {table} (account_id, remote_id, {names}, source) "  # noqa: S608
                f"VALUES ({marks})",
                new,
            )
        if changed:
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", changed)  # noqa: S608
