from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "pregon.reports"
    verbose_name = "Evaluación"
    # Navigation entries: (label, url name, permission or None).
    nav: tuple = ()
