"""Roles are groups; each app declares in its AppConfig which permissions each
role gets (`role_permissions`), so a new capability brings its own grants."""

import logging

from django.apps import AppConfig, apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, models

logger = logging.getLogger(__name__)


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


def _permissions_by_name(using: str) -> dict[str, Permission]:
    found = Permission.objects.using(using).select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}": p for p in found}


def sync_roles(using: str = DEFAULT_DB_ALIAS) -> set[str]:
    """Give each role exactly the permissions the apps declare (grants added and
    removed). Returns the declared permissions that do not exist."""
    existing = _permissions_by_name(using)
    missing: set[str] = set()
    for role, perms in role_permissions().items():
        missing |= perms - existing.keys()
        group, _ = Group.objects.using(using).get_or_create(name=Role(role).label)
        group.permissions.set([existing[p] for p in sorted(perms) if p in existing])
    for name in sorted(missing):
        logger.warning("Permiso declarado para un rol que no existe: %s", name)
    return missing


def _last_migrated_app() -> AppConfig:
    """`post_migrate` is sent once per app with models, in INSTALLED_APPS order."""
    return [c for c in apps.get_app_configs() if c.models_module is not None][-1]


def sync_roles_after_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Grant only once every app's permissions exist: on the signal for the last app.
    Creating them here too makes the result independent of receiver order."""
    if sender is not _last_migrated_app():
        return
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, interactive=False, using=using)
    sync_roles(using)
