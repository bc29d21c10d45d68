"""A network's own settings, declared in its package (conf.py), not in settings.py:

    conf = NetworkSettings(PREGON_PALOMA_API_URL="https://api.paloma.example")
    conf.PREGON_PALOMA_API_URL

A value set in Django's settings wins (tests override there, and an installation may
set it in its settings module); then the environment (.env.example lists them); then
the package's default. Read on every use, so a changed setting counts at once.
"""

import os

from django.conf import settings


class NetworkSettings:
    def __init__(self, **defaults: str) -> None:
        self._defaults = defaults

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or name not in self._defaults:
            raise AttributeError(name)
        if hasattr(settings, name):
            return getattr(settings, name)
        return os.environ.get(name, self._defaults[name])
