"""The home page's panels: each app may offer `home.panels(request)` (what this person
has to do today) and `home.HOME_WATCH` (the models whose writes change it).

A person's panels are computed once and kept briefly in the shared cache; a write
to any watched model drops everyone's (see versions.py), and `HOME_SECONDS` bounds
what only the clock changes (today's agenda as the day goes by)."""

from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.http import HttpRequest

from pregon.core import versions

SCOPE = "home"
HOME_SECONDS = 60


@cache
def home_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("pregon."):
            continue
        try:
            modules.append(import_module(f"{config.name}.home"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.home":
                raise
    return modules


def watch_home() -> None:
    for module in home_modules():
        versions.watch(SCOPE, *getattr(module, "HOME_WATCH", ()))


def _compute(request: HttpRequest) -> list[dict]:
    return [panel for module in home_modules() for panel in module.panels(request)]


def panels_for(request: HttpRequest) -> list[dict]:
    """This person's panels (they depend on role, area and the person themself)."""
    name = f"home-panels:{request.user.pk}"
    return versions.cached(name, (SCOPE,), HOME_SECONDS, lambda: _compute(request))
