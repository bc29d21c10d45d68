"""The permanent campaign's cadence (reads): per theme and network, the posts published
in the current week or month against the target, the last one, and which are behind.

A post counts for a theme on a network when one of its deliveries to an account of
that network was published (DeliveryStatus.PUBLICADA, by its `published_at`); a
publication sent to two Facebook pages counts once for Facebook. A veda pauses the
themes whose category is not exempt (compliance decides, with the theme's category)."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from pregon.compliance.rules import BlackoutRules
from pregon.core.spanish import spanish_date
from pregon.publishing.models import (
    CadencePeriod,
    Category,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Theme,
    ThemeTarget,
)

# What the board reads: a write to any of these may change it (home panels watch them).
READS = (
    "publishing.Publication",
    "publishing.Delivery",
    "publishing.ChannelAccount",
    "publishing.Theme",
    "publishing.ThemeTarget",
    "compliance.ElectoralPeriod",
    "compliance.ExemptCategory",
)
STATUS_LABELS = {"al_dia": "Al día", "atrasado": "Atrasado", "pausado": "En pausa por veda"}
PERIOD_NOUNS = {CadencePeriod.WEEK: "esta semana", CadencePeriod.MONTH: "este mes"}


def period_bounds(day: date, period: str) -> tuple[date, date]:
    """The week (Monday to Sunday) or calendar month holding `day`: [first, next first)."""
    if period == CadencePeriod.WEEK:
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=7)
    first = day.replace(day=1)
    return first, first + timedelta(days=calendar.monthrange(day.year, day.month)[1])


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class CadenceCell:
    """One theme on one network: its target, what was published and whether it is behind."""

    theme: Theme
    target: ThemeTarget
    count: int
    last_post: datetime | None
    paused: bool
    starts: date
    ends: date  # exclusive

    @property
    def missing(self) -> int:
        return max(0, self.target.count - self.count)

    @property
    def shortfall(self) -> float:
        """Share of the target still missing (1 = nothing published yet)."""
        return self.missing / self.target.count if self.target.count else 0.0

    @property
    def status(self) -> str:
        if self.paused:
            return "pausado"
        return "atrasado" if self.missing else "al_dia"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def period_noun(self) -> str:
        return PERIOD_NOUNS[self.target.period]

    @property
    def summary(self) -> str:
        """«1 de 2 esta semana en Facebook: faltan 1» (what the home page and composer say)."""
        text = (
            f"{self.count} de {self.target.count} {self.period_noun} en "
            f"{self.target.get_channel_display()}"
        )
        if self.paused:
            return f"{text}: en pausa por veda"
        return f"{text}: faltan {self.missing}" if self.missing else f"{text}: al día"


@dataclass
class ThemeRow:
    theme: Theme
    cells: dict[str, CadenceCell]
    pause_reason: str = ""

    @property
    def paused(self) -> bool:
        return bool(self.pause_reason)

    @property
    def behind(self) -> bool:
        return any(c.status == "atrasado" for c in self.cells.values())

    @property
    def status(self) -> str:
        if self.paused:
            return "pausado"
        return "atrasado" if self.behind else "al_dia"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def behind_cells(self) -> list[CadenceCell]:
        return [c for c in self.cells.values() if c.status == "atrasado"]


@dataclass
class CadenceBoard:
    day: date
    rows: list[ThemeRow]
    channels: list[tuple[str, str]] = field(default_factory=list)  # networks with a target
    vedas: list[str] = field(default_factory=list)  # names of the vedas in force that day

    def cells(self) -> list[CadenceCell]:
        return [c for row in self.rows for c in row.cells.values()]

    @property
    def paused_reason(self) -> str:
        """Why themes are paused (the same words for every paused theme), once."""
        return next((row.pause_reason for row in self.rows if row.paused), "")

    def grid(self) -> list[tuple[ThemeRow, list[CadenceCell | None]]]:
        """Each row's cells in the board's network order (None where no target)."""
        return [(row, [row.cells.get(kind) for kind, _ in self.channels]) for row in self.rows]

    def measured(self) -> list[CadenceCell]:
        """Cells that count for compliance: not paused by a veda."""
        return [c for c in self.cells() if not c.paused]

    def met(self) -> int:
        return sum(1 for c in self.measured() if not c.missing)

    def most_behind(self, channels: set[str] | None = None, limit: int = 3) -> list[CadenceCell]:
        """Behind cells, the largest share missing first, then the longest silent."""
        cells = [
            c
            for c in self.measured()
            if c.missing and (channels is None or c.target.channel in channels)
        ]
        never = _aware(date.min + timedelta(days=1))
        cells.sort(key=lambda c: (-c.shortfall, c.last_post or never, c.theme.order))
        return cells[:limit]


_PUBLICATION = "variant__publication"
_THEME = f"{_PUBLICATION}__theme"


def _counts(themes: list[Theme], day: date) -> dict[tuple[int, str], dict]:
    """{(theme id, network): {"week", "month", "last"}} from published deliveries up to
    the end of `day`.

    Two bounded reads rather than one over every delivery ever published: this week's
    and month's deliveries (a range on the (status, published_at) index), which also
    give the last post of every pair that posted lately; then, only for the themes with
    a pair that did not, their own publications' deliveries before that (walked from
    the theme's index), for the last post ever."""
    week, _ = period_bounds(day, CadencePeriod.WEEK)
    month, _ = period_bounds(day, CadencePeriod.MONTH)
    since, cut = _aware(min(week, month)), _aware(day + timedelta(days=1))
    ids = [t.pk for t in themes]
    recent = (
        Delivery.objects.filter(
            status=DeliveryStatus.PUBLICADA,
            published_at__gte=since,
            published_at__lt=cut,
            **{f"{_THEME}__in": ids},
        )
        .values(_THEME, "account__kind")
        .annotate(
            week=Count(_PUBLICATION, filter=Q(published_at__gte=_aware(week)), distinct=True),
            month=Count(_PUBLICATION, filter=Q(published_at__gte=_aware(month)), distinct=True),
            last=Max("published_at"),
        )
    )
    found = {(r[_THEME], r["account__kind"]): r for r in recent}
    silent = [t.pk for t in themes if any((t.pk, g.channel) not in found for g in t.targets.all())]
    if silent:
        for key, last in _last_before(silent, since).items():
            found.setdefault(key, {"week": 0, "month": 0, "last": last})
    return found


