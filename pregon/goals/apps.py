from django.apps import AppConfig

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
        from pregon.goals import selectors  # noqa: PLC0415 - imports models

        # Analytics shows the plan's one followers baseline; goals keeps it.
        baseline.register(selectors.followers_baseline)
