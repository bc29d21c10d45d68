"""TikTok through the real approval and engine path, against the fake TikTok: a clip
and a photo post go out exactly once whatever fails on the way (a dead worker, a 500,
a 429, an answer lost after TikTok accepted), a processing video is looked at again
later instead of by a sleeping thread, an unaudited app's video waits in the
creator's inbox saying so, refresh tokens rotate under the account's lock, and the
figures reach analytics through fetch_all."""

import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregon.publishing import connectors, engine, services
from pregon.publishing.channels.tiktok import TikTokChannel
from pregon.publishing.models import ChannelAccount, Delivery, DeliveryStatus, PublicationStatus
from tests.publishing.conftest import make_clip
from tests.publishing.fakes.tiktok import TikTokFake
from tests.publishing.faults_support import (
    approve_and_schedule,
    delivery_of,
    due_now,
    killed_after_accepted,
    photo_add,
    stale,
)

D = DeliveryStatus
TEXT = "Sesión de cabildo abierto en la explanada municipal #Chapultepec"
SRT = b"1\n00:00:00,000 --> 00:00:02,000\nSe abre la sesi\xc3\xb3n de cabildo.\n"


@pytest.fixture
def tiktok(transactional_db, settings, live_server, monkeypatch):
    settings.PREGON_CHANNEL_TIMEOUT = 2
    settings.PREGON_PUBLIC_URL = live_server.url
    settings.PREGON_TIKTOK_CLIENT_KEY, settings.PREGON_TIKTOK_CLIENT_SECRET = "tt-key", "tt-s3c"
    monkeypatch.setattr(TikTokChannel, "poll_interval", 0)
    with TikTokFake("tt-key", "tt-s3c") as fake:
        fake.add_user("open-1", "gobchapultepec", access_token="at-1", refresh_token="rt-1")
        credentials = {
            "access_token": "at-1",
            "refresh_token": "rt-1",
            "username": "gobchapultepec",
        }
        fake.account = ChannelAccount.objects.create(
            name="TikTok @gobchapultepec",
            kind="tiktok",
            external_id="open-1",
            base_url=fake.url,
            handle="@gobchapultepec",
            credentials=json.dumps(credentials),
        )
        yield fake


@pytest.fixture
def schedule(tiktok, jorge, mariana, tmp_path):
    """`schedule("video")` or `schedule("photo")`: approved and due a second ago."""
    from pregon.archive.services import asset_ingest, asset_set_captions

    def make(what: str = "video", text: str = TEXT):
        publication = services.publication_create(author=jorge, title="Cabildo abierto", text=text)
        if what == "video":
            clip = make_clip(tmp_path / "cabildo.mp4", seconds=4)
            asset = asset_ingest(file_path_or_uploaded_file=clip, original_name="cabildo.mp4")
            asset_set_captions(asset=asset, upload=SimpleUploadedFile("c.srt", SRT), user=jorge)
            media = services.media_attach_asset(publication=publication, asset=asset, user=jorge)
        else:
            media = photo_add(publication, jorge, "La explanada", name="cabildo.jpg")
        variants = {tiktok.account.pk: {"text": "", "media": [media.pk]}}
        approve_and_schedule(publication, variants, author=jorge, approver=mariana)
        return publication

    return make


def _copies(tiktok) -> int:
    return sum(v["title"] == TEXT or v["video_description"] == TEXT for v in tiktok.videos)


def _published_once(tiktok, publication) -> Delivery:
    delivery = delivery_of(publication)
    assert delivery.status == D.PUBLICADA, delivery.last_error
    assert _copies(tiktok) == 1 and delivery.remote_id == tiktok.videos[-1]["id"]
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLICADA
    return delivery


def test_a_clip_goes_out_once_through_approval_and_the_engine(tiktok, schedule):
    publication = schedule("video")
    tiktok.processing_polls = 1
    assert engine.publish_due()["publicada"] == 1
    delivery = _published_once(tiktok, publication)
    assert delivery.remote_url.startswith("https://www.tiktok.com/@gobchapultepec/video/")
    engine.publish_due()
    assert _copies(tiktok) == 1 and len(tiktok.requests_to("PUT", "/upload/")) == 1


def test_processing_is_looked_at_later_not_by_a_sleeping_thread(tiktok, schedule, monkeypatch):
    monkeypatch.setattr(TikTokChannel, "poll_interval", 30.0)
    tiktok.processing_polls = 1
    publication = schedule("video")
    assert engine.publish_due()["en_proceso"] == 1
    delivery = delivery_of(publication)
    assert delivery.status == D.PENDIENTE and delivery.network_ref.startswith("v:")
    assert delivery.scheduled_at > timezone.now() + timedelta(seconds=20)
    due_now(delivery)
    assert engine.publish_due()["publicada"] == 1
    _published_once(tiktok, publication)
    assert len(tiktok.requests_to("POST", "/video/init/")) == 1


def test_a_500_is_retried_and_sent_once(tiktok, schedule):
    publication = schedule("video")
    body = {"data": {}, "error": {"code": "internal_error", "message": "Something went wrong"}}
    tiktok.fail(500, body, path="/video/init/")
    assert engine.publish_due()["reintentar"] == 1
    delivery = delivery_of(publication)
    assert "TikTok tuvo una falla temporal" in delivery.last_error
    assert "Se reintentará a las" in delivery.last_error
    due_now(delivery)
    assert engine.publish_due()["publicada"] == 1
    _published_once(tiktok, publication)


