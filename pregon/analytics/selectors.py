"""Reads for the dashboards and reports: figures per account, per post and per page."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet, Sum

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
    """Accounts with daily figures or post figures (one query)."""
    daily = AccountMetric.objects.values("account")
    posts = PostMetric.objects.values("account")
    return list(ChannelAccount.objects.filter(Q(pk__in=daily) | Q(pk__in=posts)))


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


def posts_in(accounts: list[ChannelAccount], start: date, end: date) -> QuerySet[PostMetric]:
    return PostMetric.objects.filter(
        account__in=accounts, published_at__date__range=(start, end)
    ).select_related("account")


def post_summary(accounts: list[ChannelAccount], start: date, end: date) -> dict:
    posts = list(posts_in(accounts, start, end))
    total = sum(p.interactions for p in posts)
    reach = sum(p.reach or 0 for p in posts if p.reach)
    reach_interactions = sum(p.interactions for p in posts if p.reach)
    series = followers_series(accounts, start, end)
    followers = series[-1][1] if series else None
    own = first_and_last_followers(accounts, start, end)
    first, last = sum(f for f, _ in own.values()), sum(la for _, la in own.values())
    avg = d.average_interactions(total, len(posts))
    low, high = d.LIKES_BAND
    return {
        "posts": len(posts),
        "interactions": total,
        "avg_interactions": avg,
        "in_band": sum(1 for p in posts if low <= p.reactions <= high),
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
    """Average interactions per post by weekday and by hour of publication (local time)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    by_day, by_hour = defaultdict(list), defaultdict(list)
    for post in posts_in(accounts, start, end).exclude(published_at=None):
        if post.published_at is None:  # excluded above; says so to the type checker
            continue
        local = post.published_at.astimezone(zone)
        by_day[local.weekday()].append(post.interactions)
        by_hour[local.hour].append(post.interactions)

    def avg(values: list[int]) -> float:
        return round(sum(values) / len(values), 1) if values else 0.0

    return {
        "days": [(WEEKDAYS[i], avg(by_day[i]), len(by_day[i])) for i in range(7)],
        "hours": [(f"{h:02d}", avg(by_hour[h]), len(by_hour[h])) for h in range(24)],
    }


def top_posts(
    accounts: list[ChannelAccount], start: date, end: date, limit: int | None = 10
) -> list:
    """Most interactions first; `limit=None` gives them all (the API pages them)."""
    posts = list(posts_in(accounts, start, end))
    return sorted(posts, key=lambda p: p.interactions, reverse=True)[:limit]


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
    posts = list(posts_in(measured_accounts(), start, end))
    low, high = d.LIKES_BAND
    return {
        "posts": len(posts),
        "avg_interactions": d.average_interactions(sum(p.interactions for p in posts), len(posts)),
        "in_band": sum(1 for p in posts if low <= p.reactions <= high),
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
