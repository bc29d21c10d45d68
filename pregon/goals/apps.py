from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "pregon.goals"
    verbose_name = "Metas"
    # Navigation entries: (label, url name, permission or None).
    nav: tuple = ()
