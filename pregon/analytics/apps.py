from datetime import timedelta

from django.apps import AppConfig

from pregon.core import versions

METRICS_SCOPE = "analytics"


class AnalyticsConfig(AppConfig):
    name = "pregon.analytics"
    verbose_name = "Audiencias"
    # Navigation entries: (group, place in it, label, url name, permission or None).
    nav = (("medir", 1, "Audiencias", "analytics:dashboard", "analytics.view_accountmetric"),)
    role_permissions = {
        "coordinacion": [
            "analytics.view_accountmetric",
            "analytics.view_postmetric",
            "analytics.view_audiencebreakdown",
            "analytics.view_pagevisitday",
            "analytics.view_purposerule",
            "analytics.change_purposerule",
            "analytics.add_purposerule",
            "analytics.delete_purposerule",
            "analytics.add_postmetric",  # upload metric exports
            "analytics.add_weblogimport",  # upload access logs
            "analytics.view_weblogimport",
        ],
        "consulta": [
            "analytics.view_accountmetric",
            "analytics.view_postmetric",
            "analytics.view_audiencebreakdown",
            "analytics.view_pagevisitday",
            "analytics.view_purposerule",
        ],
        "presidencia": [
            "analytics.view_accountmetric",
            "analytics.view_postmetric",
            "analytics.view_audiencebreakdown",
            "analytics.view_pagevisitday",
        ],
        "redaccion": [
            "analytics.view_accountmetric",
            "analytics.view_postmetric",
            "analytics.view_audiencebreakdown",
        ],
    }

    def ready(self) -> None:
        from pregon.core.periodic import register  # noqa: PLC0415 - loads models: registry first

        # The dashboards' figures are cached under this scope (see views.py).
        versions.watch(
            METRICS_SCOPE,
            "analytics.AccountMetric",
            "analytics.PostMetric",
            "analytics.AudienceBreakdown",
            "analytics.PageVisitDay",
            "analytics.PurposeRule",
            "analytics.WebLogImport",
            "publishing.ChannelAccount",
        )

        register(
            "analytics.fetch_insights", timedelta(days=1), "pregon.analytics.tasks.fetch_insights"
        )
        register(
            "analytics.fetch_audience", timedelta(days=1), "pregon.analytics.tasks.fetch_audience"
        )
