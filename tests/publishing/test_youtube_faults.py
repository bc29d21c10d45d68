"""A council-session video from the archive goes to YouTube through approval and the
engine, against the fake Google: exactly one video in the end whatever happens —
a sender killed halfway through the bytes (the next one goes on in the same upload
session), killed after YouTube accepted the last byte (found by its mark among 50
newer videos), a server error, a lost answer, the day's quota used up. The day's
figures arrive through analytics' fetch_all."""

import io
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregon.publishing import connectors, engine, services
from pregon.publishing.channels.youtube.api import until_pacific_midnight
from pregon.publishing.channels.youtube.connector import YouTubeChannel
from pregon.publishing.models import ChannelAccount, Delivery, DeliveryStatus
from tests.publishing.fakes.youtube import UNIT, YouTubeFake
from tests.publishing.faults_support import (
    WorkerKilled,
    approve_and_schedule,
    delivery_of,
    due_now,
    killed_after_accepted,
    photo_add,
    stale,
)

D = DeliveryStatus
SRT = b"1\n00:00:00,000 --> 00:00:02,000\nSe abre la sesi\xc3\xb3n de cabildo.\n"
LOCATION = "+19.2897-099.1312/"


def noisy_clip(path, seconds: int = 2):
    """A camera clip (QuickTime with the location atom) of noise, so it stays large:
    more than two 256 KiB chunks."""
    import av
    from PIL import Image

    with av.open(str(path), "w", format="mov") as out:
        out.metadata["location"] = LOCATION
        stream = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        stream.bit_rate = 8_000_000
        for _ in range(seconds * 10):
            image = Image.frombytes("RGB", (320, 240), os.urandom(320 * 240 * 3))
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.fixture
def yt(settings, transactional_db):
    settings.PREGON_CHANNEL_TIMEOUT = 2
    with YouTubeFake() as fake:
        fake.add_channel(
            "UC1", "Gobierno de Chapultepec", access_token="at-1", refresh_token="rt-1"
        )
        settings.PREGON_YOUTUBE_TOKEN_URL = f"{fake.url}/token"
        settings.PREGON_YOUTUBE_ANALYTICS_URL = fake.url
        settings.PREGON_YOUTUBE_CLIENT_ID = fake.client_id
        settings.PREGON_YOUTUBE_CLIENT_SECRET = fake.client_secret
        yield fake


@pytest.fixture
def account(yt):
    credentials = {"access_token": "at-1", "refresh_token": "rt-1", "client_id": yt.client_id}
    return ChannelAccount.objects.create(
        name="YouTube · Gobierno de Chapultepec",
        kind="youtube",
        external_id="UC1",
        base_url=yt.url,
        credentials=json.dumps(credentials),
    )


@pytest.fixture
def scheduled(account, jorge, mariana, tmp_path):
    """`scheduled(thumbnail=False)`: the clip (with Spanish subtitles) approved and due."""
    from pregon.archive.services import asset_ingest, asset_set_captions

    def make(thumbnail: bool = False):
        path = noisy_clip(tmp_path / "cabildo.mov")
        asset = asset_ingest(file_path_or_uploaded_file=path, original_name="cabildo.mov")
        asset_set_captions(asset=asset, upload=SimpleUploadedFile("cabildo.srt", SRT), user=jorge)
        publication = services.publication_create(
            author=jorge,
            title="Sesión de cabildo",
            text="Sesión ordinaria de cabildo #Chapultepec",
            link="https://chapultepec.gob.mx/cabildo",
        )
        media = [services.media_attach_asset(publication=publication, asset=asset, user=jorge)]
        if thumbnail:
            from PIL import Image

            buffer = io.BytesIO()
            Image.new("RGB", (1280, 720), (10, 60, 120)).save(buffer, "JPEG")
            media.append(photo_add(publication, jorge, "Portada", "portada.jpg", buffer.getvalue()))
        variants = {account.pk: {"text": "", "media": [m.pk for m in media]}}
        approve_and_schedule(publication, variants, author=jorge, approver=mariana)
        return delivery_of(publication)

    return make


@contextmanager
def killed_after_call(monkeypatch, dies: Callable[[Any], bool]) -> Iterator[None]:
    """Inside the block the sender dies right after the HTTP call for which `dies` is
    true (the call is recorded first), and the block must see it die."""
    real = connectors._on_attempt

    def on_attempt(attempt) -> None:
        real(attempt)
        if dies(attempt):
            raise WorkerKilled

    monkeypatch.setattr(connectors, "_on_attempt", on_attempt)
    connectors._channels.clear()  # a cached sender keeps the callback it was made with
    try:
        with pytest.raises(WorkerKilled):
            yield
    finally:
        monkeypatch.setattr(connectors, "_on_attempt", real)


def _finish(delivery: Delivery, runs: int = 3) -> Delivery:
    for _ in range(runs):
        due_now(delivery)
        engine.publish_due()
        delivery.refresh_from_db()
        if delivery.status != D.PENDIENTE:
            break
    return delivery


