"""Who is signed in, and what they may do, kept in the shared cache.

Every staff request reads the person and their permissions (their own and their
roles'): three queries, most of what a page served from the page cache costs.
`CachedModelBackend` keeps the person with the permissions already worked out under
the *people* version, which any save or delete of a person, an area, a role or a
permission, and any change of a person's roles or a role's permissions, bumps (see
versions.py); so a role taken away counts from the next request. Django still checks
the session against the person's password hash on every request, and an inactive
person is still refused.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models.signals import m2m_changed

from pregon.core import versions

SCOPE = "people"
SECONDS = 10 * 60
WATCHED = ("accounts.User", "accounts.Area", "auth.Group", "auth.Permission")


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        key = f"pregon:people:user:{versions.version(SCOPE)}:{user_id}"
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            self.get_all_permissions(user)  # kept with the person (_perm_cache and co.)
            # Their roles too (accounts.access.has_role), read on most pages.
            user.pregon_groups = frozenset(user.groups.values_list("name", flat=True))
            cache.set(key, user, SECONDS)
        return user


def _roles_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        versions.bump_once(SCOPE)


def watch() -> None:
    versions.watch(SCOPE, *WATCHED)
    User = get_user_model()  # noqa: N806 - a model class
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(_roles_changed, sender=through, weak=False)
    group_permissions = User.groups.field.related_model.permissions.through
    m2m_changed.connect(_roles_changed, sender=group_permissions, weak=False)
