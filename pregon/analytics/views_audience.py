"""«Cuándo responde» (engagement by weekday and hour, format, category), «Quién
escucha» (audience breakdowns from the networks) and their CSV exports, plus the
composer's best-next-slot partial."""

import csv
from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from pregon.accounts import access
from pregon.analytics import charts, demographics, engagement, selectors
from pregon.analytics import definitions as d
from pregon.analytics.apps import METRICS_SCOPE as SCOPE
from pregon.core import versions
from pregon.publishing.models import ChannelAccount

PERIODS = (90, 180, 365)
FIGURES_SECONDS = 600


def _days(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("dias", 365))
    except ValueError:
        return 365
    return days if days in PERIODS else 365


def _chosen(request: HttpRequest, everyone: list[ChannelAccount]) -> list[ChannelAccount]:
    chosen = [a for a in everyone if str(a.pk) == request.GET.get("cuenta")]
    return chosen or everyone


# ---- when our public responds ------------------------------------------------------


def _heatmap_svg(entry: dict) -> str:
    hours = sorted({h for _, h in entry["cells"]})
    hours = list(range(hours[0], hours[-1] + 1)) if hours else []
    svg = charts.heatmap(
        entry["cells"],
        rows=engagement.WEEKDAYS,
        hours=hours,
        title=f"Tasa de interacción por día y hora · {entry['account'].name}",
    )
    return mark_safe(svg)  # noqa: S308 - escaped in charts


@access.require("analytics.view_postmetric")
def responds(request: HttpRequest) -> HttpResponse:
    days, everyone = _days(request), selectors.social_accounts()
    accounts = _chosen(request, everyone)
    key = (
        f"analytics-responds:{days}:{timezone.localdate()}:{','.join(str(a.pk) for a in accounts)}"
    )

    def compute() -> dict:
        figures = engagement.figures(accounts, days, timezone.localdate())
        for entry in figures["maps"]:
            entry["svg"] = _heatmap_svg(entry)
        return figures

    context = {
        "days": days,
        "periods": PERIODS,
        "accounts": everyone,
        "chosen": accounts[0] if len(accounts) == 1 and len(everyone) > 1 else None,
        "definitions": d.DEFINITIONS,
        **versions.cached(key, (SCOPE,), FIGURES_SECONDS, compute),
    }
    return render(request, "analytics/responds.html", context)


@access.require("analytics.view_postmetric")
def responds_csv(request: HttpRequest) -> HttpResponse:
    days = _days(request)
    figures = engagement.figures(
        _chosen(request, selectors.social_accounts()), days, timezone.localdate()
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interaccion-{days}-dias.csv"'
    out = csv.writer(response)
    out.writerow(
        ["agrupación", "cuenta", "red", "día", "hora", "valor", "publicaciones", "tasa media %"]
        + ["ic 95 % bajo", "ic 95 % alto", "confiable"]
    )
    for entry in figures["maps"]:
        account = entry["account"]
        for (weekday, hour), fig in sorted(entry["cells"].items()):
            day = engagement.WEEKDAYS[weekday]
            out.writerow(
                ["día y hora", account.name, account.get_kind_display(), day, hour, ""]
                + _fig_cols(fig)
            )
    for label, rows in figures["groups"].values():
        for _value, name, fig in rows:
            out.writerow([label.lower(), "todas", "", "", "", name] + _fig_cols(fig))
    return response


def _fig_cols(fig: engagement.Figure) -> list:
    low = "" if fig.low is None else f"{fig.low:.2f}"
    high = "" if fig.high is None else f"{fig.high:.2f}"
    return [fig.n, f"{fig.mean:.2f}", low, high, "sí" if fig.trusted else "no"]


@access.require("analytics.view_postmetric")
def best_slot(request: HttpRequest) -> HttpResponse:
    """The composer asks with its ticked channels (channel_<id>=1): the best next slot
    of each, from the last year of our own posts there."""
    ticked = {k.removeprefix("channel_") for k in request.GET if k.startswith("channel_")}
    accounts = [a for a in selectors.social_accounts() if str(a.pk) in ticked]
    ids = ",".join(str(a.pk) for a in accounts)
    key = f"analytics-best:{timezone.localdate()}:{timezone.now().hour}:{ids}"

    def compute() -> list:
        figures = engagement.figures(accounts, 365, timezone.localdate())
        found = {e["account"].pk: e["best"][:1] for e in figures["maps"]}
        return [(a, found.get(a.pk, [])) for a in accounts]

    rows = versions.cached(key, (SCOPE,), FIGURES_SECONDS, compute) if accounts else []
    return render(request, "analytics/_best_slot.html", {"rows": rows})


# ---- who is listening --------------------------------------------------------------


def audience_figures(accounts: list[ChannelAccount], today: date) -> list[dict]:
    found = selectors.audience_rows(accounts, today - timedelta(days=364), today)
    figures = []
    for account in accounts:
        stored = found[account.pk]
        figures.append(
            {
                "account": account,
                "sections": [
                    _section(item, stored) for item in demographics.catalog_for(account.kind)
                ],
                "share": _share_chart(account, stored["cities"]),
            }
        )
    return figures


def _section(item: demographics.Breakdown, stored: dict) -> dict:
    row = stored["latest"].get((item.metric, item.breakdown))
    by = demographics.BREAKDOWN_NAMES[item.breakdown].lower()
    title = f"{demographics.METRIC_NAMES[item.metric]} por {by}"
    section = {
        "item": item,
        "title": title,
        "row": row,
        "why": item.retired or (row.unavailable if row else ""),
    }
    if row is None or section["why"]:
        return section
    bars = _bars(item.breakdown, row.counts)
    section["total"] = sum(row.counts.values())
    section["svg"] = mark_safe(charts.hbar_chart(bars, title=f"{title} ({row.date:%d/%m/%Y})"))  # noqa: S308
    if item.breakdown == "city":
        section["local"] = demographics.local_share(row.counts)
    return section


def _bars(breakdown: str, counts: dict) -> list[tuple[str, float]]:
    if breakdown == "age":
        return sorted(counts.items())
    if breakdown == "gender":
        return [(demographics.GENDERS.get(k, k), v) for k, v in sorted(counts.items())]
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]