def test_a_429_waits_for_tiktok_then_goes_once(tiktok, schedule):
    publication = schedule("photo")
    tiktok.rate_limit(retry_after=90)
    started = timezone.now()
    assert engine.publish_due()["limite"] == 1
    delivery = delivery_of(publication)
    assert delivery.scheduled_at >= started + timedelta(seconds=85)
    assert "TikTok pidió esperar" in delivery.last_error
    due_now(delivery)
    assert engine.publish_due()["publicada"] == 1
    _published_once(tiktok, publication)


@pytest.mark.parametrize(
    "what,path,method", [("video", "/upload/", "PUT"), ("photo", "/content/init/", "POST")]
)
def test_accepted_then_never_answered_is_found_not_resent(tiktok, schedule, what, path, method):
    publication = schedule(what)
    tiktok.swallow(method=method, path=path)
    engine.publish_due()
    engine.publish_due()
    delivery = _published_once(tiktok, publication)
    outcomes = list(delivery.attempt_log.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == ["incierto", "encontrada"]


def test_killed_after_accepted_with_50_newer_videos_exactly_one_copy(tiktok, schedule, monkeypatch):
    publication = schedule("video")
    with killed_after_accepted(monkeypatch):
        engine.publish_due()
    delivery = delivery_of(publication)
    assert delivery.status == D.ENVIANDO and _copies(tiktok) == 1
    tiktok.add_videos("open-1", 50)
    stale(delivery)
    connectors._channels.clear()
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PUBLICADA, delivery.last_error
    assert delivery.attempt_log.filter(outcome="encontrada").exists() and _copies(tiktok) == 1
    assert len(tiktok.requests_to("POST", "/v2/video/list/")) == 3  # 20 + 20 + ours


def test_unaudited_app_leaves_the_clip_in_the_inbox_and_says_so(tiktok, schedule):
    tiktok.audited = False
    publication = schedule("video")
    assert engine.publish_due()["en_proceso"] == 1
    delivery = delivery_of(publication)
    assert delivery.status == D.PENDIENTE and delivery.network_ref.startswith("i:")
    assert delivery.last_error.startswith(
        "TikTok: el video quedó en la bandeja de la cuenta; ábralo en la app para publicarlo"
    )
    assert delivery.scheduled_at > timezone.now() + timedelta(minutes=14)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PROGRAMADA  # not published: not public yet
    stored = json.loads(ChannelAccount.objects.get(pk=tiktok.account.pk).credentials)
    assert stored["inbox_only"] is True and stored["refresh_token"] == "rt-1"
    assert tiktok.videos == []
    # Looked at again while nobody has posted it: still waiting, still saying why.
    due_now(delivery)
    engine.publish_due()
    delivery.refresh_from_db()
    assert delivery.status == D.PENDIENTE and "bandeja" in delivery.last_error
    # Someone posts it from the app; the next look publishes the delivery with its URL.
    tiktok.creator_posts(delivery.network_ref.split(":")[1], caption=TEXT)
    due_now(delivery)
    assert engine.publish_due()["publicada"] == 1
    delivery = _published_once(tiktok, publication)
    assert delivery.last_error == "" and delivery.remote_url.endswith(delivery.remote_id)
    assert len(tiktok.requests_to("PUT", "/upload/")) == 1


def test_rotating_refresh_tokens_survive_two_expiries(tiktok, schedule):
    for round_ in range(2):
        current = json.loads(ChannelAccount.objects.get(pk=tiktok.account.pk).credentials)
        tiktok.expire_access_token(current["access_token"])
        publication = schedule("photo", text=f"{TEXT} {round_}")
        assert engine.publish_due()["publicada"] == 1, delivery_of(publication).last_error
        stored = json.loads(ChannelAccount.objects.get(pk=tiktok.account.pk).credentials)
        assert stored["refresh_token"] != current["refresh_token"]
        assert stored["refresh_token"] in tiktok.refresh_tokens
        assert current["refresh_token"] not in tiktok.refresh_tokens
    assert len(tiktok.videos) == 2


def test_daily_figures_reach_analytics_through_fetch_all(tiktok, schedule):
    from pregon.analytics.insights import fetch_all
    from pregon.analytics.models import AccountMetric, PostMetric

    publication = schedule("video")
    engine.publish_due()
    delivery = delivery_of(publication)
    tiktok.add_videos("open-1", 24)
    now = timezone.now()
    for video in tiktok.videos:
        PostMetric.objects.create(
            account=tiktok.account, remote_id=video["id"], published_at=now, snapshot_at=now
        )
    [report] = fetch_all(date.today())
    assert report.errors == {} and report.posts == 25
    metric = AccountMetric.objects.get(account=tiktok.account, date=date.today())
    assert metric.followers == 6900
    ours = PostMetric.objects.get(remote_id=delivery.remote_id)
    assert (ours.views, ours.reactions, ours.comments, ours.shares) == (101, 50, 7, 3)
    batches = [r.json["filters"]["video_ids"] for r in tiktok.requests_to("POST", "/video/query/")]
    assert sorted(len(b) for b in batches) == [5, 20]
