from importlib import import_module

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pregon.core.heartbeat import worker_status


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


def _home_panels(request: HttpRequest) -> list[dict]:
    """Each app may offer `home.panels(request)`: what this person has to do today."""
    panels = []
    for config in apps.get_app_configs():
        if not config.name.startswith("pregon."):
            continue
        try:
            module = import_module(f"{config.name}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.home":
                raise
            continue
        panels.extend(module.panels(request))
    return panels


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": _home_panels(request)})


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """404: the Spanish page, or JSON under /api/ like every other API answer."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "No encontrado."}, status=404)
    return render(request, "404.html", status=404)
