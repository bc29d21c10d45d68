"""Coordinación's compliance pages: the period's events, the rule records, exports."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from pregon.accounts import access
from pregon.compliance import exports, holds, selectors, services
from pregon.compliance.forms import CheckForm, ComplianceSettingsForm
from pregon.compliance.models import ComplianceSettings, ElectoralPeriod
from pregon.compliance.registry import SECTIONS, Section
from pregon.compliance.rules import blackout_active, check_publication

MANAGE = "compliance.manage_rules"


def _section(slug: str) -> Section:
    if slug not in SECTIONS:
        raise Http404
    return SECTIONS[slug]


@access.require("compliance.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    periods = ElectoralPeriod.objects.all()
    chosen = request.GET.get("periodo")
    period = periods.filter(pk=chosen).first() if chosen else selectors.default_period()
    events = selectors.period_events(period)
    verdict = None
    form = CheckForm(request.GET if "category" in request.GET else None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        verdict = check_publication(d["category"], d["when"], d["text"], d["institutional"])
    context = {
        "periods": periods,
        "period": period,
        "events": events[:500],
        "summary": selectors.summary(events),
        "held": holds.collect(),
        "active": blackout_active(),
        "form": form,
        "verdict": verdict,
        "sections": SECTIONS.values(),
        "can_manage": access.can(request.user, MANAGE),
        "settings_obj": ComplianceSettings.current(),
        "try_inside": selectors.try_inside(period),
    }
    return render(request, "compliance/dashboard.html", context)


@access.require("compliance.view_dashboard")
def section_list(request: HttpRequest, slug: str) -> HttpResponse:
    section = _section(slug)
    rows = [
        (obj, [_display(obj, c) for c in section.columns]) for obj in section.model.objects.all()
    ]
    headers = [section.model._meta.get_field(c).verbose_name for c in section.columns]
    context = {
        "section": section,
        "rows": rows,
        "headers": headers,
        "can_manage": access.can(request.user, MANAGE),
    }
    return render(request, "compliance/section_list.html", context)


def _display(obj, column: str) -> object:
    getter = getattr(obj, f"get_{column}_display", None)
    return getter() if getter else getattr(obj, column)


@access.require(MANAGE)
def section_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    section = _section(slug)
    obj = get_object_or_404(section.model, pk=pk) if pk else None
    form = section.form(request.POST or None, request.FILES or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        services.save_rule(form.save(commit=False), user=request.user, created=obj is None)
        messages.success(request, f"Guardado en «{section.title}».")
        return redirect("compliance:section", slug=slug)
    return render(
        request, "compliance/section_form.html", {"section": section, "form": form, "obj": obj}
    )


@access.require(MANAGE)
def section_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    section = _section(slug)
    obj = get_object_or_404(section.model, pk=pk)
    if request.method == "POST":
        services.delete_rule(obj, user=request.user)
        messages.success(request, f"Eliminado: {obj}.")
        return redirect("compliance:section", slug=slug)
    return render(request, "compliance/section_delete.html", {"section": section, "obj": obj})


@access.require(MANAGE)
def settings_edit(request: HttpRequest) -> HttpResponse:
    form = ComplianceSettingsForm(request.POST or None, instance=ComplianceSettings.current())
    if request.method == "POST" and form.is_valid():
        services.save_rule(form.save(commit=False), user=request.user, created=False)
        messages.success(request, "Ajustes guardados.")
        return redirect("compliance:dashboard")
    return render(request, "compliance/settings_form.html", {"form": form})


@access.require("compliance.export_transparency")
def export_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _int(request.GET.get("anio"), today.year, 2000, 2100)
    quarter = _int(request.GET.get("trimestre"), (today.month - 1) // 3 + 1, 1, 4)
    context = {"formats": exports.FORMATS.values(), "year": year, "quarter": quarter}
    return render(request, "compliance/exports.html", context)


def _int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        value = int(raw or default)
    except ValueError:
        return default
    return value if low <= value <= high else default


@access.require("compliance.export_transparency")
def export_download(request: HttpRequest, code: str, year: int, quarter: int, ext: str):
    if code not in exports.FORMATS or ext not in ("csv", "xlsx") or not 1 <= quarter <= 4:
        raise Http404
    fmt, q = exports.FORMATS[code], exports.Quarter(year, quarter)
    if ext == "csv":
        body, mime = exports.to_csv(fmt, q), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(fmt, q)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=mime)
    name = f"formato_{code}_{year}_T{quarter}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
