"""Roles are groups; each app declares in its AppConfig which permissions each
role gets (`role_permissions`), so a new capability brings its own grants."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models


class Role(models.TextChoices):
    COORDINACION = "coordinacion", "Coordinación"
    REDACCION = "redaccion", "Redacción"
    DISENO = "diseno", "Diseño"
    FOTOGRAFIA = "fotografia", "Fotografía y video"
    ENLACE = "enlace", "Enlace de área"
    PRESIDENCIA = "presidencia", "Presidencia"
    CONSULTA = "consulta", "Consulta"


def group_for(role: str) -> Group:
    group, _ = Group.objects.get_or_create(name=Role(role).label)
    return group


def role_permissions() -> dict[str, set[str]]:
    """Merge every app's `role_permissions`; the key "*" grants to every role."""
    grants: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            targets = list(grants) if role == "*" else [role]
            for target in targets:
                grants[target].update(perms)
    return grants


def sync_roles() -> None:
    for role, perms in role_permissions().items():
        wanted = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".", 1)
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found:
                wanted.append(found)
        group_for(role).permissions.set(wanted)


def sync_roles_after_migrate(app_config, **kwargs) -> None:
    """Once per migrate, after the last app's signal: each app's permissions are
    created by its own post_migrate, so earlier the later apps' do not exist yet
    (a fresh database would give the roles almost nothing)."""
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if app_config is with_models[-1]:
        sync_roles()