def _last_before(theme_ids: list[int], before: datetime) -> dict[tuple[int, str], datetime]:
    """The last published delivery before `before` per (theme, network) of these themes.
    The status is grouped on, not filtered: a filter on it would make SQLite (which
    keeps no statistics) walk every published delivery instead of the themes' own."""
    rows = (
        Delivery.objects.filter(published_at__lt=before, **{f"{_THEME}__in": theme_ids})
        .values(_THEME, "account__kind", "status")
        .annotate(last=Max("published_at"))
    )
    return {
        (r[_THEME], r["account__kind"]): r["last"]
        for r in rows
        if r["status"] == DeliveryStatus.PUBLICADA
    }


def _pause_reason(rules: BlackoutRules, theme: Theme, day: date) -> str:
    verdict = rules.check(theme.category, day)
    if not verdict.blocked:
        return ""
    names = ", ".join(f"«{p}»" for p in verdict.periods)
    until = f"; vuelve a contar a partir del {spanish_date(verdict.until)}" if verdict.until else ""
    return f"En pausa por la veda {names}: su categoría no está exenta{until}."


def board(day: date | None = None) -> CadenceBoard:
    """The cadence of every active theme on `day` (today by default). Five queries, six
    when a theme has a network with nothing published this month."""
    day = day or timezone.localdate()
    themes = list(
        Theme.objects.filter(is_active=True).prefetch_related(
            Prefetch("targets", queryset=ThemeTarget.objects.order_by("channel"))
        )
    )
    counts = _counts(themes, day)
    rules = BlackoutRules.load()
    rows = []
    for theme in themes:
        reason = _pause_reason(rules, theme, day)
        cells = {}
        for target in theme.targets.all():
            found = counts.get((theme.pk, target.channel), {})
            starts, ends = period_bounds(day, target.period)
            count = found.get("week" if target.period == CadencePeriod.WEEK else "month", 0)
            cells[target.channel] = CadenceCell(
                theme, target, count, found.get("last"), bool(reason), starts, ends
            )
        rows.append(ThemeRow(theme, cells, reason))
    used = {kind for row in rows for kind in row.cells}
    channels = [(k, label) for k, label in ChannelKind.choices if k in used]
    vedas = sorted({p.name for p in rules.periods_on(day)})
    return CadenceBoard(day, rows, channels, vedas)


def theme_for_category(category: str) -> Theme | None:
    """The theme a publication of `category` takes when none is chosen."""
    if not category or category == Category.OTRO:
        return None
    return Theme.objects.filter(category=category, is_active=True).order_by("order").first()


def expected_in(target: ThemeTarget, days: int) -> float:
    """How many posts the target asks for over `days` days, pro rata."""
    if target.period == CadencePeriod.WEEK:
        return target.count * days / 7
    return target.count * days * 12 / 365.25


def free_days(rules: BlackoutRules, theme: Theme, first: date, last: date) -> int:
    """Days between two dates (inclusive) on which no veda paused the theme."""
    span = range((last - first).days + 1)
    days = (first + timedelta(days=n) for n in span)
    return sum(1 for day in days if not rules.check(theme.category, day).blocked)


@dataclass
class SpanCell:
    theme: str
    channel: str
    target: str
    expected: float
    published: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.published / self.expected, 1) if self.expected else None

    @property
    def met(self) -> bool:
        return self.published >= round(self.expected)


def over_span(first: date, last: date) -> list[SpanCell]:
    """Per theme and network, the posts published between two dates against what the
    cadence asked for, without the days a veda paused the theme (the semiannual
    report's section). Four queries."""
    start, end = _aware(first), _aware(last + timedelta(days=1))
    publication = "variant__publication"
    rows = (
        Delivery.objects.filter(
            status=DeliveryStatus.PUBLICADA, published_at__gte=start, published_at__lt=end
        )
        .exclude(variant__publication__theme=None)
        .values(f"{publication}__theme", "account__kind")
        .annotate(n=Count(publication, distinct=True))
    )
    counts = {(r[f"{publication}__theme"], r["account__kind"]): r["n"] for r in rows}
    targets = ThemeTarget.objects.filter(theme__is_active=True).select_related("theme")
    rules, days = BlackoutRules.load(), {}
    cells = []
    for t in targets.order_by("theme__order", "theme__name", "channel"):
        if t.theme_id not in days:
            days[t.theme_id] = free_days(rules, t.theme, first, last)
        expected = round(expected_in(t, days[t.theme_id]), 1)
        count = counts.get((t.theme_id, t.channel), 0)
        target = f"{t.count} {t.get_period_display()}"
        cells.append(SpanCell(t.theme.name, t.get_channel_display(), target, expected, count))
    return cells
