"""Daily figures from Meta's insights APIs (Graph API v23).

Each metric is asked for in its own request: Meta retires metric names from time to
time (impressions, video_views...) and one retired name in a combined request fails
the whole request. A failing metric is reported and the others are still stored.

Responses: {"data": [{"name", "period", "values": [{"value", "end_time"}]}]} or, for
metric_type=total_value, {"data": [{"name", "total_value": {"value"}}]}; errors:
{"error": {"message", "type", "code", "fbtrace_id"}}, mapped by publishing's
`channels.graph.graph_error`. A token to reconnect or a usage limit stops the account
(the rest would fail the same way); any other error skips only that metric.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from pregon.analytics.models import MetricSource, PostMetric
from pregon.analytics.services import account_metric_save
from pregon.publishing import connectors
from pregon.publishing.channels.base import AccountConfig, ChannelError
from pregon.publishing.channels.graph import GraphChannel
from pregon.publishing.channels.registry import networks
from pregon.publishing.models import ChannelAccount

# What to ask each network for is in its package (Network.insights).
POST_DAYS = 28  # Meta keeps post insights moving for about four weeks


class StopAccount(Exception):
    """Meta said to stop for this account (token to reconnect, or usage limit reached):
    the remaining requests would fail the same way and only spend the quota."""


@dataclass
class FetchReport:
    account: str
    day: date
    stored: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    posts: int = 0
    retry_after: float | None = None  # seconds, when Meta's usage limit was reached


class Insights:
    """Graph API reads through publishing's connector, so there is one HTTP helper
    (timeouts, retries of GETs on network errors and 5xx) and one place that turns
    Meta's error codes into permanent / transient / rate-limited / reconnect."""

    def __init__(self, account: ChannelAccount, token: str, report: FetchReport) -> None:
        config = AccountConfig(
            kind=account.kind,
            external_id=account.external_id,
            credentials={"access_token": token},
        )
        self.channel = GraphChannel(config)
        self.report = report

    def get(self, key: str, path: str, **params) -> dict | None:
        """The answer, or None with the error recorded under `key`."""
        try:
            return self.channel.call("GET", path, **params)
        except ChannelError as exc:
            self.report.errors[key] = exc.message
            if exc.reconnect or exc.rate_limited:
                self.report.retry_after = exc.retry_after
                raise StopAccount from exc
            return None

    def close(self) -> None:
        self.channel.http.close()


def day_bounds(day: date) -> tuple[int, int]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(day, time.min, zone)
    return int(start.timestamp()), int((start + timedelta(days=1)).timestamp())


def metric_value(body: dict, name: str) -> int | None:
    """The value for the requested day: a total_value, or the last of the values."""
    for item in body.get("data", []):
        if item.get("name") != name:
            continue
        if "total_value" in item:
            return int(item["total_value"].get("value") or 0)
        values = [v.get("value") for v in item.get("values", []) if "value" in v]
        if values and isinstance(values[-1], int | float):
            return int(values[-1])
    return None


def credentials(account: ChannelAccount) -> dict:
    try:
        return json.loads(account.credentials) if account.credentials else {}
    except ValueError:
        return {}


def fetch_account_insights(account: ChannelAccount, day: date) -> FetchReport:
    report = FetchReport(account.name, day)
    if account.network and account.network.figures:
        return _fetch_figures(account, day, report)
    token = credentials(account).get("access_token", "")
    if not token or not account.external_id:
        report.errors["*"] = "la cuenta no tiene id externo o token de acceso"
        return report
    graph = Insights(account, token, report)
    try:
        _fetch(account, day, graph, report)
    except StopAccount:
        pass  # what was gathered before is still stored below
    finally:
        graph.close()
    if report.stored:
        account_metric_save(account=account, day=day, values=report.stored, source=MetricSource.API)
    return report


def _fetch(account: ChannelAccount, day: date, graph: Insights, report: FetchReport) -> None:
    spec = account.network.insights if account.network else None
    if spec is None:
        report.errors["*"] = "esta red no ofrece estadísticas por API"
        return
    since, until = day_bounds(day)
    for name, target in spec.metrics.items():
        params = {"metric": name, "period": "day", "since": since, "until": until}
        if name in spec.total_value:
            params["metric_type"] = "total_value"
        body = graph.get(name, f"/{account.external_id}/insights", **params)
        value = metric_value(body, name) if body is not None else None
        if value is not None:
            report.stored[target] = value
    if spec.followers_field:
        field_name = spec.followers_field
        body = graph.get(field_name, f"/{account.external_id}", fields=field_name)
        if body is not None and isinstance(body.get(field_name), int):
            report.stored["followers"] = body[field_name]
    if spec.post_metric:
        report.posts = _post_reach(account, day, graph, spec.post_metric)


def _post_reach(account: ChannelAccount, day: date, graph: Insights, metric: str) -> int:
    recent = PostMetric.objects.filter(
        account=account, published_at__date__gte=day - timedelta(days=POST_DAYS)
    )
    updated = 0
    for post in recent:
        key = f"{metric}:{post.remote_id}"
        body = graph.get(key, f"/{post.remote_id}/insights", metric=metric)
        value = metric_value(body, metric) if body is not None else None
        if value is not None:
            PostMetric.objects.filter(pk=post.pk).update(reach=value)
            updated += 1
    return updated


# What a network's daily_figures() may set on a PostMetric row.
POST_FIELDS = ("views", "reach", "reactions", "comments", "shares", "saves", "clicks")


def _fetch_figures(account: ChannelAccount, day: date, report: FetchReport) -> FetchReport:
    """Networks with a statistics API of their own: their connector reads the day."""
    channel, _calls = connectors.connect(account)
    recent = PostMetric.objects.filter(
        account=account, published_at__date__gte=day - timedelta(days=POST_DAYS)
    )
    try:
        figures = channel.daily_figures(day, list(recent.values_list("remote_id", flat=True)))
    except ChannelError as exc:
        report.errors["*"] = exc.message
        report.retry_after = exc.retry_after if exc.rate_limited else None
        return report
    report.stored.update(figures.account)
    report.errors.update(figures.errors)
    for remote_id, values in figures.posts.items():
        known = {name: value for name, value in values.items() if name in POST_FIELDS}
        if known:
            report.posts += recent.filter(remote_id=remote_id).update(**known)
    if report.stored:
        account_metric_save(account=account, day=day, values=report.stored, source=MetricSource.API)
    return report


def fetch_all(day: date) -> list[FetchReport]:
    kinds = [network.kind for network in networks().values() if network.insights or network.figures]
    accounts = ChannelAccount.objects.filter(kind__in=kinds).exclude(state="desactivada")
    return [fetch_account_insights(account, day) for account in accounts]
