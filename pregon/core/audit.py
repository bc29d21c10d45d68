"""The audit log: `log_action(obj, "publishing.approved", user=..., data=...)`."""

import re
from typing import Any

from django.db import models

from pregon.core.models import AuditEntry

SECRET_KEY_PATTERN = re.compile(
    r"(pass(word)?|secret|token|key|credential|authorization|cookie|signature)", re.I
)
MASK = "********"


def mask_secrets(data: Any) -> Any:
    """Return a copy of `data` with the value of every secret-looking key masked."""
    if isinstance(data, dict):
        return {
            k: (
                MASK
                if SECRET_KEY_PATTERN.search(str(k)) and v not in (None, "")
                else mask_secrets(v)
            )
            for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        return [mask_secrets(v) for v in data]
    return data


def log_action(
    obj: models.Model | None,
    verb: str,
    user: Any = None,
    data: dict | None = None,
) -> AuditEntry:
    actor = user if getattr(user, "is_authenticated", False) else None
    entry = AuditEntry(verb=verb, actor=actor, data=mask_secrets(data or {}))
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk or "")
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry
