from django.apps import AppConfig

READ = ["agenda.view_activity", "agenda.view_campaign", "agenda.view_coverageassignment"]
REGISTER = [
    "agenda.add_activity",
    "agenda.change_activity",
    "agenda.import_ics",
    "agenda.request_coverage",
]


class AgendaConfig(AppConfig):
    name = "pregon.agenda"
    verbose_name = "Agenda"
    # Navigation entries: (group, place in it, label, url name, permission or None).
    nav: tuple = (
        ("planear", 1, "Agenda", "agenda:calendar", "agenda.view_activity"),
        ("planear", 2, "Jerarquización", "agenda:queue", "agenda.view_priority_queue"),
        ("planear", 3, "Cobertura", "agenda:person_week", "agenda.view_coverageassignment"),
        ("planear", 4, "Campañas", "agenda:campaigns", "agenda.view_campaign"),
    )
    role_permissions = {
        "coordinacion": [
            *READ,
            *REGISTER,
            "agenda.add_campaign",
            "agenda.change_campaign",
            "agenda.override_priority",
            "agenda.view_priority_queue",
            "agenda.view_priorityruleset",
            "agenda.change_priorityruleset",
            "agenda.add_coverageassignment",
            "agenda.change_coverageassignment",
            "agenda.mark_covered",
        ],
        "presidencia": [*READ, *REGISTER, "agenda.view_priority_queue"],
        "enlace": [*READ, *REGISTER],
        "redaccion": [*READ, "agenda.view_priority_queue", "agenda.mark_covered"],
        "diseno": [*READ, "agenda.mark_covered"],
        "fotografia": [*READ, "agenda.mark_covered"],
        "consulta": [*READ, "agenda.view_priority_queue"],
    }

    def ready(self) -> None:
        from pregon.agenda.models import SPAN_SCOPE  # noqa: PLC0415 - models: registry first
        from pregon.core import public_cache, versions  # noqa: PLC0415 - loads auth models

        # The public ICS feed (and the press room's agenda) show activities.
        public_cache.watch("agenda.Activity", "accounts.Area")
        # The calendar ranges' lower bound (models.longest_span).
        versions.watch(SPAN_SCOPE, "agenda.Activity")
