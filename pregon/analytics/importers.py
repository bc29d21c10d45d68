"""Read the post exports people download from Meta Business Suite (Facebook and
Instagram) and from X analytics. Parsing only: `import_metrics_file` validates the
whole file first and then stores it in one transaction, so a bad file changes nothing."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from pregon.analytics.models import MetricSource
from pregon.publishing.models import ChannelAccount, ChannelKind


class MetricsFileError(Exception):
    """The file cannot be imported; `messages` say what and where, in Spanish."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Layout:
    name: str
    label: str
    kind: str  # ChannelKind of the accounts this layout describes
    columns: dict[str, tuple[str, ...]]  # field -> accepted header names
    required: tuple[str, ...]
    sums: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field -> fields added


META_COMMON = {
    "remote_id": ("Post ID", "Identificador de la publicación", "ID de la publicación"),
    "published_at": ("Publish time", "Hora de publicación"),
    "permalink": ("Permalink", "Enlace permanente"),
    "post_type": ("Post type", "Tipo de publicación"),
    "period": ("Date", "Fecha"),
    "reach": ("Reach", "Alcance"),
    "comments": ("Comments", "Comentarios"),
    "shares": ("Shares", "Veces que se compartió", "Compartidos"),
}
FACEBOOK = Layout(
    "facebook",
    "Meta Business Suite · Facebook",
    ChannelKind.FACEBOOK_PAGE,
    {
        **META_COMMON,
        "owner_id": ("Page ID", "Identificador de la página", "ID de la página"),
        "owner_name": ("Page name", "Nombre de la página"),
        "text": ("Title", "Título", "Description", "Descripción"),
        "views": ("Views", "Impressions", "Visualizaciones", "Impresiones"),
        "reactions": ("Reactions", "Reacciones"),
        "engagements": (
            "Reactions, comments and shares",
            "Reacciones, comentarios y veces que se compartió",
        ),
        "clicks": ("Total clicks", "Clics totales"),
    },
    ("remote_id", "owner_id", "published_at", "reach", "reactions", "comments", "shares"),
)
INSTAGRAM = Layout(
    "instagram",
    "Meta Business Suite · Instagram",
    ChannelKind.INSTAGRAM,
    {
        **META_COMMON,
        "owner_id": ("Account ID", "Identificador de la cuenta", "ID de la cuenta"),
        "owner_name": ("Account username", "Nombre de usuario de la cuenta"),
        "text": ("Description", "Descripción"),
        "views": ("Views", "Impressions", "Visualizaciones", "Impresiones"),
        "reactions": ("Likes", "Me gusta"),
        "saves": ("Saves", "Veces que se guardó", "Guardados"),
        "follows": ("Follows", "Seguimientos"),
    },
    ("remote_id", "owner_id", "published_at", "reach", "reactions", "comments"),
)
X_NEW = Layout(
    "x",
    "X · account_analytics_content",
    ChannelKind.X,
    {
        "remote_id": ("Post id",),
        "published_at": ("Date",),
        "text": ("Post text",),
        "permalink": ("Post Link",),
        "views": ("Impressions",),
        "reactions": ("Likes",),
        "engagements": ("Engagements",),
        "saves": ("Bookmarks",),
        "dm_shares": ("Shares",),
        "follows": ("New follows",),
        "comments": ("Replies",),
        "reposts": ("Reposts",),
        "profile_visits": ("Profile visits",),
        "detail_expands": ("Detail Expands",),
        "url_clicks": ("URL Clicks",),
        "hashtag_clicks": ("Hashtag Clicks",),
        "permalink_clicks": ("Permalink Clicks",),
    },
    ("remote_id", "published_at", "views", "reactions", "comments", "reposts"),
    {
        "shares": ("reposts", "dm_shares"),
        "clicks": ("url_clicks", "hashtag_clicks", "permalink_clicks", "detail_expands"),
    },
)
X_OLD = Layout(
    "x_old",
    "X · tweet_activity_metrics",
    ChannelKind.X,
    {
        "remote_id": ("Tweet id",),
        "permalink": ("Tweet permalink",),
        "text": ("Tweet text",),
        "published_at": ("time",),
        "views": ("impressions",),
        "engagements": ("engagements",),
        "reposts": ("retweets",),
        "comments": ("replies",),
        "reactions": ("likes",),
        "profile_visits": ("user profile clicks",),
        "url_clicks": ("url clicks",),
        "hashtag_clicks": ("hashtag clicks",),
        "detail_expands": ("detail expands",),
        "permalink_clicks": ("permalink clicks",),
        "follows": ("follows",),
    },
    ("remote_id", "published_at", "views", "reactions", "comments", "reposts"),
    {
        "shares": ("reposts",),
        "clicks": ("url_clicks", "hashtag_clicks", "permalink_clicks", "detail_expands"),
    },
)
LAYOUTS = (FACEBOOK, INSTAGRAM, X_NEW, X_OLD)
MODEL_FIELDS = ("views", "reach", "reactions", "comments", "shares", "saves", "clicks")
TEXT_FIELDS = ("remote_id", "permalink", "text", "post_type", "owner_id", "owner_name", "period")
TIME_FORMATS = (
    "%m/%d/%Y %H:%M",  # Meta: 01/31/2023 18:05
    "%Y-%m-%d %H:%M %z",  # X old export: 2019-05-01 16:50 +0000
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%z",
    "%a, %b %d, %Y",  # X new export: Sat, Nov 30, 2024
    "%b %d, %Y",
    "%Y-%m-%d",
)


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "")).strip().casefold()


