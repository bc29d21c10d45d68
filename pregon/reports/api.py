"""Evaluation API: the figures of a period, and issued evaluations as frozen."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from pregon.accounts import access
from pregon.core.api_types import Id
from pregon.goals import periods
from pregon.reports import figures
from pregon.reports.models import IssuedReport

router = Router(tags=["Evaluación"])


@router.get("/reports/periods/{key}", summary="Cifras de la evaluación de un periodo (2023-H1…)")
def period_figures(request: HttpRequest, key: str) -> dict:
    access.check(request.auth, "reports.view_issuedreport")
    try:
        period = periods.parse(key)
    except periods.PeriodError as error:
        raise Http404(str(error)) from error
    return figures.compute(period)


@router.get("/reports/issued/{pk}", summary="Una evaluación emitida, con sus cifras fijas")
def issued(request: HttpRequest, pk: Id) -> dict:
    access.check(request.auth, "reports.view_issuedreport")
    report = get_object_or_404(IssuedReport.objects.select_related("issued_by"), pk=pk)
    return {
        "id": report.pk,
        "period": report.period,
        "label": report.label,
        "issued_at": report.issued_at.isoformat(),
        "issued_by": str(report.issued_by or ""),
        "conclusions": report.conclusions,
        "figures": report.figures,
    }
