from datetime import timedelta

from django.apps import AppConfig

# Coordinación keeps the permanent campaign's themes and their cadence.
THEMES_EDIT = [
    "publishing.view_theme",
    "publishing.add_theme",
    "publishing.change_theme",
    "publishing.delete_theme",
]


class PublishingConfig(AppConfig):
    name = "pregon.publishing"
    verbose_name = "Publicaciones"
    # Navigation entries: (group, place in it, label, url name, permission or None).
    nav: tuple = (
        ("publicar", 1, "Publicaciones", "publishing:list", "publishing.view_publication"),
        ("publicar", 2, "Calendario", "publishing:calendar", "publishing.view_publication"),
        ("publicar", 6, "Temas permanentes", "publishing:themes", "publishing.view_theme"),
        ("administrar", 1, "Canales", "publishing:accounts", "publishing.view_channelaccount"),
    )
    role_permissions = {
        "coordinacion": [
            "publishing.view_publication",
            "publishing.add_publication",
            "publishing.change_publication",
            "publishing.delete_publication",
            "publishing.approve_publication",
            "publishing.schedule_publication",
            "publishing.view_delivery",
            "publishing.settle_delivery",
            "publishing.view_channelaccount",
            "publishing.add_channelaccount",
            "publishing.change_channelaccount",
            *THEMES_EDIT,
        ],
        "redaccion": [
            "publishing.view_publication",
            "publishing.add_publication",
            "publishing.change_publication",
            "publishing.view_delivery",
            "publishing.view_channelaccount",
            "publishing.view_theme",
        ],
        "diseno": ["publishing.view_publication", "publishing.view_delivery"],
        "enlace": ["publishing.view_publication", "publishing.view_delivery"],
        "presidencia": [
            "publishing.view_publication",
            "publishing.view_delivery",
            "publishing.view_theme",
        ],
        "consulta": [
            "publishing.view_publication",
            "publishing.view_delivery",
            "publishing.view_theme",
        ],
        "fotografia": ["publishing.view_publication"],
    }

    def ready(self) -> None:
        from pregon.compliance import holds  # noqa: PLC0415 - models load after ready
        from pregon.core import periodic  # noqa: PLC0415 - idem

        holds.register("publishing", "pregon.publishing.compliance.held_for_compliance_page")

        periodic.register(
            "publishing.publish_due", timedelta(minutes=1), "pregon.publishing.tasks.publish_due"
        )
        periodic.register(
            "publishing.check_tokens", timedelta(days=1), "pregon.publishing.tasks.check_tokens"
        )
        # Every worker process sends what comes due at once, with all its senders.
        periodic.register_loop("publishing.deliveries", "pregon.publishing.worker.run_forever")
