"""The audiences dashboard reads one period of posts, whatever the years stored.

The posts of a period are found by a range on `published_at` that the index on
(account, published_at) answers (not `published_at__date`, which SQLite computes for
every row of every year), and the figures are added up in the database or from two
columns of the period's rows; these tests compare them with the figures recomputed in
Python from the posts themselves.
"""

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pregon.analytics import definitions as d
from pregon.analytics import selectors
from pregon.analytics.models import MetricSource, PostMetric

ZONE = ZoneInfo("America/Mexico_City")
START, END = date(2025, 1, 1), date(2025, 12, 31)


def make_posts(account, n: int, seed: int = 7) -> list[PostMetric]:
    rng = random.Random(seed)
    posts = []
    for i in range(n):
        when = datetime(2024, 12, 25, tzinfo=UTC) + timedelta(minutes=rng.randrange(60 * 24 * 380))
        posts.append(
            PostMetric(
                account=account,
                remote_id=f"{account.pk}-{seed}-{i}",
                published_at=when,
                snapshot_at=when,
                reach=rng.choice([None, 0, rng.randrange(1, 5000)]),
                reactions=rng.randrange(0, 300),
                comments=rng.randrange(0, 40),
                shares=rng.randrange(0, 40),
                saves=rng.randrange(0, 10),
                source=MetricSource.DEMO,
            )
        )
    return PostMetric.objects.bulk_create(posts)


def in_period(posts: list[PostMetric]) -> list[PostMetric]:
    return [p for p in posts if START <= p.published_at.astimezone(ZONE).date() <= END]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_posts_of_a_period_are_read_through_the_index(accounts):
    found = selectors.posts_in([accounts["fb"]], START, END)
    sql, params = found.query.sql_with_params()
    assert "django_datetime_cast_date" not in sql  # no function over every row
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "analytics_post_published" in plan, plan


def test_a_period_is_made_of_whole_local_days(accounts):
    account = accounts["fb"]
    local = [
        datetime(2024, 12, 31, 23, 59, 59),  # out: the day before
        datetime(2025, 1, 1, 0, 0, 0),  # in: the first instant
        datetime(2025, 12, 31, 23, 59, 59, 999999),  # in: the last instant
        datetime(2026, 1, 1, 0, 0, 0),  # out: the day after
    ]
    for i, when in enumerate(local):
        PostMetric.objects.create(
            account=account,
            remote_id=f"edge-{i}",
            published_at=when.replace(tzinfo=ZONE),
            snapshot_at=when.replace(tzinfo=ZONE),
            source=MetricSource.DEMO,
        )
    found = set(selectors.posts_in([account], START, END).values_list("remote_id", flat=True))
    assert found == {"edge-1", "edge-2"}
    by_date = PostMetric.objects.filter(published_at__date__range=(START, END))
    assert found == set(by_date.values_list("remote_id", flat=True))


def test_figures_match_a_recomputation_from_the_posts(accounts):
    chosen = [accounts["fb"], accounts["ig"]]
    posts = in_period(make_posts(accounts["fb"], 60) + make_posts(accounts["ig"], 40, seed=8))
    make_posts(accounts["x"], 20, seed=9)  # another account: never counted
    assert posts

    summary = selectors.post_summary(chosen, START, END)
    total = sum(p.interactions for p in posts)
    low, high = d.LIKES_BAND
    assert summary["posts"] == len(posts)
    assert summary["interactions"] == total
    assert summary["avg_interactions"] == d.average_interactions(total, len(posts))
    assert summary["in_band"] == sum(1 for p in posts if low <= p.reactions <= high)
    reached = [p for p in posts if p.reach]
    assert summary["engagement_reach"] == d.engagement_rate_by_reach(
        sum(p.interactions for p in reached), sum(p.reach for p in reached)
    )

    by_day, by_hour = defaultdict(list), defaultdict(list)
    for p in posts:
        local = p.published_at.astimezone(ZONE)
        by_day[local.weekday()].append(p.interactions)
        by_hour[local.hour].append(p.interactions)
    times = selectors.best_times(chosen, START, END)
    for i, (_, average, n) in enumerate(times["days"]):
        assert n == len(by_day[i])
        assert average == (round(sum(by_day[i]) / n, 1) if n else 0.0)
    for h, (_, average, n) in enumerate(times["hours"]):
        assert n == len(by_hour[h])
        assert average == (round(sum(by_hour[h]) / n, 1) if n else 0.0)

    months = defaultdict(list)
    for p in posts:
        months[p.published_at.date().replace(day=1)].append(p.reactions)
    expected = [(m, sum(v) / len(v)) for m, v in sorted(months.items())]
    assert selectors.reactions_by_month(chosen, START, END) == expected

    top = selectors.top_posts(chosen, START, END)
    assert [p.interactions for p in top] == sorted((p.interactions for p in posts), reverse=True)[
        :10
    ]


def test_dashboard_figures_cost_the_same_queries_with_5_and_50_posts(accounts):
    account = accounts["fb"]

    def figures_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.post_summary([account], START, END)
            selectors.best_times([account], START, END)
            selectors.reactions_by_month([account], START, END)
            selectors.top_posts([account], START, END)
            selectors.week_posts(START, END)
        return len(ctx.captured_queries)

    make_posts(account, 5)
    five = figures_queries()
    make_posts(account, 45, seed=11)
    assert figures_queries() == five
