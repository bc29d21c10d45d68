"""Items a veda is holding back, listed on the compliance page. Compliance imports
no domain app: each app that holds items registers a provider in its
AppConfig.ready(), e.g. publishing's held deliveries.

    from pregon.compliance import holds
    holds.register("publishing", "pregon.publishing.compliance.held_for_compliance_page")

A provider returns dicts {"text", "url", "meta", "message", "until"}."""

from django.utils.module_loading import import_string

_providers: dict[str, str] = {}


def register(app_label: str, dotted_path: str) -> None:
    _providers[app_label] = dotted_path


def collect() -> list[dict]:
    items = []
    for app_label, path in sorted(_providers.items()):
        for item in import_string(path)():
            items.append({"app": app_label, **item})
    return items
