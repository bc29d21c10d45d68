from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "pregon.compliance"
    verbose_name = "Cumplimiento"
    # Navigation entries: (label, url name, permission or None).
    nav: tuple = ()
