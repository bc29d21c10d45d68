"""Dashboards (social accounts and portal), purpose rules, and the cookieless counter."""

from datetime import date
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.analytics import baseline, charts, selectors, tasks
from pregon.analytics import definitions as d
from pregon.analytics.apps import METRICS_SCOPE as SCOPE
from pregon.analytics.forms import MetricsUploadForm, PurposeRuleForm, WebLogUploadForm
from pregon.analytics.models import (
    AccountMetric,
    ImportState,
    PageVisitDay,
    PurposeRule,
    WebLogImport,
)
from pregon.analytics.services import (
    UploadError,
    import_metrics_upload,
    purpose_rule_delete,
    purpose_rule_save,
    record_beacon,
    stage_weblog,
)
from pregon.analytics.weblog import BOT_RE
from pregon.core import ratelimit, versions
from pregon.core.clientip import client_address
from pregon.core.page_cache import staff_page


def _asked_year(request: HttpRequest) -> int | None:
    try:
        return int(request.GET["anio"])
    except (KeyError, ValueError):
        return None


def _year_or_latest(asked: int | None, model) -> int:
    """The year asked for, or the latest one `model` has figures for."""
    if asked is not None:
        return asked
    latest = model.objects.order_by("-date").values_list("date", flat=True).first()
    return latest.year if latest else timezone.localdate().year


def _year(request: HttpRequest, model) -> int:
    return _year_or_latest(_asked_year(request), model)


def _asked_account(request: HttpRequest) -> str:
    """The account asked for as its id's digits; anything else is none (every account)."""
    asked = request.GET.get("cuenta", "")
    return asked if asked.isascii() and asked.isdigit() and len(asked) <= 10 else ""


@access.require("analytics.view_accountmetric")
@staff_page
def dashboard(request: HttpRequest) -> HttpResponse:
    asked, account = _asked_year(request), _asked_account(request)
    # The current plan (its baseline) is the one of this year.
    name = f"analytics-dashboard:{timezone.localdate().year}:{asked}:{account}"
    context = {
        "definitions": d.DEFINITIONS,
        "band": d.LIKES_BAND,
        **versions.cached(
            name, (SCOPE,), FIGURES_SECONDS, partial(_dashboard_figures, asked, account)
        ),
    }
    return render(request, "analytics/dashboard.html", context)


# The figures read a year of daily and per-post rows and the plan's baseline: computed
# once per version of the metrics (any import or correction drops them, and so does a
# change to the plan: GoalsConfig.ready), kept at most ten minutes.
FIGURES_SECONDS = 600


def _dashboard_figures(asked: int | None, account: str) -> dict:
    year = _year_or_latest(asked, AccountMetric)
    start, end = date(year, 1, 1), date(year, 12, 31)
    everyone = selectors.measured_accounts()
    chosen = [a for a in everyone if str(a.pk) == account]
    accounts = chosen or everyone
    # The plan's one baseline goes with the sum of the accounts it covers, not with
    # one account on its own (that one is compared with its own first figure).
    plan = None if chosen else baseline.plan_baseline()
    return {
        "year": year,
        "years": range(year - 3, year + 2),
        "accounts": everyone,
        "chosen": chosen[0] if chosen else None,
        "plan": selectors.plan_progress(plan, end) if plan else None,
        "summary": selectors.post_summary(accounts, start, end),
        "top_posts": list(selectors.top_posts(accounts, start, end)),
        "charts": _social_charts(accounts, start, end, plan),
    }


def _followers_chart(
    accounts: list, start: date, end: date, plan: baseline.PlanBaseline | None
) -> str:
    """One line per account; the plan's baseline only beside the sum it is measured
    against (the accounts it covers), never beside a single account."""
    series = {a.name: selectors.followers_series([a], start, end) for a in accounts}
    series = {name: values for name, values in series.items() if values}
    if plan is None:
        return charts.line_chart(series, title="Seguidores por día")
    covered = [a for a in accounts if a.pk in plan.account_ids]
    series[f"Suma de {plan.scope}"] = selectors.followers_series(covered, start, end)
    since = f" ({plan.since:%d/%m/%Y})" if plan.since else ""
    return charts.line_chart(
        series,
        title="Seguidores por día",
        baseline=plan.followers,
        baseline_label=f"Línea base del plan{since}",
    )


