"""Reporting periods in local time: "2023", "2023-H1", "2023-Q3", "2023-07".

A period is a half-open interval of local dates [start, end); `bounds()` gives the
aware datetimes (America/Mexico_City) the sources filter on."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

from pregon.core.spanish import MONTHS

PATTERN = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    key: str
    start: date  # first day
    end: date  # first day after the period

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.end.toordinal() - 1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month

    @property
    def label(self) -> str:
        return period_label(self)

    def bounds(self) -> tuple[datetime, datetime]:
        zone = ZoneInfo(settings.TIME_ZONE)
        return (
            datetime.combine(self.start, time.min, zone),
            datetime.combine(self.end, time.min, zone),
        )

    def month_starts(self) -> list[date]:
        return [add_months(self.start, i) for i in range(self.months)]


def add_months(day: date, n: int) -> date:
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def parse(key: str) -> Period:
    """`parse("2023-H1")`; a clear Spanish error for anything else."""
    match = PATTERN.match((key or "").strip().upper())
    if not match:
        raise PeriodError(
            f"Periodo «{key}» no válido: use 2023, 2023-H1, 2023-H2, 2023-Q1…Q4 o 2023-01…12."
        )
    year, part = int(match[1]), match[2]
    if part is None:
        return Period(str(year), date(year, 1, 1), date(year + 1, 1, 1))
    if part[0] == "H":
        first = 1 + 6 * (int(part[1]) - 1)
        return Period(f"{year}-{part}", date(year, first, 1), add_months(date(year, first, 1), 6))
    if part[0] == "Q":
        first = 1 + 3 * (int(part[1]) - 1)
        return Period(f"{year}-{part}", date(year, first, 1), add_months(date(year, first, 1), 3))
    month = int(part)
    if not 1 <= month <= 12:
        raise PeriodError(
            f"Periodo «{key}» no válido: el mes va de 01 a 12 (p. ej. 2023-07, 2023-H1)."
        )
    return Period(f"{year}-{month:02d}", date(year, month, 1), add_months(date(year, month, 1), 1))


def year(y: int) -> Period:
    return parse(str(y))


def quarter(y: int, q: int) -> Period:
    return parse(f"{y}-Q{q}")


def semester(y: int, h: int) -> Period:
    return parse(f"{y}-H{h}")


def month(y: int, m: int) -> Period:
    return parse(f"{y}-{m:02d}")


def containing(day: date, frequency: str) -> Period:
    """The period of a given frequency (goals.models.Frequency) that holds `day`."""
    if frequency == "monthly":
        return month(day.year, day.month)
    if frequency == "quarterly":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if frequency == "semiannual":
        return semester(day.year, 1 if day.month <= 6 else 2)
    return year(day.year)


FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}


def period_label(period: Period) -> str:
    key = period.key
    if len(key) == 4:
        return f"Año {key}"
    y, part = key.split("-")
    if part[0] == "H":
        return f"{'Primer' if part == 'H1' else 'Segundo'} semestre de {y}"
    if part[0] == "Q":
        return f"{['Primer', 'Segundo', 'Tercer', 'Cuarto'][int(part[1]) - 1]} trimestre de {y}"
    return f"{MONTHS[int(part) - 1].capitalize()} de {y}"
