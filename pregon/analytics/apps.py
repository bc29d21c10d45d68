from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "pregon.analytics"
    verbose_name = "Audiencias"
    # Navigation entries: (label, url name, permission or None).
    nav: tuple = ()
