"""Announcements for streamed sessions are prepared without anyone asking (periodic
job), still to review; after the session the home page asks for the recording."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from pregon.agenda.models import Activity
from pregon.bulletins import live, tasks
from pregon.bulletins.models import LiveTransmission
from pregon.core import periodic
from pregon.core.models import AuditEntry
from pregon.publishing.models import ChannelAccount, Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(db):
    ChannelAccount.objects.create(kind="facebook_page", name="Facebook Ayuntamiento")


def activity(area_factory, created_by, hours: float, **fields) -> Activity:
    start = timezone.now() + timedelta(hours=hours)
    values = {
        "title": "Décima Sesión Ordinaria de Cabildo",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "area": area_factory("SECAY"),
        "type": "cabildo_ordinaria",
        "stream_url": "https://www.facebook.com/chapultepec/live",
        "created_by": created_by,
    } | fields
    return Activity.objects.create(**values)


def test_periodic_job_prepares_new_streamed_sessions(
    channels, area_factory, ricardo, jorge, mariana
):
    assert periodic.REGISTRY["bulletins.prepare_transmissions"].task.endswith(
        "tasks.prepare_transmissions"
    )
    # Registered by an Enlace (who may not prepare transmissions): Redacción/Coordinación signs.
    session = activity(area_factory, ricardo, hours=48)
    soon = activity(
        area_factory, jorge, hours=3, title="Audiencia pública", type="audiencia_publica"
    )
    no_stream = activity(area_factory, jorge, hours=30, stream_url="")
    tour = activity(area_factory, jorge, hours=30, type="gira")
    far = activity(area_factory, jorge, hours=24 * 40)

    prepared = tasks.prepare_transmissions.call()
    assert sorted(prepared) == sorted([session.pk, soon.pk])
    first = LiveTransmission.objects.get(activity=session)
    posts = [first.announce_day, first.announce_hour, first.live_post]
    assert all(p.status == "en_revision" for p in posts)  # nothing goes out unapproved
    assert first.announce_day.author in (jorge, mariana)
    assert first.announce_day.author != ricardo
    second = LiveTransmission.objects.get(activity=soon)
    assert second.announce_day is None and second.announce_hour is not None  # 24 h passed
    assert not LiveTransmission.objects.filter(activity__in=[no_stream, tour, far]).exists()
    entry = AuditEntry.objects.filter(verb="bulletins.transmission_prepared").first()
    assert entry.data["automatic"] is True and entry.actor is None

    count = Publication.objects.count()
    assert live.prepare_due() == []  # nothing twice
    assert Publication.objects.count() == count

    no_stream.stream_url = "https://www.youtube.com/live/xyz"  # updated later
    no_stream.save()
    assert live.prepare_due() == [no_stream.pk]
    assert "youtube.com/live/xyz" in LiveTransmission.objects.get(activity=no_stream).live_post.text


def test_without_channels_or_signers_nothing_is_made(area_factory, jorge):
    activity(area_factory, jorge, hours=48)
    assert live.prepare_due() == []  # no active channel account
    assert not LiveTransmission.objects.exists()


def test_home_reminds_to_attach_the_recording(channels, area_factory, jorge, mariana, pedro):
    session = activity(area_factory, jorge, hours=30)
    transmission = live.transmission_prepare(activity=session, user=jorge)
    boss = Client()
    boss.force_login(mariana)
    assert "Transmisiones sin grabación" not in boss.get("/").content.decode()  # not yet
    Activity.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    cache.clear()  # the session ended hours ago: long past the home panels' one minute
    home = boss.get("/").content.decode()
    assert "Transmisiones sin grabación" in home and "Décima Sesión Ordinaria" in home
    reader = Client()
    reader.force_login(pedro)
    assert "Transmisiones sin grabación" not in reader.get("/").content.decode()
    transmission.activity.refresh_from_db()
    live.transmission_attach_recording(
        transmission=transmission,
        user=jorge,
        session_name="Décima Sesión Ordinaria de Cabildo",
        url="https://www.youtube.com/watch?v=abc",
    )
    assert "Transmisiones sin grabación" not in boss.get("/").content.decode()
