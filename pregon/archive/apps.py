from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "pregon.archive"
    verbose_name = "Archivo y hemeroteca"
    # Navigation entries: (label, url name, permission or None).
    nav: tuple = ()