@dataclass
class ParsedFile:
    layout: Layout
    rows: list[dict]
    owners: set[tuple[str, str]]  # (id, name) of the account named in the file


def read_table(data: bytes) -> tuple[list[str], list[list[str]]]:
    text = data.decode("utf-8-sig", errors="strict") if data else ""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise MetricsFileError(["El archivo está vacío."])
    return rows[0], rows[1:]


def detect_layout(header: list[str]) -> tuple[Layout, dict[str, int]]:
    """The layout whose required columns are all present; else explain what is missing
    for the layout the file resembles most."""
    names = {_norm(h): i for i, h in enumerate(header)}
    best: tuple[int, Layout, list[str]] | None = None
    for layout in LAYOUTS:
        found = {}
        for fname, aliases in layout.columns.items():
            hit = next((names[_norm(a)] for a in aliases if _norm(a) in names), None)
            if hit is not None:
                found[fname] = hit
        missing = [layout.columns[f][0] for f in layout.required if f not in found]
        if not missing:
            return layout, found
        score = len(found)
        if best is None or score > best[0]:
            best = (score, layout, missing)
    _, layout, missing = best  # type: ignore[misc]
    raise MetricsFileError(
        [
            f"Formato de archivo no reconocido. Se parece más a «{layout.label}», pero "
            f"faltan las columnas: {', '.join(f'«{m}»' for m in missing)}."
        ]
    )


def parse_metrics_file(data: bytes, filename: str = "archivo") -> ParsedFile:
    try:
        header, body = read_table(data)
    except UnicodeDecodeError as exc:
        raise MetricsFileError(
            [f"{filename}: no está en UTF-8 (byte {exc.start}); exporte de nuevo el CSV."]
        ) from exc
    layout, columns = detect_layout(header)
    rows, errors, owners = [], [], set()
    for number, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            continue
        try:
            row = _parse_row(layout, columns, cells, header)
        except ValueError as exc:
            errors.append(f"{filename}, línea {number}: {exc}")
            continue
        owners.add((row.pop("owner_id", ""), row.pop("owner_name", "")))
        row.pop("period", None)
        rows.append(row)
    if errors:
        raise MetricsFileError(errors[:50])
    # The same post twice (e.g. "Lifetime" and a dated row): keep the last one.
    unique = {row["remote_id"]: row for row in rows}
    return ParsedFile(layout, list(unique.values()), owners)


