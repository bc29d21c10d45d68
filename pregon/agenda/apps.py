from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "pregon.agenda"
    verbose_name = "Agenda"
    # Navigation entries: (label, url name, permission or None).
    nav: tuple = ()
