"""Writes of the permanent campaign's themes and their cadence targets, audited.
The web form and the API both call `theme_write`."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from pregon.core.audit import log_action
from pregon.publishing.models import Theme, ThemeTarget

THEME_FIELDS = ("name", "category", "is_active", "order")


@dataclass(frozen=True)
class Target:
    channel: str
    count: int
    period: str


@transaction.atomic
def theme_write(*, theme: Theme | None, fields: dict, targets: list[Target], user) -> Theme:
    """Create or change a theme with its whole set of targets (one per network); the
    networks left out lose theirs. All or nothing."""
    created = theme is None
    theme = theme or Theme()
    for name in THEME_FIELDS:
        if name in fields:
            setattr(theme, name, fields[name])
    theme.full_clean()
    theme.save()
    _targets_set(theme, targets)
    verb = "publishing.theme_created" if created else "publishing.theme_changed"
    cadence = [str(t) for t in theme.targets.all()]
    log_action(theme, verb, user=user, data={"fields": sorted(fields), "targets": cadence})
    return theme


def _targets_set(theme: Theme, targets: list[Target]) -> None:
    channels = [t.channel for t in targets]
    if len(set(channels)) != len(channels):
        raise ValidationError("Cada red lleva una sola meta por tema.")
    theme.targets.exclude(channel__in=channels).delete()
    for target in targets:
        row = theme.targets.filter(channel=target.channel).first() or ThemeTarget(theme=theme)
        row.channel, row.count, row.period = target.channel, target.count, target.period
        row.full_clean()
        row.save()


@transaction.atomic
def theme_delete(*, theme: Theme, user) -> None:
    """Its publications keep existing, without a theme."""
    log_action(theme, "publishing.theme_deleted", user=user, data={"name": theme.name})
    theme.delete()
