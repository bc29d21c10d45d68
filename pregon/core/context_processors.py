from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse

# The menu's groups, in the order of the work: plan, publish, keep, measure, run.
NAV_GROUPS = (
    ("planear", "Planear"),
    ("publicar", "Publicar"),
    ("archivo", "Archivo"),
    ("medir", "Medir"),
    ("administrar", "Administrar"),
)


def _nav_entries(user) -> list[tuple[str, int, str, str]]:
    """(group, place, label, url) of every entry the user may open; each app
    declares its entries as `nav` on its AppConfig."""
    entries = []
    for config in apps.get_app_configs():
        for group, place, label, url_name, perm in getattr(config, "nav", ()):
            if perm is None or user.has_perm(perm):
                entries.append((group, place, label, reverse(url_name)))
    return entries


def navigation(request: HttpRequest) -> dict:
    """The menu: groups with the links the user may open; a group with none is left out."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_groups": []}
    entries = sorted(_nav_entries(user), key=lambda entry: (entry[0], entry[1]))
    # The page belongs to the entry with the longest matching address
    # (/publicaciones/calendario/ is Calendario, not Publicaciones).
    matching = [url for *_, url in entries if request.path.startswith(url)]
    current = max(matching, key=len, default=None)
    groups = []
    for key, title in NAV_GROUPS:
        items = [
            {"label": label, "url": url, "active": url == current}
            for group, _, label, url in entries
            if group == key
        ]
        if items:
            active = any(item["active"] for item in items)
            groups.append({"key": key, "title": title, "items": items, "active": active})
    return {"nav_groups": groups}


def public_page(request: HttpRequest) -> dict:
    """A page rendered for the public cache (`core.public_cache`) is the same for
    everyone: no messages, and no CSRF token (or a placeholder filled in per visitor).
    Listed last in TEMPLATES, so these values win over the earlier processors."""
    staff = getattr(request, "pregon_staff_page", None)
    if staff is not None:  # a staff page kept per person (core.page_cache): token only
        return {"csrf_token": staff}
    placeholder = getattr(request, "pregon_public_page", None)
    if placeholder is None:
        return {}
    return {"messages": [], "csrf_token": placeholder}
