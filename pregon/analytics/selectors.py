"""Reads for the dashboards and reports: figures per account, per post and per page."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Aggregate, Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from pregon.analytics import definitions as d
from pregon.analytics.baseline import PlanBaseline
from pregon.analytics.models import (
    AccountMetric,
    AudienceBreakdown,
    DailyVisitor,
    PageVisitDay,
    PostMetric,
    Purpose,
)
from pregon.publishing.channels import registry
from pregon.publishing.models import ChannelAccount, ChannelState, Delivery

WEEKDAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


def deliveries_for(account: ChannelAccount, remote_ids: list[str]) -> dict[str, Delivery]:
    """Our deliveries of these remote posts on this account, by remote id."""
    wanted = [r for r in remote_ids if r]
    found = Delivery.objects.filter(account=account, remote_id__in=wanted)
    return {d.remote_id: d for d in found}


def social_kinds() -> tuple[str, ...]:
    """The networks with an audience to measure: insights from their API or post exports."""
    return tuple(
        kind
        for kind, network in registry.networks().items()
        if network.insights or network.csv_layouts
    )


def social_accounts(kinds: tuple[str, ...] | None = None) -> list[ChannelAccount]:
    """The connected (not disabled) accounts of these networks (by default, the social ones)."""
    wanted = social_kinds() if kinds is None else kinds
    return list(ChannelAccount.objects.filter(kind__in=wanted).exclude(state=ChannelState.DISABLED))


def measured_accounts() -> list[ChannelAccount]:
    """Accounts with daily figures or post figures (one query). EXISTS per account
    (an index probe each), not IN (every post's account), which reads the whole index."""
    daily = AccountMetric.objects.filter(account=OuterRef("pk"))
    posts = PostMetric.objects.filter(account=OuterRef("pk"))
    return list(ChannelAccount.objects.filter(Exists(daily) | Exists(posts)))


def followers_series(accounts: list[ChannelAccount], start: date, end: date) -> list[tuple]:
    """Followers per day, summed over the accounts that report that day."""
    rows = (
        AccountMetric.objects.filter(
            account__in=accounts, date__range=(start, end), followers__isnull=False
        )
        .values("date")
        .annotate(total=Sum("followers"))
        .order_by("date")
    )
    return [(r["date"], r["total"]) for r in rows]


def local_days(start: date, end: date) -> tuple[datetime, datetime]:
    """The instants from the start of local day `start` to the start of the day after
    `end`: what `published_at__date__range=(start, end)` means, as a range the index on
    (account, published_at) answers (`__date` casts every row in SQLite)."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def posts_in(accounts: list[ChannelAccount], start: date, end: date) -> QuerySet[PostMetric]:
    since, until = local_days(start, end)
    return PostMetric.objects.filter(
        account__in=accounts, published_at__gte=since, published_at__lt=until
    ).select_related("account")


# PostMetric.interactions, as SQL.
INTERACTIONS = F("reactions") + F("comments") + F("shares") + F("saves")


def _post_figures(posts: QuerySet[PostMetric]) -> dict[str, int]:
    """Count, interactions and the plan's band over these posts, in the database (one
    query, whatever the number of posts)."""
    low, high = d.LIKES_BAND
    with_reach = Q(reach__gt=0)
    found = posts.order_by().aggregate(
        n_posts=Count("id"),
        n_interactions=Sum(INTERACTIONS),
        n_reach=Sum("reach", filter=with_reach),
        n_reach_interactions=Sum(INTERACTIONS, filter=with_reach),
        n_in_band=Count("id", filter=Q(reactions__gte=low, reactions__lte=high)),
    )
    return {key.removeprefix("n_"): value or 0 for key, value in found.items()}


def post_summary(accounts: list[ChannelAccount], start: date, end: date) -> dict:
    figures = _post_figures(posts_in(accounts, start, end))
    total = figures["interactions"]
    reach = figures["reach"]
    reach_interactions = figures["reach_interactions"]
    series = followers_series(accounts, start, end)
    followers = series[-1][1] if series else None
    own = first_and_last_followers(accounts, start, end)
    first, last = sum(f for f, _ in own.values()), sum(la for _, la in own.values())
    avg = d.average_interactions(total, figures["posts"])
    return {
        "posts": figures["posts"],
        "interactions": total,
        "avg_interactions": avg,
        "in_band": figures["in_band"],
        "engagement_reach": d.engagement_rate_by_reach(reach_interactions, reach),
        "engagement_followers": (
            d.engagement_rate_by_followers(avg, followers) if avg and followers else None
        ),
        "followers": followers,
        # Each account against its own first figure of the period, summed: never a
        # plan-wide baseline per account (that one is `plan_progress`).
        "growth": d.growth_rate(last, first) if first else None,
    }


def _figures_on(pairs: set[tuple[int, date]]) -> dict[tuple[int, date], int]:
    """The followers figure of each (account, day) pair, in one query."""
    if not pairs:
        return {}
    wanted = Q()
    for account_id, day in pairs:
        wanted |= Q(account_id=account_id, date=day)
    rows = AccountMetric.objects.filter(wanted, followers__isnull=False)
    return {
        (r.account_id, r.date): r.followers
        for r in rows.only("account_id", "date", "followers")
        if r.followers is not None
    }


@dataclass(frozen=True)
class Followers:
    """An account's followers: its first figure since a day (None: none since), its
    latest figure up to another day and that figure's date."""

    first: int | None
    last: int
    last_date: date


