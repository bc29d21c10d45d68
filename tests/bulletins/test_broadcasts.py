"""Scheduled live broadcasts of a session on Facebook (the Graph fake on 127.0.0.1):
scheduled from the activity, moved and cancelled with it, the state read back, the
recording downloaded into the archive with the acta's data; the stream key encrypted,
kept out of the audit log and the logs, and shown only to who runs the stream."""

import json
import logging
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from pregon.agenda import services as agenda
from pregon.agenda.models import Activity
from pregon.archive import search
from pregon.archive.models import Asset
from pregon.bulletins import broadcast_recording, broadcasts, tasks
from pregon.bulletins.models import LiveTransmission, ScheduledBroadcast
from pregon.core.audit import AuditEntry
from pregon.publishing.models import ChannelAccount, ChannelKind
from tests.publishing.conftest import make_clip
from tests.publishing.fakes import GraphFake

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_connectors():
    from pregon.publishing import connectors

    connectors._channels.clear()  # connectors cached for a previous test's fake
    yield
    connectors._channels.clear()


@pytest.fixture
def graph(settings):
    settings.PREGON_CHANNEL_TIMEOUT = 10  # a loaded test machine must not time out
    with GraphFake() as fake:
        fake.add_page("111", "H. Ayuntamiento de Chapultepec", token="page-token")
        yield fake


@pytest.fixture
def page(graph):
    return ChannelAccount.objects.create(
        name="Facebook · Ayuntamiento",
        kind=ChannelKind.FACEBOOK_PAGE,
        external_id="111",
        base_url=graph.url,
        credentials=json.dumps({"access_token": "page-token"}),
    )


@pytest.fixture
def session(area_factory, mariana):
    start = timezone.now() + timedelta(days=2)
    return agenda.activity_create(
        user=mariana,
        title="Cabildo abierto: presupuesto 2024",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        area=area_factory("SECAY", "Secretaría del Ayuntamiento"),
        type="cabildo_ordinaria",
        place="Salón de cabildos",
    )


