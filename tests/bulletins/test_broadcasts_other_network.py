"""Broadcasts are network-neutral: a throw-away network («Faro», made up for this test)
registered through PREGON_EXTRA_NETWORKS with `live=True` is offered on the activity's
page, scheduled, moved, read back and recorded (as a watch link and a duration: Faro
keeps the file itself) through its own connector and its own fake on 127.0.0.1."""

import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from pregon.agenda import services as agenda
from pregon.archive.models import Asset
from pregon.bulletins import broadcast_recording, broadcasts, tasks
from pregon.bulletins.models import ScheduledBroadcast
from pregon.publishing.channels import registry
from pregon.publishing.models import ChannelAccount
from tests.publishing.fakes.server import Answer, FakeServer, Recorded

pytestmark = pytest.mark.django_db
PACKAGE = "faro_net"

FILES = {
    "__init__.py": '''
        """Faro: a municipal streaming service (made up for this test)."""

        from pathlib import Path

        from faro_net.connector import FaroChannel
        from pregon.publishing.channels.network import Network

        NETWORK = Network(
            kind="faro",
            label="Faro TV",
            name="Faro",
            connector=FaroChannel,
            folder=Path(__file__).parent,
            live=True,
        )
    ''',
    "connector.py": """
        from pregon.publishing.channels.base import Channel, ChannelError
        from pregon.publishing.channels.http import HttpClient, json_or_empty
        from pregon.publishing.channels.live import Broadcast, LiveState, Recording

        STATES = {"waiting": LiveState.SCHEDULED, "on_air": LiveState.LIVE,
                  "over": LiveState.ENDED, "gone": LiveState.CANCELLED}


        class FaroChannel(Channel):
            kind = "faro"

            def _call(self, method, path, **kwargs):
                client = HttpClient(self.account.base_url, on_attempt=self.on_attempt)
                response = client.request(method, path, **kwargs)
                if response.status_code >= 400:
                    raise ChannelError(f"Faro: error {response.status_code}",
                                       permanent=response.status_code < 500)
                return json_or_empty(response)

            def _broadcast(self, data):
                return Broadcast(remote_id=data["id"], state=STATES[data["state"]],
                                 watch_url=data["url"], ingest_url=data["ingest"],
                                 stream_key=data["key"])

            def live_schedule(self, request):
                body = {"title": request.title, "at": request.planned_start.isoformat()}
                return self._broadcast(self._call("POST", "/streams", json=body))

            def live_update(self, broadcast, request):
                body = {"at": request.planned_start.isoformat()}
                return self._broadcast(
                    self._call("PUT", f"/streams/{broadcast.remote_id}", json=body))

            def live_cancel(self, broadcast):
                self._call("DELETE", f"/streams/{broadcast.remote_id}")

            def live_status(self, broadcast):
                return self._broadcast(self._call("GET", f"/streams/{broadcast.remote_id}"))

            def live_recording(self, broadcast):
                data = self._call("GET", f"/streams/{broadcast.remote_id}")
                if data["state"] != "over":
                    return None
                return Recording(watch_url=data["url"], duration_seconds=data["seconds"])

            def test_connection(self):
                return "Faro listo."
    """,
}


class FaroFake(FakeServer):
    """POST /streams {title, at} → 201; GET/PUT/DELETE /streams/{id}; the test moves
    the state (waiting → on_air → over)."""

    def __init__(self) -> None:
        super().__init__()
        self.streams: dict[str, dict] = {}

    def route(self, request: Recorded) -> Answer:
        parts = [p for p in request.path.split("/") if p]
        if request.method == "POST" and parts == ["streams"]:
            if not request.json.get("title") or not request.json.get("at"):
                return Answer(422, {"error": "title and at are required"})
            stream_id = self.next_id()
            self.streams[stream_id] = {
                "id": stream_id,
                "state": "waiting",
                "at": request.json["at"],
                "url": f"https://faro.example/ver/{stream_id}",
                "ingest": "rtmp://ingesta.faro.example/live/",
                "key": f"faro-{stream_id}-secreta",
                "seconds": None,
            }
            return Answer(201, self.streams[stream_id])
        stream = self.streams.get(parts[-1]) if len(parts) == 2 else None
        if stream is None:
            return Answer(404, {"error": "not found"})
        if request.method == "PUT":
            if stream["state"] != "waiting":
                return Answer(409, {"error": "already started"})
            stream["at"] = request.json["at"]
        elif request.method == "DELETE":
            stream["state"] = "gone"
        return Answer(200, stream)


@pytest.fixture
def faro(tmp_path: Path, settings):
    folder = tmp_path / PACKAGE
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip())
    sys.path.insert(0, str(tmp_path))
    settings.PREGON_EXTRA_NETWORKS = [PACKAGE]
    yield registry.networks()["faro"]
    sys.path.remove(str(tmp_path))
    for module in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[module]


@pytest.fixture
def fake_faro():
    with FaroFake() as fake:
        yield fake


@pytest.fixture
def account(faro, fake_faro):
    from pregon.publishing import connectors

    connectors._channels.clear()
    return ChannelAccount.objects.create(name="Faro · Palacio", kind="faro", base_url=fake_faro.url)


@pytest.fixture
def hearing(area_factory, mariana):
    start = timezone.now() + timedelta(days=3)
    return agenda.activity_create(
        user=mariana,
        title="Audiencia pública en San Miguel",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        area=area_factory("PRES", "Presidencia"),
        type="audiencia_publica",
    )


def test_a_live_network_added_by_an_installation_is_offered(account, hearing, client, mariana):
    assert account in broadcasts.live_accounts()
    client.force_login(mariana)
    html = client.get(reverse("agenda:detail", args=[hearing.pk])).content.decode()
    assert "Faro · Palacio" in html and "Programar transmisión" in html


def test_schedule_move_read_back_and_record_without_download(
    account, fake_faro, hearing, mariana, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = broadcasts.broadcast_schedule(activity=hearing, accounts=[account], user=mariana)
        tasks.enqueue_broadcasts([b.pk for b in made])
    broadcast = ScheduledBroadcast.objects.get()
    assert broadcast.session_type == "audiencia_publica"
    assert broadcast.title == "Audiencia pública en San Miguel"  # not said twice
    assert broadcast.state == "programada" and broadcast.stream_key.startswith("faro-")
    stream = fake_faro.streams[broadcast.remote_id]

    later = hearing.starts_at + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        agenda.activity_update(
            activity=hearing, user=mariana, starts_at=later, ends_at=later + timedelta(hours=2)
        )
    broadcast.refresh_from_db()
    assert (broadcast.error, broadcast.pending) == ("", "")
    assert stream["at"] == later.isoformat()

    stream["state"] = "on_air"
    assert broadcasts.refresh(broadcast.pk) == "en_vivo"
    stream.update(state="over", seconds=5400.0)
    assert tasks.broadcast_refresh.call(broadcast.pk) == "terminada"
    broadcast.refresh_from_db()
    assert broadcast.recording_url == stream["url"] and broadcast.duration_seconds == 5400.0
    assert broadcast.recording_asset is None and not Asset.objects.exists()
    assert broadcast_recording.record(broadcast.pk) == stream["url"]  # kept once