def test_published_once_with_subtitles_thumbnail_and_without_gps(yt, scheduled):
    delivery = scheduled(thumbnail=True)
    assert engine.publish_due()["en_proceso"] == 1  # the session, stored before any byte
    delivery.refresh_from_db()
    assert delivery.status == D.PENDIENTE and delivery.network_ref.startswith("s|")
    assert "upload_id" not in delivery.network_ref  # encrypted
    [session] = yt.sessions.values()
    assert session["data"] == b""
    delivery = _finish(delivery)
    assert delivery.status == D.PUBLICADA and delivery.network_ref == ""
    [video] = yt.uploaded("UC1")
    assert yt.videos[delivery.remote_id] is video
    assert delivery.remote_url == f"https://www.youtube.com/watch?v={delivery.remote_id}"
    assert video["bytes"][4:8] == b"ftyp" and LOCATION.encode() not in video["bytes"]
    assert video["snippet"]["title"] == "Sesión de cabildo"
    assert video["snippet"]["description"].endswith("https://chapultepec.gob.mx/cabildo")
    assert f"pregon-{delivery.pk}" in video["snippet"]["tags"]
    [caption] = video["captions"]
    assert caption["snippet"]["language"] == "es" and "Se abre la sesión" in caption["text"]
    assert video["thumbnail"][:3] == b"\xff\xd8\xff"


def test_killed_mid_upload_resumes_the_same_session(yt, scheduled, monkeypatch):
    """The sender dies right after YouTube took the second chunk. Its claim runs out,
    the check finds no video (an unfinished upload is none), the delivery is due
    again with its session, and the next sender sends only the missing bytes."""
    monkeypatch.setattr(YouTubeChannel, "chunk_bytes", UNIT)
    delivery = scheduled()
    engine.publish_due()  # the session is opened and stored
    chunks = []

    def after_second_chunk(attempt) -> bool:
        if attempt.method == "PUT" and attempt.status == 308:
            chunks.append(attempt)
        return len(chunks) == 3  # the status look, then two chunks

    due_now(delivery)
    with killed_after_call(monkeypatch, after_second_chunk):
        engine.publish_due()
    delivery.refresh_from_db()
    [session] = yt.sessions.values()
    assert delivery.status == D.ENVIANDO and len(session["chunks"]) == 2
    assert yt.uploaded("UC1") == []
    stale(delivery)
    connectors._channels.clear()
    engine.publish_due()  # stale → not on the channel → due again → resumed
    delivery = _finish(delivery)
    assert delivery.status == D.PUBLICADA, delivery.last_error
    assert len(yt.requests_to("POST", "/upload/youtube/v3/videos")) == 1  # one session
    size = len(session["data"])
    starts = [first for first, _ in session["chunks"]]
    assert starts == list(range(0, size, UNIT))  # every byte once, in order
    [video] = yt.uploaded("UC1")
    assert yt.videos[delivery.remote_id] is video
    outcomes = list(delivery.attempt_log.values_list("outcome", flat=True))
    assert "no_encontrada" in outcomes, outcomes


def test_killed_after_the_last_byte_is_found_among_newer_videos(yt, scheduled, monkeypatch):
    delivery = scheduled()
    engine.publish_due()
    due_now(delivery)
    with killed_after_accepted(monkeypatch):  # YouTube has it; the sender dies then
        engine.publish_due()
    assert len(yt.uploaded("UC1")) == 1
    yt.add_videos("UC1", 50)
    stale(delivery)
    connectors._channels.clear()
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA, delivery.last_error
    assert delivery.attempt_log.filter(outcome="encontrada").exists()
    ours = [v for v in yt.uploaded("UC1") if v["bytes"]]
    assert len(ours) == 1 and yt.videos[delivery.remote_id] is ours[0]
    assert len(ours[0]["captions"]) == 1  # added once, by the dead sender


def test_killed_before_the_subtitles_the_check_adds_them(yt, scheduled, monkeypatch):
    """The sender dies the moment YouTube answers the last chunk: the check finds the
    video and adds the Spanish subtitles it never got before calling it published."""
    delivery = scheduled()
    engine.publish_due()
    due_now(delivery)
    with killed_after_call(monkeypatch, lambda a: a.method == "PUT" and a.status in (200, 201)):
        engine.publish_due()
    [video] = yt.uploaded("UC1")
    assert video["captions"] == []
    stale(delivery)
    connectors._channels.clear()
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA, delivery.last_error
    assert yt.uploaded("UC1") == [video] and len(video["captions"]) == 1