@pytest.fixture
def scheduled(session, page, mariana, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = broadcasts.broadcast_schedule(
            activity=session, accounts=[page], user=mariana, session_number=45
        )
        tasks.enqueue_broadcasts([b.pk for b in made])
    return ScheduledBroadcast.objects.get(pk=made[0].pk)


def test_scheduling_creates_the_live_video_with_its_stream(scheduled, graph, session):
    live = graph.live_videos[scheduled.remote_id]
    assert live["status"] == "SCHEDULED_UNPUBLISHED"
    assert live["planned_start_time"] == int(session.starts_at.timestamp())
    assert live["title"] == "Sesión ordinaria núm. 45 · Cabildo abierto: presupuesto 2024"
    assert "Secretaría del Ayuntamiento" in live["description"]
    assert scheduled.state == "programada" and scheduled.pending == ""
    assert scheduled.ingest_url == "rtmps://live-api-s.facebook.com:443/rtmp/"
    assert scheduled.stream_key == f"FB-{scheduled.remote_id}-0-Ab{scheduled.remote_id}SecretKey"
    assert scheduled.watch_url == f"https://www.facebook.com/111/videos/{scheduled.remote_id}/"
    assert scheduled.session_type == "ordinaria"  # from the activity's type


def test_the_stream_key_is_encrypted_and_never_in_audit_or_logs(
    session, page, mariana, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        made = broadcasts.broadcast_schedule(activity=session, accounts=[page], user=mariana)
        tasks.enqueue_broadcasts([b.pk for b in made])
    broadcast = ScheduledBroadcast.objects.get()
    key = broadcast.stream_key
    assert key.startswith("FB-")
    with connection.cursor() as cursor:
        cursor.execute("SELECT stream_key FROM bulletins_scheduledbroadcast")
        stored = cursor.fetchone()[0]
    assert key not in stored and stored.startswith("gAAAA")  # a Fernet token
    audit = json.dumps(list(AuditEntry.objects.values("data", "object_repr")))
    assert key not in audit
    assert key not in caplog.text
    assert "bulletins.broadcast_sent" in {e.verb for e in AuditEntry.objects.all()}


def test_only_live_networks_and_streamed_sessions(session, page, mariana, jorge, pedro):
    x = ChannelAccount.objects.create(name="X · Ayuntamiento", kind=ChannelKind.X)
    with pytest.raises(ValidationError, match="no pueden transmitir en vivo"):
        broadcasts.broadcast_schedule(activity=session, accounts=[x], user=mariana)
    session.type = "gira"
    with pytest.raises(ValidationError, match="Solo se transmiten sesiones"):
        broadcasts.broadcast_schedule(activity=session, accounts=[page], user=mariana)
    session.type = "cabildo_ordinaria"
    with pytest.raises(PermissionDenied):
        broadcasts.broadcast_schedule(activity=session, accounts=[page], user=pedro)
    assert not ScheduledBroadcast.objects.exists()
    assert broadcasts.broadcast_schedule(activity=session, accounts=[page], user=jorge)


def test_rescheduling_the_activity_moves_the_broadcast(
    scheduled, graph, session, mariana, django_capture_on_commit_callbacks
):
    later = session.starts_at + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        agenda.activity_update(
            activity=session, user=mariana, starts_at=later, ends_at=later + timedelta(hours=3)
        )
    scheduled.refresh_from_db()
    assert graph.live_videos[scheduled.remote_id]["planned_start_time"] == int(later.timestamp())
    assert scheduled.planned_start == later and scheduled.pending == ""
    updates = [r for r in graph.requests_to("POST", f"/{scheduled.remote_id}")]
    assert len(updates) == 1 and "status" not in updates[0].form


def test_cancelling_the_activity_deletes_the_broadcast(
    scheduled, graph, session, mariana, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agenda.change_status(session, "cancelada", mariana, "Se pospone sin fecha")
    scheduled.refresh_from_db()
    assert scheduled.state == "cancelada" and scheduled.pending == ""
    assert scheduled.remote_id not in graph.live_videos
    assert len(graph.requests_to("DELETE", f"/{scheduled.remote_id}")) == 1


def test_a_network_that_is_down_is_retried_by_the_periodic_job(
    session, page, graph, mariana, django_capture_on_commit_callbacks
):
    graph.server_error(times=1)
    with django_capture_on_commit_callbacks(execute=True):
        made = broadcasts.broadcast_schedule(activity=session, accounts=[page], user=mariana)
        tasks.enqueue_broadcasts([b.pk for b in made])
    broadcast = ScheduledBroadcast.objects.get()
    assert broadcast.state == "pendiente" and broadcast.pending == "programar"
    assert "Facebook" in broadcast.error
    assert not graph.live_videos
    due = tasks.follow_broadcasts.call()
    assert due["pending"] == [broadcast.pk]
    broadcast.refresh_from_db()
    assert broadcast.state == "programada" and broadcast.error == ""
    assert len(graph.live_videos) == 1  # created once
    tasks.broadcast_run.call(broadcast.pk)  # a second run changes nothing
    assert len(graph.requests_to("POST", "/111/live_videos")) == 2  # the 500 and the one


def test_a_refused_broadcast_says_why(session, page, graph, mariana):
    graph.fail(400, {"error": {"message": "(#200) Permissions error", "code": 200}}, times=1)
    broadcast = broadcasts.broadcast_schedule(activity=session, accounts=[page], user=mariana)[0]
    assert broadcasts.run_pending(broadcast.pk) == "fallida"
    broadcast.refresh_from_db()
    assert "Permissions error" in broadcast.error and broadcast.pending == ""


def test_state_read_back_never_started_stays_scheduled(scheduled, graph):
    assert broadcasts.refresh(scheduled.pk) == "programada"
    graph.expire(scheduled.remote_id)  # nobody streamed: Meta expires it
    assert broadcasts.refresh(scheduled.pk) == "cancelada"


def test_an_ingest_that_stops_midway_stays_live_until_it_ends(scheduled, graph):
    graph.go_live(scheduled.remote_id)
    assert broadcasts.refresh(scheduled.pk) == "en_vivo"
    graph.interrupt(scheduled.remote_id)
    assert broadcasts.refresh(scheduled.pk) == "en_vivo"
    assert broadcast_recording.record(scheduled.pk) == ""  # nothing to record yet
    graph.go_live(scheduled.remote_id)  # the encoder is back
    assert broadcasts.refresh(scheduled.pk) == "en_vivo"


def _end(graph, broadcast, tmp_path, seconds=2):
    clip = make_clip(tmp_path / "sesion.mp4", seconds=seconds).read_bytes()
    graph.go_live(broadcast.remote_id)
    graph.end_live(broadcast.remote_id, clip, seconds=float(seconds))
    return clip


def test_the_recording_is_downloaded_into_the_archive_and_searchable(
    scheduled, graph, session, page, mariana, tmp_path
):
    LiveTransmission.objects.create(activity=session)
    clip = _end(graph, scheduled, tmp_path)
    graph.processing_polls = 10**6  # Meta still PROCESSING the video
    assert tasks.broadcast_refresh.call(scheduled.pk) == "terminada"
    scheduled.refresh_from_db()
    assert scheduled.recording_asset is None and scheduled.error == ""
    graph.processing_polls = 0  # the video is ready
    assert tasks.broadcast_refresh.call(scheduled.pk) == "terminada"
    scheduled.refresh_from_db()
    asset = scheduled.recording_asset
    assert asset is not None and asset.kind == "video" and asset.size == len(clip)
    assert asset.activity == session and asset.area == session.area
    assert asset.captured_at == session.starts_at
    assert asset.title.startswith("Sesión ordinaria núm. 45")
    assert scheduled.duration_seconds == 2.0 and scheduled.recorded_at
    cdn = [r for r in graph.requests if r.path.startswith("/cdn/")]
    assert len(cdn) == 1 and "access_token" not in cdn[0].query
    found = search.run("sesión ordinaria 45", facets=False)
    assert [h.object_id for h in found.hits] == [asset.pk]
    assert not search.run("sesión ordinaria 46", facets=False).hits
    transmission = LiveTransmission.objects.get(activity=session)
    assert transmission.recording_asset == asset  # the press room's list has it too
    assert broadcast_recording.record(scheduled.pk)  # a rerun downloads nothing more
    assert len([r for r in graph.requests if r.path.startswith("/cdn/")]) == 1
    assert Asset.objects.count() == 1
    assert not broadcasts.broadcast_schedule(activity=session, accounts=[page], user=mariana)
    scheduled.refresh_from_db()
    assert scheduled.recording_asset == asset  # asking again never wipes a recording


def test_a_recording_past_the_video_limit_is_refused(scheduled, graph, tmp_path, settings):
    settings.PREGON_MAX_VIDEO_MB = 1
    graph.go_live(scheduled.remote_id)
    graph.end_live(scheduled.remote_id, b"\0\0\0\x18ftypmp42" + b"\0" * (1024 * 1024 + 10))
    graph.processing_polls = 0
    assert broadcasts.refresh(scheduled.pk) == "terminada"
    assert broadcast_recording.record(scheduled.pk) == ""
    scheduled.refresh_from_db()
    assert "no pueden pasar de 1 MB" in scheduled.error
    assert scheduled.recording_asset is None and not Asset.objects.exists()


def test_a_fake_video_is_refused_by_the_archive(scheduled, graph):
    graph.go_live(scheduled.remote_id)
    graph.end_live(scheduled.remote_id, b"<html>no es un video</html>")
    graph.processing_polls = 0
    broadcasts.refresh(scheduled.pk)
    assert broadcast_recording.record(scheduled.pk) == ""
    scheduled.refresh_from_db()
    assert "El archivo no aceptó la grabación" in scheduled.error
    assert not Asset.objects.exists()


def test_the_periodic_job_reads_back_and_records(scheduled, graph, session, tmp_path):
    Activity.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    _end(graph, scheduled, tmp_path)
    graph.processing_polls = 0
    due = tasks.follow_broadcasts.call()
    assert due["refresh"] == [scheduled.pk]
    scheduled.refresh_from_db()
    assert scheduled.state == "terminada" and scheduled.recording_asset is not None


# Pages and permissions ------------------------------------------------------------


def test_the_key_is_shown_only_to_who_runs_the_stream(
    scheduled, session, client, person, mariana, jorge, pedro
):
    fotografo = person("lucia", "fotografia", area="COMSOC")
    url = reverse("agenda:detail", args=[session.pk])
    for user, sees in ((mariana, True), (fotografo, True), (jorge, False), (pedro, False)):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "Transmisión en vivo" in html and scheduled.watch_url in html
        assert (scheduled.stream_key in html) is sees, user.username
        assert (scheduled.ingest_url in html) is sees, user.username


def test_scheduling_through_the_page_by_role(
    session, page, graph, client, jorge, pedro, ricardo, django_capture_on_commit_callbacks
):
    url = reverse("bulletins:broadcast_schedule", args=[session.pk])
    data = {"accounts": [page.pk], "session_type": "ordinaria", "session_number": "7"}
    for outsider in (pedro, ricardo):
        client.force_login(outsider)
        assert client.post(url, data).status_code == 403
    assert not ScheduledBroadcast.objects.exists()
    client.force_login(jorge)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302 and response.url.endswith("#transmision")
    broadcast = ScheduledBroadcast.objects.get()
    assert broadcast.state == "programada" and broadcast.session_number == 7
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bulletins:broadcast_refresh", args=[session.pk]))
    broadcast.refresh_from_db()
    assert broadcast.checked_at is not None


def test_the_panel_is_absent_where_nothing_is_streamed(area_factory, mariana, client):
    start = timezone.now() + timedelta(days=1)
    gira = agenda.activity_create(
        user=mariana,
        title="Gira por San Miguel",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        area=area_factory("OPDU"),
        type="gira",
    )
    client.force_login(mariana)
    html = client.get(reverse("agenda:detail", args=[gira.pk])).content.decode()
    assert 'id="transmision"' not in html


def test_facebook_takes_sessions_up_to_seven_days_ahead(session, page, graph, mariana):
    Activity.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() + timedelta(days=9), ends_at=timezone.now() + timedelta(days=9.1)
    )
    session.refresh_from_db()
    broadcast = broadcasts.broadcast_schedule(activity=session, accounts=[page], user=mariana)[0]
    assert broadcasts.run_pending(broadcast.pk) == "fallida"
    broadcast.refresh_from_db()
    assert "seven days" in broadcast.error and broadcast.error.startswith("Facebook")
    assert not graph.live_videos


def test_a_session_moved_while_live_keeps_the_broadcast_and_says_why(
    scheduled, graph, session, mariana, django_capture_on_commit_callbacks
):
    graph.go_live(scheduled.remote_id)
    broadcasts.refresh(scheduled.pk)
    later = session.starts_at + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        agenda.activity_update(
            activity=session, user=mariana, starts_at=later, ends_at=later + timedelta(hours=3)
        )
    scheduled.refresh_from_db()
    assert scheduled.state == "en_vivo"  # a live broadcast is not moved nor cut
    assert scheduled.pending == "" and scheduled.error == ""
    assert not graph.requests_to("POST", f"/{scheduled.remote_id}")


def test_the_panel_costs_the_same_queries_for_one_or_many_broadcasts(session, client, mariana):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    def add(n: int) -> None:
        account = ChannelAccount.objects.create(
            name=f"Facebook · Página {n}", kind=ChannelKind.FACEBOOK_PAGE, external_id=str(n)
        )
        ScheduledBroadcast.objects.create(
            activity=session,
            account=account,
            title=session.title,
            planned_start=session.starts_at,
            state="programada",
            pending="",
            remote_id=str(n),
            ingest_url="rtmps://live-api-s.facebook.com:443/rtmp/",
            stream_key=f"FB-{n}-clave",
        )

    client.force_login(mariana)
    url = reverse("agenda:detail", args=[session.pk])
    client.get(url)  # the person and her permissions read once, then kept in the cache
    add(1)
    with CaptureQueriesContext(db) as one:
        assert client.get(url).status_code == 200
    for n in range(2, 6):
        add(n)
    with CaptureQueriesContext(db) as five:
        html = client.get(url).content.decode()
    assert html.count("Copiar clave") == 5
    assert len(five) == len(one), [q["sql"] for q in five.captured_queries[len(one) :]]


def test_the_transmissions_page_lists_sessions_with_broadcasts(scheduled, session, client, jorge):
    client.force_login(jorge)
    html = client.get(reverse("bulletins:transmissions")).content.decode()
    assert session.title in html and "Facebook · Ayuntamiento: " in html
    assert "Programada" in html and f"/agenda/actividad/{session.pk}/#transmision" in html
    assert scheduled.stream_key not in html


def test_a_download_cut_short_is_not_archived_and_is_retried(scheduled, graph, tmp_path):
    clip = _end(graph, scheduled, tmp_path)
    graph.processing_polls = 0
    graph.cut_downloads = 1000
    broadcasts.refresh(scheduled.pk)
    assert broadcast_recording.record(scheduled.pk) == ""
    scheduled.refresh_from_db()
    assert "se intentará de nuevo" in scheduled.error and not Asset.objects.exists()
    assert tasks.follow_broadcasts.call()["record"] == [scheduled.pk]
    scheduled.refresh_from_db()
    assert scheduled.recording_asset.size == len(clip) and scheduled.error == ""


def test_cancelled_before_the_network_answered(
    session, page, graph, mariana, django_capture_on_commit_callbacks
):
    graph.server_error(times=1)  # the creation fails: still to be created
    broadcast = broadcasts.broadcast_schedule(activity=session, accounts=[page], user=mariana)[0]
    broadcasts.run_pending(broadcast.pk)
    with django_capture_on_commit_callbacks(execute=True):
        agenda.change_status(session, "cancelada", mariana, "Sin quórum")
    broadcast.refresh_from_db()
    assert (broadcast.state, broadcast.pending) == ("cancelada", "")
    assert not graph.live_videos and not graph.requests_to("DELETE", "/")
