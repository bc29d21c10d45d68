from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "pregon.bulletins"
    verbose_name = "Boletines y sala de prensa"
    # Navigation entries: (label, url name, permission or None).
    nav: tuple = ()
