from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "pregon.surveys"
    verbose_name = "Encuestas"
    # Navigation entries: (label, url name, permission or None).
    nav: tuple = ()
