from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "pregon.publishing"
    verbose_name = "Publicaciones"
    # Navigation entries: (label, url name, permission or None).
    nav: tuple = ()
