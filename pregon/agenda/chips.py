"""The month and week calendars: their days and each activity's chip, built here as
plain values and HTML that the templates only place.

At ten years of data a month shows some 200 chips. As a template include walking the
activity with filters (`fecha`, `time`, `url`) each chip cost ≈ 60 µs and the month
≈ 35 ms; written with f-strings from the row's values a chip costs a few µs. Values
from the database or the request are escaped here (html.escape, as Django's escape)."""

from collections.abc import Iterable
from datetime import date, timedelta
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from pregon.agenda.models import ActivityQuerySet, ActivityStatus
from pregon.agenda.selectors import Period
from pregon.core.links import EACH, for_each
from pregon.core.spanish import MONTHS, WEEKDAYS_SHORT

CHIP_VIEWS = ("mes", "semana")
MONTH_CHIPS = 5  # a month's day shows this many chips, then «y N más»

# What a chip shows, read as plain rows: a month holds hundreds of activities.
CHIP_FIELDS = (
    "pk",
    "title",
    "starts_at",
    "ends_at",
    "all_day",
    "status",
    "is_public",
    "priority_tier",
    "priority_override",
)
BADGES = {
    ActivityStatus.CANCELADA: ' <span class="badge">cancelada</span>',
    ActivityStatus.REPROGRAMADA: ' <span class="badge">reprogramada</span>',
}
PRIVATE = ' <span class="badge">privada</span>'


def rows(activities: ActivityQuerySet, period: Period) -> list[tuple]:
    """The period's activities as CHIP_FIELDS rows, in order of start."""
    return list(activities.select_related(None).between(*period.bounds).values_list(*CHIP_FIELDS))


def by_day(rows: Iterable[tuple], period: Period) -> dict[date, list[tuple]]:
    """Each day of the period with the rows of the activities held that day."""
    tz = timezone.get_current_timezone()
    days: dict[date, list[tuple]] = {day: [] for day in period.days}
    for row in rows:
        first, last = row[2].astimezone(tz).date(), row[3].astimezone(tz).date()
        if row[4] and last > first:  # all day: its DTEND is exclusive
            last -= timedelta(days=1)
        if first == last and first in days:  # most activities: no walk over the days
            days[first].append(row)
            continue
        day = max(first, period.first)
        while day <= last and day <= period.last:
            days[day].append(row)
            day += timedelta(days=1)
    return days


class ChipWriter:
    """Writes a row as its chip, the link to the activity joined from one reverse()."""

    def __init__(self) -> None:
        self.link = for_each("agenda:detail", EACH)
        self.tz = timezone.get_current_timezone()

    def __call__(self, row: tuple) -> str:
        pk, title, starts_at, _, all_day, status, is_public, tier, override = row
        hour = ""
        if not all_day:
            starts = starts_at.astimezone(self.tz)
            hour = f'<time datetime="{starts.isoformat()}">{starts:%H:%M}</time> '
        badges = BADGES.get(status, "") + ("" if is_public else PRIVATE)
        return (
            f'<a class="chip chip-{escape(status)} tier-{escape(override or tier)}" '
            f'href="{self.link(pk)}">{hour}{escape(title)}{badges}</a>\n'
        )


def week_days(days: dict[date, list[tuple]]) -> dict[date, list[SafeString]]:
    chip = ChipWriter()
    return {day: [mark_safe(chip(row)) for row in items] for day, items in days.items()}  # noqa: S308


# One day of the month grid (calendar_mes.html places them all), written with str.format:
# 42 cells of a dozen template nodes each cost ≈ 1.5 ms. Every value is escaped.
DAY_CELL = """
    <td class="{classes}">
      <div class="day-head"><a class="day-number" href="{link}"><span class="weekday-name">\
{weekday} </span>{day}</a>
      {add}</div>
      <ul class="plain">{chips}
      {more}</ul>
    </td>
    {week_end}
  """
DAY_ADD = (
    '<button type="button" class="day-add" hx-get="{url}?fecha={iso}" hx-target="#quick-create"'
    ' hx-swap="outerHTML show:top" aria-label="Registrar actividad el {day} de {month}"'
    ' title="Registrar actividad este día">+</button>'
)
DAY_MORE = '<li class="small"><a href="{link}">y {more} más</a></li>'


def month_grid(days: dict[date, list[tuple]], period: Period, query: str, can_add: bool) -> str:
    """The cells of the month grid, a week a row, each with its first chips."""
    chip = ChipWriter()
    today = timezone.localdate()
    day_url = reverse("agenda:calendar_view", args=["dia"])
    add_url = reverse("agenda:quick_create")
    query = escape(query)
    cells = []
    for number, (day, items) in enumerate(days.items(), start=1):
        classes = "" if day.month == period.anchor.month else "other-month"
        classes += " is-today" if day == today else ""
        classes += "" if items else " is-empty"
        iso, month = day.isoformat(), MONTHS[day.month - 1]
        link = f"{day_url}?fecha={iso}&{query}"
        more = len(items) - MONTH_CHIPS
        cell = DAY_CELL.format(
            classes=classes,
            link=link,
            weekday=WEEKDAYS_SHORT[day.weekday()],
            day=day.day,
            add=DAY_ADD.format(url=add_url, iso=iso, day=day.day, month=month) if can_add else "",
            chips="".join(f"<li>{chip(row)}</li>" for row in items[:MONTH_CHIPS]),
            more=DAY_MORE.format(link=link, more=more) if more > 0 else "",
            week_end="</tr><tr>" if number % 7 == 0 and number < len(days) else "",
        )
        cells.append(cell)
    return mark_safe("".join(cells))  # noqa: S308 - every value above is escaped or ours
