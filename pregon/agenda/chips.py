"""The month and week calendars: their days and each activity's chip, built here as
plain values and HTML that the templates only place.

At ten years of data a month shows some 200 chips. As a template include walking the
activity with filters (`fecha`, `time`, `url`) each chip cost ≈ 60 µs and the month
≈ 35 ms; written with format_html from the row's values a chip costs a few µs."""

from collections.abc import Callable, Iterable
from datetime import date, timedelta, tzinfo
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from pregon.agenda.models import ActivityQuerySet, ActivityStatus
from pregon.agenda.selectors import Period
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


class Chip:
    """One activity of the period: the days it spans, and its HTML when first shown
    (a busy month's day shows five of its activities)."""

    __slots__ = ("first_day", "last_day", "_row", "_starts", "_url", "_html")

    def __init__(self, row: tuple, tz: tzinfo, detail: Callable[[int], str]) -> None:
        pk, _, starts_at, ends_at, all_day, *_ = row
        self._row, self._url, self._html = row, detail(pk), None
        self._starts = starts_at.astimezone(tz)
        self.first_day, self.last_day = self._starts.date(), ends_at.astimezone(tz).date()
        if all_day and self.last_day > self.first_day:
            self.last_day -= timedelta(days=1)  # DTEND of an all-day event is exclusive

    @property
    def html(self) -> SafeString:
        if self._html is None:
            self._html = self._render()
        return self._html

    def _render(self) -> SafeString:
        _, title, _, _, all_day, status, is_public, tier, override = self._row
        starts = self._starts
        hour = "" if all_day else f'<time datetime="{starts.isoformat()}">{starts:%H:%M}</time> '
        badges = BADGES.get(status, "") + ("" if is_public else PRIVATE)
        # html.escape is what django.utils.html.escape calls, without its lazy wrapper.
        return mark_safe(  # noqa: S308 - every value from the row is escaped
            f'<a class="chip chip-{escape(status)} tier-{escape(override or tier)}" '
            f'href="{self._url}">{hour}{escape(title)}{badges}</a>\n'
        )


def chips(activities: ActivityQuerySet, period: Period) -> list[Chip]:
    """The period's activities as chips, in order of start."""
    rows = activities.select_related(None).between(*period.bounds).values_list(*CHIP_FIELDS)
    tz, detail = timezone.get_current_timezone(), _url_maker("agenda:detail")
    return [Chip(row, tz, detail) for row in rows]


def _url_maker(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` as a string join: one reverse for the whole page."""
    sentinel = 987654321
    before, after = reverse(name, args=[sentinel]).split(str(sentinel))
    return lambda pk: f"{before}{pk}{after}"


def by_day(chips: Iterable[Chip], period: Period) -> dict[date, list[Chip]]:
    """Each day of the period with the chips of the activities held that day."""
    days: dict[date, list[Chip]] = {day: [] for day in period.days}
    for chip in chips:
        day = max(chip.first_day, period.first)
        while day <= chip.last_day and day <= period.last:
            days[day].append(chip)
            day += timedelta(days=1)
    return days


def week_days(days: dict[date, list[Chip]]) -> dict[date, list[SafeString]]:
    return {day: [chip.html for chip in items] for day, items in days.items()}


def month_cells(days: dict[date, list[Chip]], period: Period, query: str) -> list[dict]:
    """What each cell of the month grid shows, its links written once here."""
    today = timezone.localdate()
    day_url = reverse("agenda:calendar_view", args=["dia"])
    add_url = reverse("agenda:quick_create")
    cells = []
    for number, (day, items) in enumerate(days.items(), start=1):
        iso = day.isoformat()
        classes = "" if day.month == period.anchor.month else "other-month"
        classes += " is-today" if day == today else ""
        classes += "" if items else " is-empty"
        shown = items[:MONTH_CHIPS]
        cells.append(
            {
                "classes": classes,
                "link": format_html("{}?fecha={}&{}", day_url, iso, query),
                "add_link": f"{add_url}?fecha={iso}",
                "weekday": WEEKDAYS_SHORT[day.weekday()],
                "day": day.day,
                "label": f"{day.day} de {MONTHS[day.month - 1]}",
                # Each chip's HTML is escaped already (SafeString).
                "chips": mark_safe("".join(f"<li>{c.html}</li>" for c in shown)),  # noqa: S308
                "more": len(items) - MONTH_CHIPS,
                "ends_week": number % 7 == 0 and number < len(days),
            }
        )
    return cells
