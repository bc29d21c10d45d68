"""Who is listening: the audience breakdowns Meta's insights API still offers (Graph
v23), fetched daily and stored as one AudienceBreakdown row per account, metric and
dimension. Each network's package lists its breakdowns (`Network.audience`).

Instagram: `follower_demographics` and `engaged_audience_demographics`, lifetime
metrics asked with metric_type=total_value, a timeframe (this_month) and one breakdown
per request; the answer is {"data": [{"name", "total_value": {"breakdowns":
[{"dimension_keys": [...], "results": [{"dimension_values": [...], "value"}]}]}}]}.
Facebook Pages: Meta retired page_fans_city / page_fans_gender_age; the city of the
page's followers is asked as `page_follows_city` (values[-1].value is {city: people}).
A metric the API refuses (error #100, retired or not offered) is stored as unavailable
with Meta's words, so the page says so instead of showing zeros; a usage limit or a
token to reconnect stops that account for the day."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction

from pregon.analytics.insights import credentials
from pregon.analytics.models import AudienceBreakdown, MetricSource
from pregon.analytics.selectors import social_accounts
from pregon.publishing.channels import registry
from pregon.publishing.channels.base import AccountConfig, ChannelError
from pregon.publishing.channels.graph import GraphChannel
from pregon.publishing.models import ChannelAccount


@dataclass(frozen=True)
class Breakdown:
    """One of a network's audience breakdowns (its package's `audience`), for a kind."""

    network: str
    metric: str
    breakdown: str
    params: tuple[tuple[str, str], ...] = ()
    retired: str = ""  # why it is not asked: the page shows this instead of a chart


def catalog_for(kind: str) -> list[Breakdown]:
    network = registry.get(kind)
    specs = network.audience if network else ()
    return [Breakdown(kind, s.metric, s.breakdown, s.params, s.retired) for s in specs]


def audience_kinds() -> tuple[str, ...]:
    """The networks whose insights say who follows them."""
    return tuple(kind for kind, network in registry.networks().items() if network.audience)


METRIC_NAMES = {
    "follower_demographics": "Seguidores",
    "engaged_audience_demographics": "Público que interactuó",
    "page_follows_city": "Seguidores",
    "page_fans_gender_age": "Seguidores",
}
BREAKDOWN_NAMES = {"city": "Ciudad", "age": "Edad", "gender": "Género"}
GENDERS = {"F": "Mujeres", "M": "Hombres", "U": "Sin especificar"}


@dataclass
class AudienceReport:
    account: str
    stored: int = 0
    unavailable: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    retry_after: float | None = None


def request_params(item: Breakdown) -> dict:
    return {"metric": item.metric, **dict(item.params)}


def parse_counts(body: dict, item: Breakdown) -> dict[str, int]:
    """{value: people} from either answer shape; {} when the answer holds none."""
    counts: dict[str, int] = {}
    for entry in body.get("data", []):
        if entry.get("name") != item.metric:
            continue
        for part in (entry.get("total_value") or {}).get("breakdowns", []):
            for result in part.get("results", []):
                key = ", ".join(str(v) for v in result.get("dimension_values", []))
                counts[key] = counts.get(key, 0) + int(result.get("value") or 0)
        values = [v.get("value") for v in entry.get("values", []) if "value" in v]
        if values and isinstance(values[-1], dict):
            counts.update({str(k): int(v) for k, v in values[-1].items()})
    return counts


def fetch_account_audience(account: ChannelAccount, day: date) -> AudienceReport:
    """Every breakdown Meta still offers for this account; network calls first, then
    one short transaction that stores the day's rows."""
    report = AudienceReport(account.name)
    token = credentials(account).get("access_token", "")
    if not token or not account.external_id:
        report.errors["*"] = "la cuenta no tiene id externo o token de acceso"
        return report
    config = AccountConfig(
        kind=account.kind, external_id=account.external_id, credentials={"access_token": token}
    )
    channel = GraphChannel(config)
    rows: dict[Breakdown, tuple[dict, str]] = {}
    try:
        for item in catalog_for(account.kind):
            if item.retired:
                continue
            try:
                body = channel.call(
                    "GET", f"/{account.external_id}/insights", **request_params(item)
                )
            except ChannelError as exc:
                if exc.reconnect or exc.rate_limited:
                    report.errors[item.metric] = exc.message
                    report.retry_after = exc.retry_after
                    break
                if exc.permanent:
                    rows[item] = ({}, exc.message)
                    report.unavailable[f"{item.metric}/{item.breakdown}"] = exc.message
                else:
                    report.errors[f"{item.metric}/{item.breakdown}"] = exc.message
                continue
            rows[item] = (parse_counts(body, item), "")
    finally:
        channel.http.close()
    _store(account, day, rows)
    report.stored = sum(1 for _, (counts, why) in rows.items() if not why)
    return report


@transaction.atomic
def _store(account: ChannelAccount, day: date, rows: dict) -> None:
    for item, (counts, why) in rows.items():
        AudienceBreakdown.objects.update_or_create(
            account=account,
            date=day,
            metric=item.metric,
            breakdown=item.breakdown,
            defaults={"counts": counts, "unavailable": why[:500], "source": MetricSource.API},
        )


def fetch_all_audience(day: date) -> list[AudienceReport]:
    accounts = social_accounts(audience_kinds())
    return [fetch_account_audience(account, day) for account in accounts]


# ---- the municipality and its neighbours -------------------------------------------


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def city_name(key: str) -> str:
    """Meta names a city "Toluca, México" (city, state): the city, compared plainly."""
    return _plain(key.split(",")[0])


def home_places() -> list[str]:
    """The municipality first, then its neighbours (settings)."""
    return [settings.PREGON_MUNICIPALITY.split(",")[0].strip(), *settings.PREGON_NEIGHBOURS]


def local_share(counts: dict[str, int]) -> dict:
    """People per home place, and their share of everyone the breakdown lists."""
    total = sum(counts.values())
    places = []
    for place in home_places():
        people = sum(v for k, v in counts.items() if city_name(k) == _plain(place))
        places.append((place, people, 100 * people / total if total else None))
    home = places[0][1]
    around = sum(p[1] for p in places[1:])
    return {
        "total": total,
        "places": places,
        "home": home,
        "home_share": 100 * home / total if total else None,
        "region_share": 100 * (home + around) / total if total else None,
    }
