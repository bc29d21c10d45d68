from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "pregon.reports"
    verbose_name = "Evaluación"
    # Navigation entries: (group, place in it, label, url name, permission or None).
    nav: tuple = (("medir", 4, "Evaluación", "reports:index", "reports.view_issuedreport"),)
    # Coordinación issues evaluations; Consulta and Presidencia read them.
    role_permissions = {
        "coordinacion": ["reports.view_issuedreport", "reports.add_issuedreport"],
        "consulta": ["reports.view_issuedreport"],
        "presidencia": ["reports.view_issuedreport"],
    }