def test_server_error_on_a_chunk_is_retried_in_the_same_session(yt, scheduled, monkeypatch):
    monkeypatch.setattr(YouTubeChannel, "chunk_bytes", UNIT)
    delivery = scheduled()
    engine.publish_due()
    body = {"error": {"code": 503, "message": "Backend Error", "errors": []}}
    yt.fail(503, body, method="PUT", times=3)  # the status look passes, not the chunk
    yt.faults[0].times = 1
    due_now(delivery)
    real_take = yt._take_fault
    puts = []

    def take(request):  # the fault waits for the first data chunk
        if request.method == "PUT":
            puts.append(request)
            if not request.body:
                return None
        return real_take(request)

    yt._take_fault = take
    assert engine.publish_due()["reintentar"] == 1
    delivery.refresh_from_db()
    assert delivery.status == D.PENDIENTE and "falla temporal" in delivery.last_error
    assert delivery.network_ref.startswith("s|")
    delivery = _finish(delivery)
    assert delivery.status == D.PUBLICADA
    assert len(yt.requests_to("POST", "/upload/youtube/v3/videos")) == 1
    assert len(yt.uploaded("UC1")) == 1


def test_lost_answer_to_the_last_chunk_is_not_a_second_video(yt, scheduled):
    delivery = scheduled()
    engine.publish_due()
    yt.lose_answer_to_chunk = 1  # the only chunk: YouTube has the video, we do not know
    due_now(delivery)
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PENDIENTE and "sin subirlo dos veces" in delivery.last_error
    assert len(yt.uploaded("UC1")) == 1
    delivery = _finish(delivery)
    assert delivery.status == D.PUBLICADA and len(yt.uploaded("UC1")) == 1
    assert yt.videos[delivery.remote_id]["captions"]


def test_used_up_quota_waits_until_the_quota_day_starts(yt, scheduled):
    delivery = scheduled()
    yt.quota_exceeded(times=1)
    before = timezone.now()
    assert engine.publish_due()["limite"] == 1
    delivery.refresh_from_db()
    assert delivery.status == D.PENDIENTE and yt.sessions == {}
    expected = before + timedelta(seconds=until_pacific_midnight())
    assert abs((delivery.scheduled_at - expected).total_seconds()) < 10
    assert "medianoche hora del Pacífico" in delivery.last_error


def test_expired_token_is_refreshed_and_stored_encrypted(yt, scheduled, account):
    delivery = scheduled()
    yt.expire_access_token("at-1")
    delivery = _finish(delivery, runs=4)
    assert delivery.status == D.PUBLICADA
    account.refresh_from_db()
    stored = json.loads(account.credentials)
    assert stored["access_token"] != "at-1" and stored["refresh_token"] in yt.refresh_tokens
    assert len(yt.requests_to("POST", "/token")) == 1


def test_revoked_access_waits_for_reconnection(yt, scheduled, account):
    delivery = scheduled()
    yt.expire_access_token("at-1")
    yt.revoke_refresh_token("rt-1")
    assert engine.publish_due()["espera_reconexion"] == 1
    account.refresh_from_db()
    assert account.state == "reconexion" and yt.sessions == {}
    delivery.refresh_from_db()
    assert delivery.status == D.PENDIENTE and "Vuelva a conectarla" in delivery.last_error


def test_daily_figures_through_analytics(yt, account):
    from pregon.analytics.insights import fetch_all
    from pregon.analytics.models import AccountMetric, PostMetric

    day = timezone.localdate() - timedelta(days=1)
    yt.daily[("UC1", day.isoformat())] = {
        "views": 420,
        "likes": 30,
        "comments": 5,
        "shares": 7,
        "subscribersGained": 12,
        "subscribersLost": 2,
    }
    yt.add_videos("UC1", 2)
    first, second = list(yt.videos)
    yt.video_totals[first] = {"views": 900, "likes": 40, "comments": 3, "shares": 6}
    for remote_id in (first, second):
        PostMetric.objects.create(
            account=account,
            remote_id=remote_id,
            published_at=timezone.now() - timedelta(days=2),
            snapshot_at=timezone.now(),
            source="api",
        )
    [report] = fetch_all(day)
    assert report.errors == {}, report.errors
    metric = AccountMetric.objects.get(account=account, date=day)
    assert (metric.views, metric.follows_gained, metric.follows_lost) == (420, 12, 2)
    assert metric.engagements == 42 and metric.followers == 1500
    post = PostMetric.objects.get(account=account, remote_id=first)
    assert (post.views, post.reactions, post.comments, post.shares) == (900, 40, 3, 6)
    [query] = [r for r in yt.requests_to("GET", "/v2/reports") if r.query["dimensions"] == "video"]
    assert (
        query.query["filters"] == f"video=={first},{second}"
        or query.query["filters"] == f"video=={second},{first}"
    )


def test_daily_token_check_refreshes_or_asks_for_reconnection(yt, account):
    from pregon.publishing import token_health

    yt.expire_access_token("at-1")
    health = token_health.check(account)
    assert health.ok and "Gobierno de Chapultepec" in health.message
    stored = json.loads(ChannelAccount.objects.get(pk=account.pk).credentials)
    assert stored["refresh_token"] in yt.refresh_tokens
    yt.expire_access_token(stored["access_token"])
    yt.revoke_refresh_token(stored["refresh_token"])
    connectors._channels.clear()
    account.refresh_from_db()
    health = token_health.check(account)
    assert health.revoked and "Vuelva a conectarla" in health.message
