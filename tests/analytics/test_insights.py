"""Insights fetchers against a local fake of the Graph API."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pregon.analytics.insights import fetch_account_insights
from pregon.analytics.models import AccountMetric, PostMetric
from pregon.publishing.models import ChannelAccount, ChannelKind

from .fake_graph import FakeGraph

DAY = date(2023, 6, 14)


@pytest.fixture
def graph(settings):
    with FakeGraph() as fake:
        settings.PREGON_GRAPH_API_URL = fake.url
        yield fake


def make_account(kind: str, external_id: str, token: str = "token-de-prueba") -> ChannelAccount:  # noqa: S107
    return ChannelAccount.objects.create(
        name=f"Cuenta {external_id}",
        kind=kind,
        external_id=external_id,
        credentials=json.dumps({"access_token": token}),
    )


def test_page_metrics_each_requested_separately(db, graph):
    page = make_account(ChannelKind.FACEBOOK_PAGE, "1002003004")
    graph.values.update(
        {("1002003004", "page_follows"): 7215, ("1002003004", "page_media_view"): 18400}
    )
    graph.retired.add("page_post_engagements")  # a retired metric must not break the others
    report = fetch_account_insights(page, DAY)
    row = AccountMetric.objects.get(account=page, date=DAY)
    assert (row.followers, row.views, row.engagements) == (7215, 18400, None)
    assert "valid insights metric" in report.errors["page_post_engagements"]
    asked = [r["metric"] for r in graph.requests if "metric" in r]
    assert asked == ["page_follows", "page_media_view", "page_post_engagements"]
    # The day is the local calendar day of Mexico City.
    since = datetime.fromtimestamp(int(graph.requests[0]["since"]), ZoneInfo("America/Mexico_City"))
    assert (since.date(), since.hour) == (DAY, 0)


def test_instagram_metrics_and_follower_total(db, graph):
    ig = make_account(ChannelKind.INSTAGRAM, "1784140000")
    graph.values.update(
        {
            ("1784140000", "follower_count"): 12,
            ("1784140000", "reach"): 950,
            ("1784140000", "views"): 3100,
        }
    )
    graph.fields["1784140000"] = {"followers_count": 7020}
    report = fetch_account_insights(ig, DAY)
    assert report.errors == {}
    row = AccountMetric.objects.get(account=ig, date=DAY)
    assert (row.followers, row.follows_gained, row.reach, row.views) == (7020, 12, 950, 3100)
    views = next(r for r in graph.requests if r.get("metric") == "views")
    assert views["metric_type"] == "total_value"


def test_post_reach_updated_for_recent_posts(db, graph):
    page = make_account(ChannelKind.FACEBOOK_PAGE, "1002003004")
    post = PostMetric.objects.create(
        account=page,
        remote_id="1002003004_5001",
        published_at=datetime(2023, 6, 10, 12, tzinfo=ZoneInfo("America/Mexico_City")),
        snapshot_at=datetime(2023, 6, 10, 12, tzinfo=ZoneInfo("UTC")),
        source="csv",
    )
    graph.values[("1002003004_5001", "post_total_media_view_unique")] = 4321
    report = fetch_account_insights(page, DAY)
    assert report.posts == 1
    post.refresh_from_db()
    assert post.reach == 4321


def test_expired_token_is_reported_and_stores_nothing(db, graph):
    page = make_account(ChannelKind.FACEBOOK_PAGE, "1002003004", token="caducado")
    report = fetch_account_insights(page, DAY)
    # The first refusal says what to do, and nothing more is asked with a dead token.
    assert list(report.errors) == ["page_follows"]
    message = report.errors["page_follows"]
    assert "Vuelva a conectarla" in message and "código 190" in message
    assert len(graph.requests) == 1
    assert not AccountMetric.objects.exists()


def test_daily_task_is_registered_and_runs(db, graph):
    from pregon.analytics.tasks import fetch_insights
    from pregon.core.periodic import REGISTRY

    assert REGISTRY["analytics.fetch_insights"].task == "pregon.analytics.tasks.fetch_insights"
    make_account(ChannelKind.FACEBOOK_PAGE, "1002003004")
    graph.values[("1002003004", "page_follows")] = 7000
    result = fetch_insights.enqueue().return_value
    assert result["accounts"]["Cuenta 1002003004"]["guardadas"]["followers"] == 7000


def test_server_error_is_retried_by_the_shared_http_helper(db, graph):
    page = make_account(ChannelKind.FACEBOOK_PAGE, "1002003004")
    graph.values[("1002003004", "page_follows")] = 7100
    graph.failures.append((503, {"error": {"message": "Service unavailable", "code": 2}}, {}))
    report = fetch_account_insights(page, DAY)
    assert report.errors == {}
    assert AccountMetric.objects.get(account=page, date=DAY).followers == 7100
    follows = [r for r in graph.requests if r.get("metric") == "page_follows"]
    assert len(follows) == 2  # the GET was safe to repeat


def test_rate_limit_stops_the_account_and_keeps_what_came(db, graph):
    page = make_account(ChannelKind.FACEBOOK_PAGE, "1002003004")
    graph.values[("1002003004", "page_follows")] = 7100
    usage = json.dumps(
        {"1002003004": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 7}]}
    )
    limited = (400, {"error": {"message": "(#80001) Too many calls", "code": 80001}}, {})
    graph.failures.extend([(200, _page_follows(7100), {}), limited])
    graph.failures[1][2]["X-Business-Use-Case-Usage"] = usage
    report = fetch_account_insights(page, DAY)
    assert report.retry_after == 7 * 60
    assert "código 80001" in report.errors["page_media_view"]
    assert len(graph.requests) == 2  # nothing more was asked after the limit
    assert AccountMetric.objects.get(account=page, date=DAY).followers == 7100


def _page_follows(value: int) -> dict:
    return {"data": [{"name": "page_follows", "period": "day", "values": [{"value": value}]}]}