def followers_since(accounts: list[ChannelAccount], start: date, day: date) -> dict[int, Followers]:
    """Per account id, its first figure from `start` and its latest up to `day` (two
    queries, whatever the number of accounts)."""
    bounds = list(
        AccountMetric.objects.filter(account__in=accounts, date__lte=day, followers__isnull=False)
        .values("account_id")
        .annotate(first=Min("date", filter=Q(date__gte=start)), last=Max("date"))
    )
    pairs = {(b["account_id"], b["last"]) for b in bounds}
    pairs |= {(b["account_id"], b["first"]) for b in bounds if b["first"]}
    figures = _figures_on(pairs)
    return {
        b["account_id"]: Followers(
            figures.get((b["account_id"], b["first"])) if b["first"] else None,
            figures[(b["account_id"], b["last"])],
            b["last"],
        )
        for b in bounds
        if (b["account_id"], b["last"]) in figures
    }


def first_and_last_followers(
    accounts: list[ChannelAccount], start: date, end: date
) -> dict[int, tuple[int, int]]:
    """Each account's first and last followers figure between two days."""
    found = followers_since(accounts, start, end)
    return {a: (f.first, f.last) for a, f in found.items() if f.first is not None}


def plan_progress(plan: PlanBaseline, day: date, known: dict[int, Followers] | None = None) -> dict:
    """The plan's one baseline against the sum of the accounts it covers, each at its
    latest figure up to `day` (what the goals' followers indicator reads). `known`:
    figures already read for these accounts up to `day`."""
    if known is None:
        covered = list(ChannelAccount.objects.filter(pk__in=plan.account_ids))
        known = followers_since(covered, day, day)
    figures = [f.last for account_id, f in known.items() if account_id in plan.account_ids]
    total = sum(figures)
    return {
        "baseline": plan.followers,
        "since": plan.since,
        "scope": plan.scope,
        "accounts": len(figures),
        "followers": total if figures else None,
        "growth": plan.growth(total) if figures else None,
    }


def best_times(accounts: list[ChannelAccount], start: date, end: date) -> dict:
    """Average interactions per post by weekday and by hour of publication (local
    time). One query for the period's (published_at, interactions) pairs, nothing
    else of each post: a database function per row (SQLite's extract) costs more."""
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = (
        posts_in(accounts, start, end)
        .order_by()
        .annotate(score=INTERACTIONS)
        .values_list("published_at", "score")
    )
    by_day: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    by_hour: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for published_at, score in rows:
        if published_at is None:  # the range leaves none out; says so to the type checker
            continue
        local = published_at.astimezone(zone)
        for bucket in (by_day[local.weekday()], by_hour[local.hour]):
            bucket[0] += score
            bucket[1] += 1

    def avg(total: int, n: int) -> float:
        return round(total / n, 1) if n else 0.0

    return {
        "days": [(WEEKDAYS[i], avg(*by_day[i]), by_day[i][1]) for i in range(7)],
        "hours": [(f"{h:02d}", avg(*by_hour[h]), by_hour[h][1]) for h in range(24)],
    }


def _utc_months(since: datetime, until: datetime) -> list[datetime]:
    """The first instant (UTC) of each UTC month that [since, until) touches."""
    month = since.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    found = []
    while month < until:
        found.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return found


