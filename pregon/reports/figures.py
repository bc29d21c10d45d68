"""The figures of an evaluation period, as plain JSON-ready data.

`compute(period, plan)` reads every source once and returns tables (title, columns,
rows) and chart data. Renderers (HTML, PDF, XLSX) draw only from this dict, so an
issued report stored with its figures renders the same forever."""

from collections import Counter
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from pregon.analytics import definitions as analytics_defs
from pregon.analytics import selectors as analytics
from pregon.archive.models import Clipping, Tone
from pregon.core.spanish import MONTHS
from pregon.goals import engine, periods, sources
from pregon.goals import selectors as goals
from pregon.goals.models import FormulaKind, Indicator, Plan, Source
from pregon.goals.periods import Period
from pregon.publishing import cadence as publishing_cadence
from pregon.publishing.channels import registry
from pregon.publishing.models import Delivery, DeliveryStatus
from pregon.surveys.models import Survey
from pregon.surveys.selectors import survey_results

VERSION = 1


def num(value) -> float | int | None:
    """JSON number: ints stay ints, Decimals become floats rounded to 2 places."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def table(title: str, columns: list[str], rows: list[list], note: str = "") -> dict:
    return {"title": title, "columns": columns, "rows": rows, "note": note}


def compute(period: Period, plan: Plan | None = None) -> dict:
    plan = plan or Plan.objects.filter(year=period.start.year).first()
    tables, charts = {}, {}
    indicators, diagnosis = indicator_rows(plan, period)
    tables["indicadores"] = indicators
    tables["publicaciones"], charts["publicaciones"] = publications_by_month(plan, period)
    tables["cobertura"], charts["cobertura"] = coverage(period)
    tables["cadencia"] = cadence(period)
    tables["seguidores"], charts["seguidores"] = followers(plan, period)
    tables["interacciones"], charts["interacciones"] = interactions(period)
    tables["top"] = top_posts(period)
    tables["visitas"], charts["visitas"] = visits(period)
    tables["prensa"], charts["prensa"] = press(period)
    tables["encuestas"] = surveys(period)
    return {
        "version": VERSION,
        "period": {
            "key": period.key,
            "label": period.label,
            "start": period.start.isoformat(),
            "last_day": period.last_day.isoformat(),
        },
        "plan": plan_info(plan),
        "tables": tables,
        "charts": charts,
        "diagnosis": diagnosis,
    }


def plan_info(plan: Plan | None) -> dict | None:
    if plan is None:
        return None
    return {"title": plan.title, "municipality": plan.municipality, "year": plan.year}


def indicator_rows(plan: Plan | None, period: Period) -> tuple[dict, list[dict]]:
    rows, diagnosis = [], []
    for indicator in plan.indicators.all() if plan else []:
        result = engine.evaluate_period(indicator, period)
        state = "sin datos" if result.met is None else "en meta" if result.met else "rezagado"
        rows.append(
            [
                indicator.code,
                indicator.name,
                num(result.value),
                num(result.target),
                num(result.gap) if result.met is False else None,
                indicator.unit,
                state,
            ]
        )
        if result.met is not True:
            diagnosis.append(
                {
                    "code": indicator.code,
                    "name": indicator.name,
                    "value": num(result.value),
                    "target": num(result.target),
                    "gap": num(result.gap),
                    "unit": indicator.unit,
                    "percent": num(100 * result.value / result.target)
                    if result.value is not None and result.target
                    else None,
                }
            )
    columns = ["Clave", "Indicador", "Valor", "Meta del periodo", "Brecha", "Unidad", "Estado"]
    note = (
        "Las metas de conteo se prorratean a la duración del periodo "
        "(720 al año = 360 al semestre)."
    )
    return table("Indicadores del plan", columns, rows, note), diagnosis


def monthly_target(plan: Plan | None) -> Decimal | None:
    if plan is None:
        return None
    indicator = plan.indicators.filter(
        formula_kind=FormulaKind.COUNT, numerator=Source.PUBLICATIONS_PUBLISHED, filters={}
    ).first()
    if indicator is None:
        return None
    return indicator.target / periods.FREQUENCY_MONTHS[indicator.frequency]


def publications_by_month(plan: Plan | None, period: Period) -> tuple[dict, dict]:
    target = monthly_target(plan)
    kinds = registry.kind_choices()
    rows, bars = [], []
    for first in period.month_starts():
        month = periods.month(first.year, first.month)
        start, end = month.bounds()
        per_kind = Counter(
            Delivery.objects.filter(
                status=DeliveryStatus.PUBLICADA, published_at__gte=start, published_at__lt=end
            ).values_list("account__kind", flat=True)
        )
        total = sources.publications(start, end, {}).count()
        label = f"{MONTHS[first.month - 1]} {first.year}"
        diff = num(total - target) if target is not None else None
        rows.append([label, *(per_kind[k] for k, _ in kinds), total, num(target), diff])
        bars.append([MONTHS[first.month - 1][:3], total])
    total_row = ["Total", *(sum(r[i + 1] for r in rows) for i in range(len(kinds)))]
    total_row += [sum(r[len(kinds) + 1] for r in rows)]
    total_row += [num(target * period.months) if target is not None else None, None]
    if target is not None:
        total_row[-1] = num(total_row[-3] - target * period.months)
    columns = ["Mes", *(label for _, label in kinds), "Publicaciones", "Meta", "Diferencia"]
    note = (
        "Por canal: entregas publicadas en cada red; «Publicaciones»: publicaciones con estado "
        "publicada (una publicación puede salir en varios canales)."
    )
    chart = {"kind": "target_bars", "title": "Publicaciones por mes", "bars": bars}
    chart["target"] = num(target)
    return table("Publicaciones por canal y mes", columns, rows + [total_row], note), chart


def coverage(period: Period) -> tuple[dict, dict]:
    rows = goals.coverage_by_area(period)
    total = goals.coverage_total(rows)
    out = [
        [r["name"], r["registered"], r["published"], r["percent"], r["unpublished"]] for r in rows
    ]
    out.append(
        [
            "Total",
            total["registered"],
            total["published"],
            total["percent"],
            total["registered"] - total["published"],
        ]
    )
    columns = ["Área", "Acciones registradas", "Con publicación", "%", "Sin publicar"]
    note = "Acciones públicas (no canceladas) que iniciaron en el periodo."
    chart = {
        "kind": "hbar",
        "title": "Acciones publicadas por área (%)",
        "bars": [[r["name"], r["percent"] or 0] for r in rows],
    }
    return table("Cobertura de acciones por área", columns, out, note), chart


def followers_indicator(plan: Plan | None) -> Indicator | None:
    return (
        plan.indicators.filter(formula_kind=FormulaKind.GROWTH, numerator=Source.FOLLOWERS)
        .select_related("baseline_account")
        .first()
        if plan
        else None
    )


def followers(plan: Plan | None, period: Period) -> tuple[dict, dict]:
    """Each measured account's followers in the period, then the accounts the plan's
    baseline covers, summed, against that baseline (engine.source_filters)."""
    indicator = followers_indicator(plan)
    baseline = int(indicator.baseline) if indicator and indicator.baseline else None
    covered = set(goals.baseline_accounts(indicator)) if baseline else set()
    rows, series, firsts, lasts = [], {}, 0, 0
    for account in analytics.measured_accounts():
        daily = analytics.followers_series([account], period.start, period.last_day)
        if not daily:
            continue
        first, last = daily[0][1], daily[-1][1]
        in_baseline = account.name in covered
        firsts, lasts = firsts + first * in_baseline, lasts + last * in_baseline
        rows.append(
            [
                account.name,
                account.get_kind_display(),
                "sí" if in_baseline else "no",
                first,
                last,
                analytics_defs.percent(last - first, first),
                None,
            ]
        )
        series[account.name] = [[d.isoformat(), v] for d, v in analytics.monthly(daily)]
    if baseline and lasts:
        growth = analytics_defs.growth_rate(lasts, baseline)
        variation = analytics_defs.percent(lasts - firsts, firsts)
        rows.append(
            ["Cuentas de la línea base (suma)", "", baseline, firsts, lasts, variation, growth]
        )
    columns = [
        "Cuenta",
        "Red",
        "En la línea base",
        "Al inicio del periodo",
        "Al cierre del periodo",
        "Variación en el periodo %",
        "Crecimiento desde la línea base %",
    ]
    note = goals.baseline_note(indicator) if baseline else "El plan no fija línea base."
    chart = {"kind": "line", "title": "Seguidores por cuenta", "series": series}
    if baseline and len(covered) == 1:  # a total drawn against one account's line misleads
        chart["baseline"] = baseline
    return table("Seguidores por red", columns, rows, note), chart


def cadence(period: Period) -> dict:
    """The permanent campaign: per theme and network, posts published in the period
    against what its cadence asked for (up to today when the period is under way)."""
    last = min(period.last_day, timezone.localdate())
    cells = publishing_cadence.over_span(period.start, last) if last >= period.start else []
    rows = [
        [
            c.theme,
            c.channel,
            c.target,
            c.expected,
            c.published,
            c.percent,
            "cumplida" if c.met else "rezagada",
        ]
        for c in cells
    ]
    columns = ["Tema", "Red", "Meta", "Esperadas", "Publicadas", "% de lo esperado", "Estado"]
    note = (
        "Esperadas: la meta semanal o mensual prorrateada a los días del periodo"
        f"{' transcurridos' if last < period.last_day else ''}, sin los días en que una veda "
        "pausó el tema. Una publicación cuenta una vez por red si al menos un envío a esa red "
        "quedó publicado."
    )
    return table("Campaña permanente: cadencia por tema y red", columns, rows, note)


def interactions(period: Period) -> tuple[dict, dict]:
    low, high = analytics_defs.LIKES_BAND
    rows = []
    accounts = analytics.measured_accounts()
    for account in accounts:
        s = analytics.post_summary([account], period.start, period.last_day)
        if s["posts"]:
            rows.append(
                [
                    account.name,
                    s["posts"],
                    s["interactions"],
                    s["avg_interactions"],
                    s["in_band"],
                    analytics_defs.percent(s["in_band"], s["posts"]),
                ]
            )
    bars = []
    for first in period.month_starts():
        month = periods.month(first.year, first.month)
        s = analytics.post_summary(accounts, month.start, month.last_day)
        bars.append([MONTHS[first.month - 1][:3], s["avg_interactions"] or 0])
    columns = [
        "Cuenta",
        "Publicaciones medidas",
        "Interacciones",
        "Promedio por publicación",
        f"Con {low}–{high} «me gusta»",
        "En el rango %",
    ]
    note = analytics_defs.DEFINITIONS["interactions"].text
    chart = {"kind": "band_bars", "title": "Interacciones promedio por publicación, por mes"}
    chart.update(bars=bars, band=[low, high])
    return table("Interacciones por publicación", columns, rows, note), chart


def top_posts(period: Period) -> dict:
    posts = analytics.top_posts(analytics.measured_accounts(), period.start, period.last_day)
    rows = [
        [
            p.published_at.date().isoformat() if p.published_at else None,
            p.account.name,
            (p.text or p.remote_id)[:120],
            p.reactions,
            p.comments,
            p.shares,
            p.interactions,
        ]
        for p in posts
    ]
    columns = ["Fecha", "Cuenta", "Publicación", "Me gusta", "Comentarios", "Compartidos"]
    return table("Publicaciones con más interacciones", columns + ["Interacciones"], rows)


def visits(period: Period) -> tuple[dict, dict]:
    pairs = analytics.visits_by_purpose(period.start, period.last_day)
    total = sum(v for _, v in pairs)
    rows = [[label, v, analytics_defs.percent(v, total)] for label, v in pairs]
    rows.append(["Total", total, 100 if total else None])
    chart = {"kind": "hbar", "title": "Visitas al portal por propósito"}
    chart["bars"] = [[label, v] for label, v in pairs]
    note = analytics_defs.DEFINITIONS["visits"].text
    return table(
        "Visitas al portal por propósito", ["Propósito", "Visitas", "%"], rows, note
    ), chart


def press(period: Period) -> tuple[dict, dict]:
    start, end = period.bounds()
    bulletins = sources.bulletins_issued(start, end, {})
    tones = dict(
        Clipping.objects.filter(date__range=(period.start, period.last_day))
        .values_list("tone")
        .annotate(n=Count("pk"))
    )
    rows = [["Boletines emitidos", num(bulletins) if bulletins is not None else "sin datos"]]
    rows += [[f"Notas de prensa: {label.lower()}", tones.get(v, 0)] for v, label in Tone.choices]
    rows.append(["Notas de prensa: total", sum(tones.values())])
    bars = [[label, tones.get(v, 0)] for v, label in Tone.choices]
    chart = {"kind": "hbar", "title": "Notas de prensa por tono", "bars": bars}
    return table("Boletines y hemeroteca", ["Concepto", "Cantidad"], rows), chart


def surveys(period: Period) -> dict:
    rows = []
    found = Survey.objects.filter(opens_on__lte=period.last_day, closes_on__gte=period.start)
    for survey in found.order_by("opens_on", "pk"):
        r = survey_results(survey, period.start, period.last_day)
        if not r["n"]:
            continue
        csat, nps = r["csat"] or {}, r["nps"] or {}
        rows.append(
            [
                survey.title,
                r["n"],
                num(csat.get("score")),
                num(csat.get("ci_low")),
                num(csat.get("ci_high")),
                num(nps.get("score")),
                num(nps.get("ci_low")),
                num(nps.get("ci_high")),
            ]
        )
    columns = [
        "Encuesta",
        "Respuestas (n)",
        "CSAT %",
        "CSAT IC 95 % inf.",
        "CSAT IC 95 % sup.",
        "NPS",
        "NPS IC 95 % inf.",
        "NPS IC 95 % sup.",
    ]
    note = "CSAT: % de respuestas 4–5. NPS: % promotores − % detractores. IC de Wilson al 95 %."
    return table("Satisfacción ciudadana", columns, rows, note)
