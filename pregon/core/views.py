from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pregon.core import panels
from pregon.core.heartbeat import worker_status
from pregon.core.page_cache import staff_page


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        worker = worker_status()
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    # A stale worker is reported, not fatal: the web keeps answering (200).
    return JsonResponse({"status": "ok", "database": "ok", "worker": worker})


@login_required
@staff_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": panels.panels_for(request)})


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """404: the Spanish page, or JSON under /api/ like every other API answer."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "No encontrado."}, status=404)
    return render(request, "404.html", status=404)
