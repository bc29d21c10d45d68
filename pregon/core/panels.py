"""The home page's panels: each app may offer `home.panels(request)` (what this person
has to do today) and `home.HOME_WATCH` (the models whose writes change it).

A person's panels are computed once per app and kept briefly in the shared cache; a
write to a model an app watches drops that app's panels only (see versions.py): a
delivery going out recomputes publishing's, not the goals' or the audiences'.
`HOME_SECONDS` bounds what only the clock changes (today's agenda as the day goes by)."""

from functools import cache, partial
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


def _scope(module: ModuleType) -> str:
    return f"{SCOPE}:{module.__name__}"


def watch_home() -> None:
    for module in home_modules():
        versions.watch(_scope(module), *getattr(module, "HOME_WATCH", ()))


def panels_for(request: HttpRequest) -> list[dict]:
    """This person's panels (they depend on role, area and the person themself)."""
    found = []
    for module in home_modules():
        name = f"home-panels:{module.__name__}:{request.user.pk}"
        compute = partial(module.panels, request)
        found += versions.cached(name, (_scope(module),), HOME_SECONDS, compute)
    return found
