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
