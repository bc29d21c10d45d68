"""Who may do what: the single permission helper every view and API endpoint uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from pregon.accounts.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from pregon.accounts.models import User

    # Whoever asks: a signed-in person, the visitor of a public page, or no one (the system).
    Someone = User | AnonymousUser | None

DENIED = "No tiene permiso para realizar esta acción."
Scoped = TypeVar("Scoped", bound=QuerySet)


def has_role(user: Someone, *roles: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    labels = {Role(r).label for r in roles}
    kept = getattr(user, "pregon_groups", None)  # the signed-in person (core/signed_in.py)
    if kept is not None:
        return not kept.isdisjoint(labels)
    return user.groups.filter(name__in=labels).exists()


def can(user: Someone, perm: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(perm))


def check(user: Someone, perm: str, message: str = DENIED) -> None:
    """Raise PermissionDenied (a 403 with a Spanish message) unless `user` has `perm`."""
    if not can(user, perm):
        raise PermissionDenied(message)


def sees_all_areas(user: User | AnonymousUser) -> bool:
    return user.is_superuser or not has_role(user, Role.ENLACE) or has_role(user, Role.COORDINACION)


def scope_to_area(user: User | AnonymousUser, queryset: Scoped, field: str = "area") -> Scoped:
    """An Enlace de área sees only their area's records; everyone else sees all."""
    if sees_all_areas(user):
        return queryset
    area_id = getattr(user, "area_id", None)  # an anonymous visitor has none
    return queryset.filter(**{field: area_id}) if area_id else queryset.none()


def can_act_for_area(user: User | AnonymousUser, area_id: int | None) -> bool:
    own = getattr(user, "area_id", None)  # an anonymous visitor has none
    return sees_all_areas(user) or (own is not None and own == area_id)


class ApprovalRefused(PermissionDenied):
    """Four eyes: this person may approve in general, but not this version."""


# How each approvable thing is named in the refusals: (written by you, this version).
_APPROVABLE = {
    "publicacion": ("una publicación escrita", "esta versión de la publicación"),
    "boletin": ("un boletín escrito", "esta versión del boletín"),
}


def approval_refusal(user: User, *, kind: str, author_id: int, editor_id: int | None) -> str:
    """Four eyes: "" when `user` may approve this version, else why not. Neither the
    author nor whoever last changed the content may approve it (unless
    PREGON_ALLOW_SELF_APPROVAL lets a one-person unit work)."""
    if settings.PREGON_ALLOW_SELF_APPROVAL:
        return ""
    written, version = _APPROVABLE[kind]
    if user.pk == author_id:
        return f"No puede aprobar {written} por usted."
    if user.pk == editor_id:
        return (
            f"No puede aprobar {version}: usted cambió su contenido. Otra persona de "
            "Coordinación debe revisarla y aprobarla."
        )
    return ""


def require(perm: str) -> Callable:
    """View decorator: anonymous → login page; signed in without `perm` → 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
