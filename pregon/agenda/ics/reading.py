"""Reading a calendar file: decoding, parsing by `icalendar`, and the bounds on
recurrence, with every complaint turned into a Spanish message that names the line."""

import re
from datetime import datetime
from itertools import islice

import icalendar
from dateutil.rrule import rrulestr
from django.conf import settings
from django.utils import timezone

from pregon.agenda.ics.occurrences import MAX_OCCURRENCES, IcsError, aware, local_tz, window
from pregon.core.uploads import max_bytes, too_large_message

TOO_FREQUENT = {"SECONDLY": "cada segundo", "MINUTELY": "cada minuto", "HOURLY": "cada hora"}


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IcsError(f"Línea {line}: el archivo no está en UTF-8.") from exc


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfolded content lines with the physical line number where each starts."""
    lines: list[list] = []
    for number, line in enumerate(text.splitlines(), 1):
        if line[:1] in (" ", "\t") and lines:
            lines[-1][1] += line[1:]
        elif line.strip():
            lines.append([number, line])
    return [(n, s) for n, s in lines]


def _line_of_text(lines: list[tuple[int, str]], fragment: str) -> tuple[int, str] | None:
    for number, line in lines:
        if line == fragment:
            return number, line
    return None


def _line_of_property(lines: list[tuple[int, str]], prop: str) -> tuple[int, str] | None:
    """The first `prop` line that icalendar cannot read on its own."""
    candidates = [(n, s) for n, s in lines if re.split(r"[;:]", s, maxsplit=1)[0].upper() == prop]
    for number, line in candidates:
        probe = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n")
        if probe.errors:
            return number, line
    return candidates[0] if candidates else None


def _fail(lines: list[tuple[int, str]], prop: str | None, problem: str) -> IcsError:
    quoted = re.search(r"could not be parsed into parts: '(.*?)':", problem)
    where = _line_of_text(lines, quoted.group(1)) if quoted else None
    if where is None and prop:
        where = _line_of_property(lines, prop.upper())
    if where is None:
        return IcsError(f"El calendario no es válido: {problem}")
    number, line = where
    what = f"el valor de {prop} no es válido" if prop else "la línea no tiene la forma NOMBRE:valor"
    return IcsError(f"Línea {number}: {what} («{line[:120]}»).")


def parse_calendar(data: bytes) -> icalendar.Calendar:
    if len(data) > max_bytes("ical"):
        raise IcsError(too_large_message("ical"))
    text = decode(data)
    lines = logical_lines(text)
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise IcsError("Línea 1: el archivo no es un calendario iCalendar (falta BEGIN:VCALENDAR).")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise _fail(lines, None, str(exc)) from exc
    for component in calendar.walk():
        for prop, problem in component.errors:
            raise _fail(lines, prop, str(problem))
    for index, event in enumerate(calendar.walk("VEVENT")):
        if "DTSTART" not in event:
            begins = [n for n, s in lines if s.strip().upper() == "BEGIN:VEVENT"]
            raise IcsError(f"Línea {begins[index]}: el evento no tiene fecha de inicio (DTSTART).")
    return calendar


def _rule_lines(lines: list[tuple[int, str]]) -> list[int | None]:
    """The line of each VEVENT's RRULE (None without one), in file order."""
    found: list[int | None] = []
    inside = False
    for number, line in lines:
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        if line.strip().upper() == "BEGIN:VEVENT":
            inside = True
            found.append(None)
        elif line.strip().upper() == "END:VEVENT":
            inside = False
        elif inside and name == "RRULE" and found[-1] is None:
            found[-1] = number
    return found


def check_series(data: bytes, calendar: icalendar.Calendar, until: datetime | None) -> None:
    """Refuse, naming the line, a series that repeats more often than daily, asks for
    more than PREGON_ICS_MAX_SERIES_OCCURRENCES repetitions, or produces more than that
    within the import window; and a file whose series add up past MAX_OCCURRENCES.
    Counting stops at the limit, so an endless rule costs as much as a short one."""
    limit = settings.PREGON_ICS_MAX_SERIES_OCCURRENCES
    last = until or window(calendar)[1]
    lines = logical_lines(decode(data))
    total = 0
    for event, number in zip(calendar.walk("VEVENT"), _rule_lines(lines), strict=False):
        where = f"Línea {number}" if number else "Una serie"
        total += _series_size(event, where, limit, last)
        if total > MAX_OCCURRENCES:
            raise IcsError(
                f"{where}: el archivo produce más de {MAX_OCCURRENCES} ocurrencias; "
                "indique un periodo más corto (--desde/--hasta)."
            )


def _series_size(event, where: str, limit: int, last: datetime) -> int:
    rules = event.get("RRULE")
    if rules is None:
        return 1 + sum(len(r.dts) for r in _as_list(event.get("RDATE")))
    rule = rules[0] if isinstance(rules, list) else rules
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    if freq in TOO_FREQUENT:
        raise IcsError(
            f"{where}: la repetición {TOO_FREQUENT[freq]} (FREQ={freq}) no se admite en la "
            "agenda; la más frecuente es diaria."
        )
    count = int((rule.get("COUNT") or [0])[0])
    if count > limit:
        raise IcsError(
            f"{where}: la serie pide {count} repeticiones (COUNT={count}); el máximo es {limit}."
        )
    if count:
        return count
    size = _count_until(event, rule, last, limit + 1)
    if size > limit:
        raise IcsError(
            f"{where}: la serie produce más de {limit} ocurrencias hasta "
            f"{timezone.localtime(last):%d/%m/%Y}; acórtela con UNTIL o COUNT."
        )
    return size


def _as_list(value) -> list:
    return value if isinstance(value, list) else ([value] if value is not None else [])


def _count_until(event, rule, last: datetime, cap: int) -> int:
    """Occurrences of `rule` up to `last`, counting at most `cap`."""
    local = local_tz()
    start = aware(event.decoded("DTSTART")).astimezone(local).replace(tzinfo=None)
    end = last.astimezone(local).replace(tzinfo=None)
    try:
        series = rrulestr(rule.to_ical().decode(), dtstart=start, ignoretz=True)
        until = series._until  # noqa: SLF001 - dateutil exposes no getter
        bounded = series.replace(until=min(until, end) if until else end)
    except (ValueError, TypeError) as exc:
        raise IcsError(
            f"La regla de repetición «{rule.to_ical().decode()[:120]}» no es válida."
        ) from exc
    return sum(1 for _ in islice(bounded, cap))
