from datetime import timedelta

from django.apps import AppConfig

from pregon.core import checks, page_cache, panels  # noqa: F401 - checks registers the deploy checks


class CoreConfig(AppConfig):
    name = "pregon.core"
    verbose_name = "Núcleo"

    def ready(self) -> None:
        # periodic loads models, which exist only once the app registry is ready.
        from pregon.core import periodic, signed_in  # noqa: PLC0415 - see above

        panels.watch_home()
        page_cache.watch_all()
        signed_in.watch()

        periodic.register(
            "core.prune_heartbeats", timedelta(hours=6), "pregon.core.tasks.prune_heartbeats"
        )
