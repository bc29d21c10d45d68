from django.apps import AppConfig

VIEW = "compliance.view_dashboard"
MANAGE = "compliance.manage_rules"
EXPORT = "compliance.export_transparency"


class ComplianceConfig(AppConfig):
    name = "pregon.compliance"
    verbose_name = "Cumplimiento"
    # Navigation entries: (group, place in it, label, url name, permission or None).
    nav: tuple = (("administrar", 3, "Cumplimiento", "compliance:dashboard", VIEW),)
    # Only Coordinación edits the rules; everyone can see the page and ask for a check.
    role_permissions = {
        "coordinacion": [VIEW, MANAGE, EXPORT],
        "consulta": [EXPORT],
        "presidencia": [EXPORT],
        "*": [VIEW],
    }
