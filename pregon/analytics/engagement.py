"""When our public responds: engagement of Pregón's own delivered posts by account,
weekday and hour (local time), by format and by category, with how many posts stand
behind each figure and whether there are enough to trust it.

A post's engagement is interactions ÷ reach × 100, or ÷ the account's followers that
day when the network gave no reach. A group's figure is the mean of its posts' rates,
with a 95 % interval (core.stats.mean_interval): the spread between posts is what
makes an hour look good by luck, so the interval is over posts, not over people."""

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q

from pregon.analytics.definitions import MIN_POSTS
from pregon.analytics.models import AccountMetric, PostMetric
from pregon.core.stats import mean_interval
from pregon.publishing.models import Category, ChannelAccount, DeliveryStatus

WEEKDAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
PUB = "delivery__variant__publication__"
MEDIA = "delivery__variant__media"

FORMATS = {
    "texto": "Texto",
    "foto": "Foto",
    "video": "Video",
    "carrusel": "Carrusel",
    "enlace": "Enlace",
}


def post_format(media: int, videos: int, link: str) -> str:
    """What went out: any video makes it a video; several images a carousel."""
    if videos:
        return "video"
    if media > 1:
        return "carrusel"
    if media == 1:
        return "foto"
    return "enlace" if link else "texto"


@dataclass(frozen=True)
class Dimension:
    """A way to group posts: its name, the lookups it reads with each post, how a row
    becomes a value, and the Spanish name of each value (unknown values show as is)."""

    label: str
    fields: tuple[str, ...]
    value: Callable[[dict], str]
    names: Callable[[], dict[str, str]]


# Adding a grouping is one entry here; the page, the CSV and the API list every entry.
DIMENSIONS: dict[str, Dimension] = {
    "format": Dimension(
        "Formato",
        ("media_count", "video_count", PUB + "link"),
        lambda r: post_format(r["media_count"], r["video_count"], r[PUB + "link"]),
        lambda: FORMATS,
    ),
    "category": Dimension(
        "Categoría",
        (PUB + "category",),
        lambda r: r[PUB + "category"] or "",
        lambda: dict(Category.choices),
    ),
    "theme": Dimension(
        "Tema permanente",
        (PUB + "theme__name",),
        lambda r: r[PUB + "theme__name"] or "",
        lambda: {"": "Sin tema"},
    ),
}


@dataclass
class OwnPost:
    account_id: int
    published_at: datetime  # local time
    interactions: int
    base: int  # reach, or followers when the network gave no reach
    by_reach: bool
    groups: dict[str, str] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return 100 * self.interactions / self.base


@dataclass(frozen=True)
class Figure:
    """Mean engagement (%) of `n` posts with its 95 % interval (None below two posts)."""

    n: int
    mean: float
    low: float | None
    high: float | None

    @property
    def trusted(self) -> bool:
        """Enough posts, and an interval no wider than the figure itself."""
        return self.n >= MIN_POSTS and self.high is not None and self.high - self.low <= self.mean


def figure(rates: list[float]) -> Figure:
    interval = mean_interval(rates)
    if interval is None:
        return Figure(len(rates), rates[0] if rates else 0.0, None, None)
    mean, low, high = interval
    return Figure(len(rates), mean, max(0.0, low), high)


def window(days: int, today: date) -> tuple[datetime, datetime]:
    """The `days` local days up to and including `today`, as aware datetimes."""
    zone = ZoneInfo(settings.TIME_ZONE)
    end = datetime.combine(today + timedelta(days=1), time.min, zone)
    return end - timedelta(days=days), end


def own_posts(accounts: Iterable[ChannelAccount], start: datetime, end: datetime) -> list[OwnPost]:
    """Our published deliveries in [start, end) that have figures and a denominator."""
    accounts = list(accounts)
    fields = {f for dim in DIMENSIONS.values() for f in dim.fields}
    rows = (
        PostMetric.objects.filter(
            account__in=accounts,
            delivery__status=DeliveryStatus.PUBLICADA,
            delivery__published_at__gte=start,
            delivery__published_at__lt=end,
        )
        .annotate(
            media_count=Count(MEDIA, distinct=True),
            video_count=Count(
                MEDIA, distinct=True, filter=Q(**{MEDIA + "__mime_type__startswith": "video/"})
            ),
        )
        .values(
            "account_id",
            "delivery__published_at",
            "reach",
            "reactions",
            "comments",
            "shares",
            "saves",
            *sorted(fields - {"media_count", "video_count"}),
            "media_count",
            "video_count",
        )
    )
    followers = _followers_by_day(accounts, end.date())
    zone = ZoneInfo(settings.TIME_ZONE)
    posts = []
    for row in rows:
        post = _own_post(row, followers, zone)
        if post is not None:
            posts.append(post)
    return posts


