"""Daily figures from Meta's insights APIs (Graph API v23).

Each metric is asked for in its own request: Meta retires metric names from time to
time (impressions, video_views...) and one retired name in a combined request fails
the whole request. A failing metric is reported and the others are still stored.

Responses: {"data": [{"name", "period", "values": [{"value", "end_time"}]}]} or, for
metric_type=total_value, {"data": [{"name", "total_value": {"value"}}]}; errors:
{"error": {"message", "type", "code", "fbtrace_id"}}.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from django.conf import settings

from pregon.analytics.models import MetricSource, PostMetric
from pregon.analytics.services import account_metric_save
from pregon.publishing.models import ChannelAccount, ChannelKind

# metric name -> AccountMetric field
PAGE_METRICS = {
    "page_follows": "followers",
    "page_media_view": "views",
    "page_post_engagements": "engagements",
}
INSTAGRAM_METRICS = {"follower_count": "follows_gained", "reach": "reach", "views": "views"}
INSTAGRAM_TOTAL_VALUE = {"views"}  # only offered with metric_type=total_value
POST_METRIC = "post_total_media_view_unique"
POST_DAYS = 28  # Meta keeps post insights moving for about four weeks


class InsightsError(Exception):
    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class FetchReport:
    account: str
    day: date
    stored: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    posts: int = 0


def graph_get(path: str, token: str, **params) -> dict:
    """One GET to the Graph API; Meta's error body becomes an InsightsError."""
    url = settings.PREGON_GRAPH_API_URL.rstrip("/") + path
    try:
        response = httpx.get(
            url,
            params={**params, "access_token": token},
            timeout=float(settings.PREGON_CHANNEL_TIMEOUT),
        )
    except httpx.HTTPError as exc:
        raise InsightsError(f"sin respuesta de la API: {type(exc).__name__}") from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    if response.status_code >= 400 or error:
        error = error or {}
        code = error.get("code")
        raise InsightsError(
            f"{error.get('message') or response.reason_phrase} (código {code})", code
        )
    return body


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
    token = credentials(account).get("access_token", "")
    if not token or not account.external_id:
        report.errors["*"] = "la cuenta no tiene id externo o token de acceso"
        return report
    instagram = account.kind == ChannelKind.INSTAGRAM
    metrics = INSTAGRAM_METRICS if instagram else PAGE_METRICS
    since, until = day_bounds(day)
    for name, target in metrics.items():
        params = {"metric": name, "period": "day", "since": since, "until": until}
        if instagram and name in INSTAGRAM_TOTAL_VALUE:
            params["metric_type"] = "total_value"
        try:
            value = metric_value(
                graph_get(f"/{account.external_id}/insights", token, **params), name
            )
        except InsightsError as exc:
            report.errors[name] = str(exc)
            continue
        if value is not None:
            report.stored[target] = value
    if instagram:
        _instagram_followers(account, token, report)
    if report.stored:
        account_metric_save(account=account, day=day, values=report.stored, source=MetricSource.API)
    if not instagram:
        report.posts = _post_reach(account, token, day, report)
    return report


def _instagram_followers(account: ChannelAccount, token: str, report: FetchReport) -> None:
    """Instagram's follower_count is followers gained per day; the total is a field."""
    try:
        body = graph_get(f"/{account.external_id}", token, fields="followers_count")
    except InsightsError as exc:
        report.errors["followers_count"] = str(exc)
        return
    if isinstance(body.get("followers_count"), int):
        report.stored["followers"] = body["followers_count"]


def _post_reach(account: ChannelAccount, token: str, day: date, report: FetchReport) -> int:
    recent = PostMetric.objects.filter(
        account=account, published_at__date__gte=day - timedelta(days=POST_DAYS)
    )
    updated = 0
    for post in recent:
        try:
            body = graph_get(f"/{post.remote_id}/insights", token, metric=POST_METRIC)
        except InsightsError as exc:
            report.errors[f"{POST_METRIC}:{post.remote_id}"] = str(exc)
            continue
        value = metric_value(body, POST_METRIC)
        if value is not None:
            PostMetric.objects.filter(pk=post.pk).update(reach=value)
            updated += 1
    return updated


def fetch_all(day: date) -> list[FetchReport]:
    accounts = ChannelAccount.objects.filter(
        kind__in=[ChannelKind.FACEBOOK_PAGE, ChannelKind.INSTAGRAM]
    ).exclude(state="desactivada")
    return [fetch_account_insights(account, day) for account in accounts]
