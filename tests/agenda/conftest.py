"""Agenda fixtures: Ana (Presidencia), Luis and Sofía (Fotografía), activities."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

DATA = Path(__file__).parent / "data"


@pytest.fixture
def ana(person):
    """Ana keeps the mayor's agenda (Presidencia)."""
    return person("ana", "presidencia", area="PRES", first_name="Ana")


@pytest.fixture
def luis(person):
    """Luis photographs and films events (Fotografía)."""
    return person("luis", "fotografia", area="COMSOC", first_name="Luis")


@pytest.fixture
def sofia(person):
    return person("sofia", "fotografia", area="COMSOC", first_name="Sofía")


@pytest.fixture
def pres(area_factory):
    return area_factory("PRES", "Presidencia Municipal")


@pytest.fixture
def opdu(area_factory):
    return area_factory("OPDU", "Dirección de Obras Públicas")


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def make_activity(db, area_factory):
    from pregon.agenda import services
    from pregon.agenda.models import Activity

    def make(title="Evento", start=None, hours=2, area="OPDU", **kwargs):
        start = start or timezone.now() + timedelta(days=1)
        activity = Activity.objects.create(
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            area=area_factory(area),
            **kwargs,
        )
        services.rescore_month(activity)
        activity.refresh_from_db()
        return activity

    return make


@pytest.fixture
def default_rules(db):
    """The seeded rule set; transactional (browser) tests flush migration data."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "pregon.agenda.migrations.0002_activitychange_coverageassignment_priorityrule_and_more"
    )
    migration.default_rules(apps, None)