def _social_charts(
    accounts: list, start: date, end: date, plan: baseline.PlanBaseline | None
) -> dict:
    per_post = [
        (charts.MONTHS[m.month - 1], average)
        for m, average in selectors.reactions_by_month(accounts, start, end)
    ]
    times = selectors.best_times(accounts, start, end)
    svg = {
        "followers": _followers_chart(accounts, start, end, plan),
        "per_post": charts.bar_chart(
            per_post,
            title="«Me gusta» promedio por publicación, por mes",
            band=d.LIKES_BAND,
            band_label="Rango del plan",
        ),
        "days": charts.bar_chart(
            [(n[:3], v) for n, v, _ in times["days"]], title="Interacciones promedio por día"
        ),
        "hours": charts.bar_chart(
            [(h, v) for h, v, _ in times["hours"]], title="Interacciones promedio por hora"
        ),
    }
    return {key: mark_safe(value) for key, value in svg.items()}  # noqa: S308 - escaped in charts


@access.require("analytics.view_pagevisitday")
def portal(request: HttpRequest) -> HttpResponse:
    year = _year(request, PageVisitDay)
    start, end = date(year, 1, 1), date(year, 12, 31)
    context = {
        "year": year,
        "years": range(year - 3, year + 2),
        "definitions": d.DEFINITIONS,
        "can_edit": access.can(request.user, "analytics.change_purposerule"),
        **versions.cached(
            f"analytics-portal:{year}",
            (SCOPE,),
            FIGURES_SECONDS,
            lambda: _portal_figures(start, end),
        ),  # fmt: skip
    }
    return render(request, "analytics/portal.html", context)


def _portal_figures(start: date, end: date) -> dict:
    visits = selectors.visits_summary(start, end)
    purposes = selectors.visits_by_purpose(start, end)
    daily = selectors.monthly(visits["daily_visitors"], how="sum")
    svg = {
        "purposes": charts.hbar_chart(purposes, title="Visitas por propósito"),
        "visitors": charts.bar_chart(
            [(charts.MONTHS[m.month - 1], v) for m, v in daily],
            title="Visitantes únicos diarios, suma por mes",
        ),
    }
    return {
        "visits": visits,
        "purposes": purposes,
        "top_pages": list(selectors.top_pages(start, end)),
        "charts": {k: mark_safe(v) for k, v in svg.items()},  # noqa: S308 - escaped in charts
    }


@access.require("analytics.change_purposerule")
def rules(request: HttpRequest) -> HttpResponse:
    form = PurposeRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, changed = purpose_rule_save(**form.cleaned_data, user=request.user)
        messages.success(request, f"Regla guardada; {changed} páginas reclasificadas.")
        return redirect("analytics:rules")
    context = {"form": form, "rules": PurposeRule.objects.all()}
    return render(request, "analytics/rules.html", context)


@require_POST
@access.require("analytics.delete_purposerule")
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    purpose_rule_delete(rule=get_object_or_404(PurposeRule, pk=pk), user=request.user)
    messages.success(request, "Regla eliminada.")
    return redirect("analytics:rules")


