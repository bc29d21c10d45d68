from django.apps import AppConfig


class DesignConfig(AppConfig):
    name = "pregon.design"
    verbose_name = "Imagen institucional"
    # Navigation entries: (label, url name, permission or None).
    nav: tuple = ()
