"""Evaluation pages: preview a period, download it, issue it with conclusions."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pregon.accounts import access
from pregon.goals import periods
from pregon.goals.models import Plan
from pregon.reports import exports, figures, services
from pregon.reports import render as report_render
from pregon.reports.forms import IssueForm, PeriodForm
from pregon.reports.models import IssuedReport


@access.require("reports.view_issuedreport")
def index(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("reports:period", key=form.cleaned_data["period"].key)
    plan = Plan.objects.first()
    year = plan.year if plan else timezone.localdate().year
    context = {
        "form": form,
        "reports": IssuedReport.objects.select_related("issued_by"),
        "quick": [f"{year}-{part}" for part in ("H1", "H2", "Q1", "Q2", "Q3", "Q4")],
    }
    return render(request, "reports/index.html", context)


def _period(key: str) -> periods.Period:
    try:
        return periods.parse(key)
    except periods.PeriodError as error:
        raise Http404(str(error)) from error


def _download(request: HttpRequest, data: dict, conclusions: str, issued) -> HttpResponse | None:
    fmt = request.GET.get("formato", "")
    if fmt not in exports.FORMATS:
        return None
    _, content_type, _ = exports.FORMATS[fmt]
    response = HttpResponse(exports.export(fmt, data, conclusions, issued), content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{exports.filename(data, fmt)}"'
    return response


@access.require("reports.view_issuedreport")
def period(request: HttpRequest, key: str) -> HttpResponse:
    current = _period(key)
    data = figures.compute(current)
    download = _download(request, data, "", None)
    if download:
        return download
    context = {
        **report_render.context(data),
        "period": current,
        "form": IssueForm(),
        "can_issue": access.can(request.user, "reports.add_issuedreport"),
    }
    return render(request, "reports/period.html", context)


@require_POST
@access.require("reports.add_issuedreport")
def issue(request: HttpRequest, key: str) -> HttpResponse:
    current = _period(key)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Revise las conclusiones.")
        return redirect("reports:period", key=current.key)
    report = services.report_issue(
        period=current, conclusions=form.cleaned_data["conclusions"], user=request.user
    )
    messages.success(request, f"Evaluación {report.label} emitida; sus cifras quedan fijas.")
    return redirect(report)


@access.require("reports.view_issuedreport")
def issued(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(IssuedReport.objects.select_related("issued_by"), pk=pk)
    download = _download(request, report.figures, report.conclusions, report)
    if download:
        return download
    context = {**report_render.context(report.figures, report.conclusions, report)}
    context["report"] = report
    return render(request, "reports/issued.html", context)
