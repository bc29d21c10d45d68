"""Live transmissions: announcements 24 h and 1 h before and the "en vivo" post go
through publishing's workflow; the recording is attached after the session."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pregon.agenda.models import Activity
from pregon.bulletins import live
from pregon.publishing.models import ChannelAccount, Publication
from pregon.publishing.services import publication_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(db):
    ChannelAccount.objects.create(kind="facebook_page", name="Facebook Ayuntamiento")
    ChannelAccount.objects.create(kind="x", name="X Ayuntamiento")


@pytest.fixture
def session(area_factory):
    start = timezone.now() + timedelta(days=2)
    return Activity.objects.create(
        title="Décima Sesión Ordinaria de Cabildo",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        area=area_factory("SECAY"),
        type="cabildo_ordinaria",
        stream_url="https://www.facebook.com/chapultepec/live",
    )


def test_prepare_creates_three_scheduled_announcements(channels, session, jorge, mariana):
    transmission = live.transmission_prepare(activity=session, user=jorge)
    day, hour, now = transmission.announce_day, transmission.announce_hour, transmission.live_post
    assert day.scheduled_at == session.starts_at - timedelta(hours=24)
    assert hour.scheduled_at == session.starts_at - timedelta(hours=1)
    assert now.scheduled_at == session.starts_at
    assert {p.status for p in (day, hour, now)} == {"en_revision"}
    assert "Mañana a las" in day.text and session.stream_url in day.text
    assert "EN VIVO" in now.text and now.variants.count() == 2
    approved = publication_approve(publication=day, user=mariana)
    assert approved.status == "programada"  # approving schedules it at its date
    again = live.transmission_prepare(activity=session, user=jorge)
    assert again.announce_day_id == day.pk  # idempotent


def test_only_streamed_sessions_and_hearings(channels, session, jorge):
    session.type = "gira"
    with pytest.raises(ValidationError, match="Solo se transmiten sesiones de cabildo"):
        live.transmission_prepare(activity=session, user=jorge)
    session.type = "audiencia_publica"
    session.stream_url = ""
    with pytest.raises(ValidationError, match="no tiene enlace de transmisión en vivo"):
        live.transmission_prepare(activity=session, user=jorge)
    assert not Publication.objects.exists()


def test_announcements_in_the_past_are_skipped(channels, session, jorge):
    session.starts_at = timezone.now() + timedelta(minutes=30)
    session.ends_at = session.starts_at + timedelta(hours=1)
    transmission = live.transmission_prepare(activity=session, user=jorge)
    assert transmission.announce_day is None and transmission.announce_hour is None
    assert transmission.live_post is not None


def test_recording_after_the_session(channels, session, jorge):
    transmission = live.transmission_prepare(activity=session, user=jorge)
    with pytest.raises(ValidationError, match="cuando la sesión terminó"):
        live.transmission_attach_recording(
            transmission=transmission, user=jorge, session_name="X", url="https://v.example/1"
        )
    Activity.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=4), ends_at=timezone.now() - timedelta(hours=1)
    )
    transmission.activity.refresh_from_db()
    with pytest.raises(ValidationError, match="Indique la grabación"):
        live.transmission_attach_recording(transmission=transmission, user=jorge, session_name="X")
    done = live.transmission_attach_recording(
        transmission=transmission,
        user=jorge,
        session_name="Décima Sesión Ordinaria de Cabildo",
        url="https://www.youtube.com/watch?v=abc",
    )
    assert done.session_name == "Décima Sesión Ordinaria de Cabildo"
    from django.test import Client

    agenda = Client().get("/boletines/sala-de-prensa/agenda/").content.decode()
    assert "Décima Sesión Ordinaria de Cabildo" in agenda and "watch?v=abc" in agenda


def test_consulta_cannot_prepare(channels, session, pedro):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        live.transmission_prepare(activity=session, user=pedro)
    assert not Publication.objects.exists()


def test_announcements_follow_a_rescheduled_session(channels, session, jorge, mariana):
    """The session moves from 18:00 to 20:00: the approved 24 h announcement loses
    its delivery, says the new hour and goes back to review at its new date."""
    from pregon.publishing.models import Delivery, DeliveryStatus

    transmission = live.transmission_prepare(activity=session, user=jorge)
    day = publication_approve(publication=transmission.announce_day, user=mariana)
    assert day.status == "programada"
    [delivery] = Delivery.objects.filter(variant__publication=day)[:1]

    session.starts_at += timedelta(hours=2)
    session.ends_at += timedelta(hours=2)
    session.status = "reprogramada"
    session.save()

    day.refresh_from_db()
    hour = timezone.localtime(session.starts_at).strftime("%H:%M")
    assert day.status == "en_revision"
    assert day.scheduled_at == session.starts_at - timedelta(hours=24)
    assert f"Mañana a las {hour} h" in day.text
    assert all(f"a las {hour} h" in v.text for v in day.variants.all())
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELADA  # the old time never goes out
    live_post = transmission.live_post
    live_post.refresh_from_db()
    assert live_post.scheduled_at == session.starts_at


def test_cancelled_session_cancels_its_announcements(channels, session, jorge):
    transmission = live.transmission_prepare(activity=session, user=jorge)
    session.status = "cancelada"
    session.save()
    transmission.refresh_from_db()
    assert transmission.announce_day is None and transmission.live_post is None
    from pregon.publishing.models import Publication

    statuses = set(Publication.objects.filter(activity=session).values_list("status", flat=True))
    assert statuses == {"cancelada"}
    # Following the cancelled session again changes nothing more.
    assert live.follow_activity(session) == []
