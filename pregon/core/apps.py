from datetime import timedelta

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pregon.core"
    verbose_name = "Núcleo"

    def ready(self) -> None:
        from pregon.core import checks, panels, periodic  # noqa: F401 (checks registers itself)

        panels.watch_home()

        periodic.register(
            "core.prune_heartbeats", timedelta(hours=6), "pregon.core.tasks.prune_heartbeats"
        )