def _own_post(row: dict, followers: dict, zone: ZoneInfo) -> OwnPost | None:
    local = row["delivery__published_at"].astimezone(zone)
    base, by_reach = row["reach"], True
    if not base:
        base, by_reach = (
            followers_on(followers.get(row["account_id"], ([], [])), local.date()),
            False,
        )
    if not base:
        return None
    interactions = row["reactions"] + row["comments"] + row["shares"] + row["saves"]
    groups = {name: dim.value(row) for name, dim in DIMENSIONS.items()}
    return OwnPost(row["account_id"], local, interactions, base, by_reach, groups)


def _followers_by_day(accounts: list[ChannelAccount], end: date) -> dict[int, tuple[list, list]]:
    """Per account, (sorted days, followers) of every day with a follower count."""
    found: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    rows = (
        AccountMetric.objects.filter(account__in=accounts, date__lte=end, followers__isnull=False)
        .order_by("account_id", "date")
        .values_list("account_id", "date", "followers")
    )
    for account_id, day, followers in rows:
        found[account_id][0].append(day)
        found[account_id][1].append(followers)
    return dict(found)


def followers_on(series: tuple[list, list], day: date) -> int | None:
    """The latest follower count on or before `day`."""
    days, values = series
    i = bisect.bisect_right(days, day)
    return values[i - 1] if i else None


def heatmap(posts: list[OwnPost]) -> dict[tuple[int, int], Figure]:
    """(weekday, hour) → figure of the posts published then (local time)."""
    cells: dict[tuple[int, int], list[float]] = defaultdict(list)
    for post in posts:
        cells[(post.published_at.weekday(), post.published_at.hour)].append(post.rate)
    return {key: figure(rates) for key, rates in cells.items()}


def grouped(posts: list[OwnPost], name: str) -> list[tuple[str, str, Figure]]:
    """(value, Spanish name, figure) per value of the dimension, most engaging first."""
    groups: dict[str, list[float]] = defaultdict(list)
    for post in posts:
        groups[post.groups[name]].append(post.rate)
    names = DIMENSIONS[name].names()
    found = [
        (value, names.get(value, value or "Sin dato"), figure(r)) for value, r in groups.items()
    ]
    return sorted(found, key=lambda item: (-item[2].mean, item[1]))


@dataclass(frozen=True)
class Slot:
    weekday: int
    hour: int
    figure: Figure
    when: datetime  # the next time this slot comes round

    @property
    def weekday_name(self) -> str:
        return WEEKDAYS[self.weekday]


def best_slots(cells: dict[tuple[int, int], Figure], now: datetime, limit: int = 3) -> list[Slot]:
    """The trusted slots ranked by the low end of their interval (a slot that looks good
    only by luck ranks below a steady one), each with its next date after `now`."""
    trusted = [(key, fig) for key, fig in cells.items() if fig.trusted]
    trusted.sort(key=lambda item: (-item[1].low, item[0]))
    return [Slot(wd, hour, fig, next_time(wd, hour, now)) for (wd, hour), fig in trusted[:limit]]


def next_time(weekday: int, hour: int, now: datetime) -> datetime:
    """The next local `weekday` at `hour`:00 strictly after `now` (local)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    ahead = (weekday - local.weekday()) % 7
    day = local.date() + timedelta(days=ahead)
    moment = datetime.combine(day, time(hour), zone)
    return moment if moment > local else moment + timedelta(days=7)


def figures(accounts: list[ChannelAccount], days: int, today: date) -> dict:
    """Everything the page, the CSV and the API show, from one read of the posts."""
    start, end = window(days, today)
    posts = own_posts(accounts, start, end)
    maps = []
    for account in accounts:
        mine = [p for p in posts if p.account_id == account.pk]
        if mine:
            cells = heatmap(mine)
            maps.append(
                {
                    "account": account,
                    "posts": len(mine),
                    "by_followers": sum(1 for p in mine if not p.by_reach),
                    "cells": cells,
                    "best": best_slots(cells, datetime.now(ZoneInfo(settings.TIME_ZONE))),
                }
            )
    groups = {name: (dim.label, grouped(posts, name)) for name, dim in DIMENSIONS.items()}
    return {"start": start, "end": end, "posts": len(posts), "maps": maps, "groups": groups}