def _parse_row(layout: Layout, columns: dict[str, int], cells: list[str], header) -> dict:
    raw = {f: (cells[i].strip() if i < len(cells) else "") for f, i in columns.items()}
    if not raw["remote_id"]:
        raise ValueError(f"la columna «{header[columns['remote_id']]}» está vacía")
    row: dict = {f: raw.get(f, "") for f in TEXT_FIELDS if f in raw}
    row["published_at"] = parse_time(raw["published_at"], header[columns["published_at"]])
    numbers = {
        f: parse_number(v, header[columns[f]])
        for f, v in raw.items()
        if f not in TEXT_FIELDS and f != "published_at"
    }
    for target, parts in layout.sums.items():
        numbers[target] = sum(numbers.get(p) or 0 for p in parts)
    extra = {}
    for fname, value in numbers.items():
        if fname in MODEL_FIELDS:
            row[fname] = value if fname in ("views", "reach") else (value or 0)
        elif value is not None:
            extra[fname] = value
    row["extra"] = extra
    return row


def parse_number(value: str, column: str) -> int | None:
    cleaned = value.replace(",", "").replace(" ", "").replace("\u00a0", "")
    if cleaned in ("", "-"):
        return None
    try:
        return int(float(cleaned))
    except ValueError as exc:
        raise ValueError(f"columna «{column}»: «{value}» no es un número") from exc


def parse_time(value: str, column: str) -> datetime:
    zone = ZoneInfo(settings.TIME_ZONE)
    for fmt in TIME_FORMATS:
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return moment if moment.tzinfo else timezone.make_aware(moment, zone)
    raise ValueError(f"columna «{column}»: «{value}» no es una fecha y hora (MM/DD/AAAA HH:MM)")


def resolve_account(parsed: ParsedFile, name: str | None) -> ChannelAccount:
    kind = parsed.layout.kind
    if name:
        account = ChannelAccount.objects.filter(name=name).first()
        if account is None:
            raise MetricsFileError([f"No existe la cuenta «{name}»."])
        if account.kind != kind:
            raise MetricsFileError(
                [
                    f"La cuenta «{name}» es de tipo {account.get_kind_display()}, "
                    f"pero el archivo es de {parsed.layout.label}."
                ]
            )
        return account
    candidates = ChannelAccount.objects.filter(kind=kind)
    for owner_id, owner_name in parsed.owners:
        for account in candidates:
            if owner_id and account.external_id == owner_id:
                return account
            handle = account.handle.lstrip("@").casefold()
            if handle and owner_name.lstrip("@").casefold() == handle:
                return account
    for row in parsed.rows:  # X: the handle is in the post link
        found = re.search(r"(?:x|twitter)\.com/([^/]+)/status", row.get("permalink", ""))
        for account in candidates if found else []:
            if account.handle.lstrip("@").casefold() == found[1].casefold():
                return account
    raise MetricsFileError(
        ["No se pudo saber a qué cuenta corresponde el archivo; indíquela con --account."]
    )


@dataclass
class MetricsImportReport:
    file: str
    layout: str
    account: str
    rows: int
    created: int
    updated: int
    unchanged: int


def import_metrics_file(path: str, account_name: str | None = None) -> MetricsImportReport:
    with open(path, "rb") as handle:
        return import_metrics_data(handle.read(), str(path), account_name)


def import_metrics_data(
    data: bytes, filename: str, account_name: str | None = None
) -> MetricsImportReport:
    from pregon.analytics.services import post_metrics_save

    parsed = parse_metrics_file(data, filename=filename)
    account = resolve_account(parsed, account_name)
    now = timezone.now()
    for row in parsed.rows:
        row["snapshot_at"] = now
    created, updated, same = post_metrics_save(
        account=account, rows=parsed.rows, source=MetricSource.CSV
    )
    return MetricsImportReport(
        filename, parsed.layout.label, account.name, len(parsed.rows), created, updated, same
    )