def reactions_by_month(accounts: list[ChannelAccount], start: date, end: date) -> list[tuple]:
    """(first day of the month, average reactions per post) of the posts published
    from `start` to `end`, by the month of each post's publication date in UTC. One
    query of two conditional aggregates per month (plain ranges, no function per row)."""
    since, until = local_days(start, end)
    months = _utc_months(since, until)
    figures: dict[str, Aggregate] = {}
    for i, month in enumerate(months):
        following = months[i + 1] if i + 1 < len(months) else until
        in_month = Q(published_at__gte=month, published_at__lt=following)
        figures[f"n_{i}"] = Count("id", filter=in_month)
        figures[f"total_{i}"] = Sum("reactions", filter=in_month)
    found = posts_in(accounts, start, end).order_by().aggregate(**figures) if figures else {}
    return [
        (month.date(), found[f"total_{i}"] / found[f"n_{i}"])
        for i, month in enumerate(months)
        if found[f"n_{i}"]
    ]


def top_posts(
    accounts: list[ChannelAccount], start: date, end: date, limit: int | None = 10
) -> list:
    """Most interactions first (then the latest); `limit=None` gives them all (the API
    pages them). Sorted and cut in the database."""
    posts = posts_in(accounts, start, end).alias(score=INTERACTIONS)
    return list(posts.order_by("-score", "-published_at")[:limit])


def visits_by_purpose(start: date, end: date) -> list[tuple[str, int]]:
    rows = dict(
        PageVisitDay.objects.filter(date__range=(start, end))
        .values_list("purpose")
        .annotate(total=Sum("visits"))
    )
    return [(label, rows.get(value, 0)) for value, label in Purpose.choices]


def top_pages(start: date, end: date, limit: int = 15) -> list[Mapping[str, Any]]:
    return list(
        PageVisitDay.objects.filter(date__range=(start, end))
        .values("path", "purpose")
        .annotate(total=Sum("visits"))
        .order_by("-total", "path")[:limit]
    )


def visits_summary(start: date, end: date) -> dict:
    visits = PageVisitDay.objects.filter(date__range=(start, end)).aggregate(
        total=Sum("visits"), last=Max("date")
    )
    per_day = (
        DailyVisitor.objects.filter(date__range=(start, end))
        .values("date")
        .annotate(n=Count("id"))
        .order_by("date")
    )
    days = [(r["date"], r["n"]) for r in per_day]
    return {
        "visits": visits["total"] or 0,
        "visitor_days": sum(n for _, n in days),
        "avg_daily_visitors": round(sum(n for _, n in days) / len(days), 1) if days else None,
        "daily_visitors": days,
    }


def monthly(series: list[tuple[date, int]], how: str = "last") -> list[tuple[date, int]]:
    """Reduce a daily series to one point per month (last value or sum)."""
    months: dict[date, int] = {}
    for day, value in series:
        key = day.replace(day=1)
        months[key] = value if how == "last" else months.get(key, 0) + value
    return sorted(months.items())


def latest_followers(accounts: list[ChannelAccount], day: date) -> list[tuple]:
    """(account, followers, date of the figure) of each account, as of `day`."""
    found = []
    for account in accounts:
        row = (
            AccountMetric.objects.filter(account=account, date__lte=day, followers__isnull=False)
            .order_by("-date")
            .first()
        )
        if row:
            found.append((account, row.followers, row.date))
    return found


def week_posts(start: date, end: date) -> dict:
    """Posts published from `start` to `end` (local days): count, average interactions,
    how many got likes inside the plan's band."""
    figures = _post_figures(posts_in(measured_accounts(), start, end))
    return {
        "posts": figures["posts"],
        "avg_interactions": d.average_interactions(figures["interactions"], figures["posts"]),
        "in_band": figures["in_band"],
    }


def day_visits(day: date) -> dict:
    visits = PageVisitDay.objects.filter(date=day).aggregate(n=Sum("visits"))["n"] or 0
    return {"visits": visits, "visitors": DailyVisitor.objects.filter(date=day).count()}


def audience_rows(accounts: list[ChannelAccount], start: date, end: date) -> dict:
    """Per account: the latest row of each (metric, breakdown) and, per metric, the
    daily city breakdowns of the period (for the municipality's share over time)."""
    found: dict[int, dict] = {a.pk: {"latest": {}, "cities": defaultdict(list)} for a in accounts}
    rows = AudienceBreakdown.objects.filter(
        account__in=accounts, date__range=(start, end)
    ).order_by("date")
    for row in rows:
        entry = found[row.account_id]
        entry["latest"][(row.metric, row.breakdown)] = row
        if row.breakdown == "city" and not row.unavailable:
            entry["cities"][row.metric].append((row.date, row.counts))
    return found
