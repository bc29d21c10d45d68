"""Background jobs: each calls services (never the reverse)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from pregon.analytics.demographics import fetch_all_audience
from pregon.analytics.insights import fetch_all
from pregon.analytics.models import WebLogImport
from pregon.analytics.services import run_staged_weblog
from pregon.core.audit import log_action


@task()
def fetch_insights() -> dict:
    """Daily: yesterday's figures for every Facebook page and Instagram account."""
    day = timezone.localdate() - timedelta(days=1)
    reports = fetch_all(day)
    summary = {
        r.account: {"guardadas": r.stored, "errores": r.errors, "reintentar_en_s": r.retry_after}
        for r in reports
    }
    for report in reports:
        if report.errors:
            log_action(None, "analytics.insights_errors", data={report.account: report.errors})
    return {"day": day.isoformat(), "accounts": summary}


@task()
def import_weblog_task(import_id: int) -> dict:
    """An access log uploaded from the dashboard or the API (may take minutes)."""
    imp = run_staged_weblog(import_id)
    return {"id": imp.pk, "state": imp.state, "lines": imp.lines_done, "visits": imp.visits}


@task()
def fetch_audience() -> dict:
    """Daily: who follows and engages with each Facebook page and Instagram account."""
    day = timezone.localdate()
    reports = fetch_all_audience(day)
    for report in reports:
        if report.errors:
            log_action(None, "analytics.audience_errors", data={report.account: report.errors})
    return {
        "day": day.isoformat(),
        "accounts": {
            r.account: {"guardadas": r.stored, "no_disponibles": r.unavailable, "errores": r.errors}
            for r in reports
        },
    }


def enqueue_weblog_import(imp: WebLogImport) -> None:
    """Queue the import of a staged log once the transaction that staged it commits."""
    transaction.on_commit(lambda: import_weblog_task.enqueue(imp.pk))
