from django.apps import AppConfig

from pregon.analytics.apps import METRICS_SCOPE
from pregon.core import versions

# The dashboard's figures are cached under this scope (see views.py); every model an
# indicator reads bumps it (goals.sources.READS).
FIGURES_SCOPE = "goals"

READ = ["goals.view_plan", "goals.view_indicator"]
EDIT = [
    "goals.add_plan",
    "goals.change_plan",
    "goals.add_indicator",
    "goals.change_indicator",
    "goals.delete_indicator",
]


class GoalsConfig(AppConfig):
    name = "pregon.goals"
    verbose_name = "Metas"
    # Navigation entries: (group, place in it, label, url name, permission or None).
    nav: tuple = (("medir", 3, "Metas", "goals:dashboard", "goals.view_plan"),)
    # Coordinación sets the plan; Consulta and Presidencia read it; Enlaces do not.
    role_permissions = {"coordinacion": READ + EDIT, "consulta": READ, "presidencia": READ}

    def ready(self) -> None:
        from pregon.analytics import baseline  # noqa: PLC0415 - apps loaded: registry first
        from pregon.goals import selectors, sources  # noqa: PLC0415 - imports models

        versions.watch(FIGURES_SCOPE, *sources.READS)

        # Analytics shows the plan's one followers baseline; goals keeps it. Analytics
        # caches its figures with the baseline: a change to the plan drops them too.
        baseline.register(selectors.followers_baseline)
        versions.watch(METRICS_SCOPE, "goals.Plan", "goals.Indicator")
