from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse


def navigation(request: HttpRequest) -> dict:
    """Navigation entries declared by each app (`nav` on its AppConfig), filtered by
    what the user may see."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for config in apps.get_app_configs():
        for label, url_name, perm in getattr(config, "nav", ()):
            if perm is None or user.has_perm(perm):
                url = reverse(url_name)
                items.append(
                    {
                        "label": label,
                        "url": url,
                        "active": request.path.startswith(url) and url != "/",
                    }
                )
    return {"nav_items": items}


def public_page(request: HttpRequest) -> dict:
    """A page rendered for the public cache (`core.public_cache`) is the same for
    everyone: no messages, and no CSRF token (or a placeholder filled in per visitor).
    Listed last in TEMPLATES, so these values win over the earlier processors."""
    placeholder = getattr(request, "pregon_public_page", None)
    if placeholder is None:
        return {}
    return {"messages": [], "csrf_token": placeholder}
