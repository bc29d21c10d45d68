from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "pregon.accounts"
    verbose_name = "Personas, roles y áreas"
    nav = (("administrar", 4, "Bitácora", "accounts:audit", "core.browse_audit"),)
    # Permissions each role gets from this app (see accounts.roles).
    role_permissions = {
        "coordinacion": [
            "accounts.view_area",
            "accounts.change_area",
            "accounts.add_area",
            "accounts.view_user",
            "core.browse_audit",
        ],
        "*": ["accounts.view_area"],
    }

    def ready(self) -> None:
        # Both modules load models, which exist only once the app registry is ready.
        from pregon.accounts import checks  # noqa: F401, PLC0415 - registers the deploy checks
        from pregon.accounts.roles import sync_roles_after_migrate  # noqa: PLC0415 - see above

        # Every app's signal: the receiver acts once all permissions exist.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="pregon.sync_roles")
