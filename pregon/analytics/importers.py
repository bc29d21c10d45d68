"""Read the post exports people download from the networks (each network's package
describes its layouts). `import_metrics_file` validates the whole file first
(a bad file changes nothing), then reads it again and stores it in batches, each in a
short transaction, so a 190,000-row export never holds the database's write lock."""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from pregon.publishing.channels.network import CsvLayout
from pregon.publishing.channels.registry import networks
from pregon.publishing.models import ChannelAccount


class MetricsFileError(Exception):
    """The file cannot be imported; `messages` say what and where, in Spanish."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


# Each network's post exports are described in its package (channels/<network>/).
Layout = CsvLayout


def layouts() -> list[Layout]:
    return [layout for network in networks().values() for layout in network.csv_layouts]


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


MAX_ERRORS = 50
MAX_COUNT = 2_147_483_647  # the largest figure the database columns hold
MAX_REMOTE_ID = 100


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "")).strip().casefold()


@dataclass
class ParsedFile:
    """A validated export. Rows are not kept: `rows()` reads the file again and yields
    the last row of each post (a 190,000-row export would take ~300 MB as dicts)."""

    data: bytes
    delimiter: str
    layout: Layout
    columns: dict[str, int]
    header: list[str]
    owners: set[tuple[str, str]]  # (id, name) of the account named in the file
    last_line: dict[str, int]  # remote id -> the line that wins (the last one)
    handles: set[str] = field(default_factory=set)  # handles seen in the post links

    @property
    def count(self) -> int:
        return len(self.last_line)

    def rows(self) -> Iterator[dict]:
        for number, cells in _numbered(self.data, self.delimiter):
            row = _parse_row(self.layout, self.columns, cells, self.header)
            if self.last_line.get(row["remote_id"]) == number:
                for name in ("owner_id", "owner_name", "period"):
                    row.pop(name, None)
                yield row


def _text(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


def _check_utf8(data: bytes, filename: str) -> None:
    """Decode in pieces (no second copy of the file as text) to find a bad byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    piece = 1 << 20
    for at in range(0, len(data), piece):
        try:
            decoder.decode(data[at : at + piece], final=at + piece >= len(data))
        except UnicodeDecodeError as exc:
            raise MetricsFileError(
                [f"{filename}: no está en UTF-8 (byte {at + exc.start}); exporte de nuevo el CSV."]
            ) from exc


def _numbered(data: bytes, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank data row, after the header."""
    reader = csv.reader(_text(data), delimiter=delimiter)
    next(reader, None)
    for cells in reader:
        if any(c.strip() for c in cells):
            yield reader.line_num, cells


def read_header(data: bytes) -> tuple[list[str], str]:
    sample = data[:4096].decode("utf-8-sig", errors="ignore")
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    header = next(csv.reader(_text(data), delimiter=delimiter), None)
    if not header:
        raise MetricsFileError(["El archivo está vacío."])
    return header, delimiter


def detect_layout(header: list[str]) -> tuple[Layout, dict[str, int]]:
    """The layout whose required columns are all present; else explain what is missing
    for the layout the file resembles most."""
    names = {_norm(h): i for i, h in enumerate(header)}
    best: tuple[int, Layout, list[str]] | None = None
    for layout in layouts():
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
    """Check every row (a bad file changes nothing: errors name line and column),
    keeping only which line wins for each post."""
    _check_utf8(data, filename)
    header, delimiter = read_header(data)
    layout, columns = detect_layout(header)
    parsed = ParsedFile(data, delimiter, layout, columns, header, set(), {})
    errors: list[str] = []
    for number, cells in _numbered(data, delimiter):
        try:
            row = _parse_row(layout, columns, cells, header)
        except ValueError as exc:
            errors.append(f"{filename}, línea {number}: {exc}")
            if len(errors) >= MAX_ERRORS:
                break
            continue
        parsed.owners.add((row.get("owner_id", ""), row.get("owner_name", "")))
        parsed.last_line[row["remote_id"]] = number  # the same post twice: the last wins
        pattern = layout.handle_pattern
        found = pattern.search(row.get("permalink", "")) if pattern else None
        if found and len(parsed.handles) < 100:
            parsed.handles.add(found[1].casefold())
    if errors:
        raise MetricsFileError(errors)
    return parsed


def _parse_row(layout: Layout, columns: dict[str, int], cells: list[str], header) -> dict:
    raw = {f: (cells[i].strip() if i < len(cells) else "") for f, i in columns.items()}
    if not raw["remote_id"]:
        raise ValueError(f"la columna «{header[columns['remote_id']]}» está vacía")
    if len(raw["remote_id"]) > MAX_REMOTE_ID:
        raise ValueError(f"la columna «{header[columns['remote_id']]}» pasa de 100 caracteres")
    row: dict = {f: raw.get(f, "") for f in TEXT_FIELDS if f in raw}
    row["permalink"], row["post_type"] = (
        row.get("permalink", "")[:500],
        row.get("post_type", "")[:60],
    )
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
        number = int(float(cleaned))
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"columna «{column}»: «{value}» no es un número") from exc
    if not 0 <= number <= MAX_COUNT:
        raise ValueError(f"columna «{column}»: «{value}» no es una cifra válida (0 o más)")
    return number


def parse_time(value: str, column: str) -> datetime:
    moment = _moment(value, settings.TIME_ZONE)
    if moment is None:
        raise ValueError(f"columna «{column}»: «{value}» no es una fecha y hora (MM/DD/AAAA HH:MM)")
    return moment


@lru_cache(maxsize=65536)
def _moment(value: str, zone: str) -> datetime | None:
    """Exports repeat the same minutes: each text is parsed once."""
    for fmt in TIME_FORMATS:
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return moment if moment.tzinfo else timezone.make_aware(moment, ZoneInfo(zone))
    return None


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
    for account in candidates:  # X: the handle is in the post links
        if account.handle.lstrip("@").casefold() in parsed.handles:
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