@access.require("analytics.add_weblogimport")
def uploads(request: HttpRequest) -> HttpResponse:
    """Coordinación uploads metric exports (imported at once) and access logs (imported
    by the worker; the list below shows their progress)."""
    # Prefixes: two forms on one page must not share field ids.
    metrics_form = MetricsUploadForm(prefix="cifras")
    weblog_form, errors = WebLogUploadForm(prefix="bitacora"), []
    if request.method == "POST" and request.POST.get("kind") == "metrics":
        access.check(request.user, "analytics.add_postmetric")
        metrics_form = MetricsUploadForm(request.POST, request.FILES, prefix="cifras")
        if metrics_form.is_valid():
            account = metrics_form.cleaned_data["account"]
            try:
                report = import_metrics_upload(
                    uploaded=metrics_form.cleaned_data["file"],
                    account_name=account.name if account else None,
                    user=request.user,
                )
            except UploadError as exc:
                errors = exc.messages
            else:
                messages.success(
                    request,
                    f"{report.layout} → {report.account}: {report.rows} publicaciones "
                    f"({report.created} nuevas, {report.updated} actualizadas, "
                    f"{report.unchanged} sin cambios).",
                )
                return redirect("analytics:uploads")
    elif request.method == "POST" and request.POST.get("kind") == "weblog":
        weblog_form = WebLogUploadForm(request.POST, request.FILES, prefix="bitacora")
        if weblog_form.is_valid():
            try:
                imp = stage_weblog(uploaded=weblog_form.cleaned_data["file"], user=request.user)
            except UploadError as exc:
                errors = exc.messages
            else:
                tasks.enqueue_weblog_import(imp)
                messages.success(
                    request, f"Bitácora «{imp.name}» recibida; se importa en segundo plano."
                )
                return redirect("analytics:uploads")
    context = {
        "metrics_form": metrics_form,
        "weblog_form": weblog_form,
        "errors": errors,
        **_import_status(),
    }
    return render(request, "analytics/uploads.html", context, status=422 if errors else 200)


def _import_status() -> dict:
    imports = list(WebLogImport.objects.select_related("uploaded_by")[:20])
    busy = any(i.state in (ImportState.PENDING, ImportState.RUNNING) for i in imports)
    return {"imports": imports, "busy": busy}


@access.require("analytics.view_weblogimport")
def upload_status(request: HttpRequest) -> HttpResponse:
    """The list of access-log imports, polled by the page while one is in progress."""
    return render(request, "analytics/_weblog_status.html", _import_status())


@csrf_exempt
@require_POST
def count(request: HttpRequest) -> HttpResponse:
    """Public, cookieless page counter for the portal. Honours Do Not Track and Global
    Privacy Control; counts like the log import (daily-salted hash, robots ignored)."""
    agent = request.headers.get("User-Agent", "")
    opted_out = request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1"
    path = request.POST.get("p", "")
    client = client_address(request)
    if _counter_over_limit(client):
        response = HttpResponse(status=429)
        response["Retry-After"] = str(settings.PREGON_COUNTER_RATE_WINDOW_SECONDS)
    else:
        if not opted_out and path.startswith("/") and not BOT_RE.search(agent):
            record_beacon(day=timezone.localdate(), path=path, client=client, agent=agent)
        response = HttpResponse(status=204)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-store"
    return response


def _counter_over_limit(client: str) -> bool:
    """One address may send so many beacons per window (a busy office behind one
    address fits); past that they are not stored, so a script cannot inflate visits."""
    return ratelimit.over_limit(
        "visit-counter",
        client,
        settings.PREGON_COUNTER_RATE_LIMIT,
        settings.PREGON_COUNTER_RATE_WINDOW_SECONDS,
    )


COUNTER_JS = """/* Pregón: contador de visitas sin cookies. Respeta "No rastrear". */
(function () {
  var n = navigator, s = document.currentScript;
  if (n.doNotTrack === "1" || window.doNotTrack === "1" || n.globalPrivacyControl) return;
  var url = s.src.replace(/contador\\.js.*$/, "contar/");
  var body = "p=" + encodeURIComponent(location.pathname);
  var type = "application/x-www-form-urlencoded";
  if (n.sendBeacon && n.sendBeacon(url, new Blob([body], {type: type}))) return;
  var x = new XMLHttpRequest(); x.open("POST", url); x.setRequestHeader("Content-Type", type);
  x.send(body);
})();
"""


def counter_js(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(COUNTER_JS, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    response["Access-Control-Allow-Origin"] = "*"
    return response
