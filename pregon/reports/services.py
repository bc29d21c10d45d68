"""Writes: issuing an evaluation freezes its figures."""

from django.utils import timezone

from pregon.accounts.models import User
from pregon.core.audit import log_action
from pregon.goals.models import Plan
from pregon.goals.periods import Period
from pregon.reports import figures
from pregon.reports.models import IssuedReport


def report_issue(
    *, period: Period, conclusions: str, user: User, plan: Plan | None = None
) -> IssuedReport:
    plan = plan or Plan.objects.filter(year=period.start.year).first()
    report = IssuedReport.objects.create(
        period=period.key,
        label=period.label,
        plan=plan,
        figures=figures.compute(period, plan),
        conclusions=conclusions.strip(),
        issued_by=user,
        issued_at=timezone.now(),
    )
    log_action(report, "reports.issued", user=user, data={"period": period.key})
    return report