def _share_chart(account: ChannelAccount, cities: dict) -> str:
    home = demographics.home_places()[0]
    series = {}
    for metric, days in cities.items():
        shares = [(day, demographics.local_share(counts)) for day, counts in days]
        name = demographics.METRIC_NAMES[metric]
        series[f"{name}: {home}"] = [(d, s["home_share"]) for d, s in shares if s["total"]]
        series[f"{name}: {home} y vecinos"] = [
            (d, s["region_share"]) for d, s in shares if s["total"]
        ]
    series = {k: v for k, v in series.items() if v}
    if not series:
        return ""
    svg = charts.line_chart(series, title=f"Porcentaje del público en {home} y municipios vecinos")
    return mark_safe(svg)  # noqa: S308 - escaped in charts


@access.require("analytics.view_audiencebreakdown")
def listening(request: HttpRequest) -> HttpResponse:
    everyone = selectors.social_accounts(demographics.audience_kinds())
    accounts = _chosen(request, everyone)
    key = f"analytics-listening:{timezone.localdate()}:{','.join(str(a.pk) for a in accounts)}"
    context = {
        "accounts": everyone,
        "chosen": accounts[0] if len(accounts) == 1 and len(everyone) > 1 else None,
        "definitions": d.DEFINITIONS,
        "home": demographics.home_places()[0],
        "neighbours": demographics.home_places()[1:],
        "figures": versions.cached(
            key, (SCOPE,), FIGURES_SECONDS, lambda: audience_figures(accounts, timezone.localdate())
        ),
    }
    return render(request, "analytics/listening.html", context)


@access.require("analytics.view_audiencebreakdown")
def listening_csv(request: HttpRequest) -> HttpResponse:
    accounts = _chosen(request, selectors.social_accounts(demographics.audience_kinds()))
    today = timezone.localdate()
    found = selectors.audience_rows(accounts, today - timedelta(days=364), today)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="publico.csv"'
    out = csv.writer(response)
    out.writerow(["cuenta", "red", "fecha", "cifra", "desglose", "valor", "personas", "nota"])
    for account in accounts:
        for item in demographics.catalog_for(account.kind):
            row = found[account.pk]["latest"].get((item.metric, item.breakdown))
            why = item.retired or (row.unavailable if row else "sin datos todavía")
            base = [
                account.name,
                account.get_kind_display(),
                row.date.isoformat() if row else "",
                item.metric,
                item.breakdown,
            ]
            if why:
                out.writerow(base + ["", "", why])
                continue
            for value, people in sorted(row.counts.items(), key=lambda kv: (-kv[1], kv[0])):
                out.writerow(base + [value, people, ""])
    return response
