"""A council-session clip from the archive goes to the four networks: refused at
approval while it has no subtitles, then published with them — to Facebook and X
as SRT, to the portal as a WebVTT track, to Instagram as a reel — always the
public copy, without the GPS the camera wrote."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregon.publishing import engine, services
from pregon.publishing.channels.x import connector as x_connector
from pregon.publishing.models import Delivery
from tests.publishing.conftest import make_clip

LOCATION = "+19.2897-099.1312/"
SRT = b"1\n00:00:00,000 --> 00:00:02,000\nSe abre la sesi\xc3\xb3n de cabildo.\n"


def camera_clip(path, seconds: int = 4):
    """A clip with the location atom a phone writes."""
    return make_clip(path, seconds, location=LOCATION)


@pytest.fixture
def archived_clip(tmp_path, transactional_db):
    from pregon.archive.services import asset_ingest

    path = camera_clip(tmp_path / "cabildo.mov")
    assert LOCATION.encode() in path.read_bytes()
    asset = asset_ingest(file_path_or_uploaded_file=path, original_name="cabildo.mov")
    assert asset.kind == "video" and asset.has_gps
    return asset


def test_video_needs_subtitles_then_reaches_every_network_without_gps(
    networks, archived_clip, jorge, mariana, settings, live_server, monkeypatch
):
    from pregon.archive.services import asset_set_captions
    from pregon.publishing.channels.instagram import InstagramChannel
    from pregon.publishing.channels.x import XChannel

    monkeypatch.setattr(InstagramChannel, "poll_interval", 0, raising=False)
    monkeypatch.setattr(XChannel, "poll_interval", 0, raising=False)
    settings.PREGON_PUBLIC_URL = live_server.url
    publication = services.publication_create(
        author=jorge, title="Sesión de cabildo", text="Sesión ordinaria de cabildo."
    )
    media = services.media_attach_asset(publication=publication, asset=archived_clip, user=jorge)
    assert media.is_video and media.duration == pytest.approx(4.0, abs=0.2)
    keys = ("facebook", "instagram", "x", "wordpress")
    services.variants_set(
        publication=publication,
        variants={networks.accounts[k].pk: {"text": "", "media": [media.pk]} for k in keys},
        user=jorge,
    )
    # Subtitles are accessibility: refused already at submit, on every channel.
    with pytest.raises(ValidationError) as refused:
        services.publication_submit(publication=publication, user=jorge)
    assert "Fake instagram — videos: El video «cabildo.mov» no tiene subtítulos" in (
        " ".join(refused.value.messages)
    )

    asset_set_captions(
        asset=archived_clip, upload=SimpleUploadedFile("cabildo.srt", SRT), user=jorge
    )
    services.publication_submit(publication=publication, user=jorge)
    services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(
        publication=publication, user=mariana, when=timezone.now() - timedelta(seconds=1)
    )
    counts = engine.publish_due()
    assert counts["publicada"] == 4, counts

    sent_to = Delivery.objects.filter(variant__publication=publication)
    deliveries = {d.account.kind: d for d in sent_to}
    graph, x, wp = networks.graph, networks.x, networks.wp
    # Facebook: the video with its SRT subtitles.
    video = graph.videos[deliveries["facebook_page"].remote_id]
    assert video["captions"][0]["locale"] == "es_LA"
    assert "Se abre la sesión de cabildo." in video["captions"][0]["srt"]
    [upload] = graph.requests_to("POST", "/111/videos")
    sent = upload.files["source"][1]
    assert sent[4:8] == b"ftyp" and LOCATION.encode() not in sent
    # Instagram fetched the MP4 through the signed public link, as a reel.
    [(url, status, kind)] = graph.fetched
    assert status == 200 and kind.startswith("video/mp4")
    [reel] = [r for r in graph.requests_to("POST", "/178/media") if r.path == "/178/media"]
    assert reel.form["media_type"] == "REELS"
    # X: transcoded video with Spanish subtitles joined to it.
    [video_upload] = [u for u in x.uploads.values() if u["media_category"] == "tweet_video"]
    assert video_upload["subtitles"]["language_code"] == "ES"
    assert LOCATION.encode() not in b"".join(video_upload["segments"].values())
    # The portal: a <video> with a captions track.
    post = wp.posts[int(deliveries["wordpress"].remote_id)]
    assert '<track kind="captions"' in post["content"]["raw"]
    track = next(m for m in wp.media.values() if m["mime_type"] == "text/vtt")
    assert track["source_url"] in post["content"]["raw"]


def test_x_video_is_checked_later_not_by_a_sleeping_thread(networks, archived_clip, jorge, mariana):
    """X transcodes a video for a while and says when to look again (check_after_secs):
    the sender parks the delivery with the uploads and is free at once; a later look
    finds it done, joins the subtitles and posts — one upload, one post."""
    from pregon.archive.services import asset_set_captions

    x = networks.x
    x.media_seconds = 3.0
    asset_set_captions(
        asset=archived_clip, upload=SimpleUploadedFile("cabildo.srt", SRT), user=jorge
    )
    publication, _ = _submitted_with_clip(archived_clip, networks.accounts["x"], jorge, "Cabildo")
    services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(
        publication=publication, user=mariana, when=timezone.now() - timedelta(seconds=1)
    )
    started = timezone.now()
    counts = engine.publish_due()
    assert counts["en_proceso"] == 1, counts
    assert (timezone.now() - started).total_seconds() < 3  # nobody waited for X
    delivery = Delivery.objects.get(variant__publication=publication)
    _, [[video_id, subtitles_id]] = x_connector.uploads_in(delivery.network_ref)
    assert delivery.status == "pendiente" and video_id.startswith("~")
    video_id, subtitles_id = video_id[1:], subtitles_id.removeprefix("~")
    assert delivery.scheduled_at >= started + timedelta(seconds=2)  # X said: in 3 s
    assert x.tweets == {} and len(x.uploads) == 2

    engine.publish_due()  # not due yet: nobody looks before X said to
    assert x.requests_to("GET", "/2/media/upload") == []
    x.finish_processing()
    Delivery.objects.filter(pk=delivery.pk).update(scheduled_at=timezone.now())
    assert engine.publish_due()["publicada"] == 1
    delivery.refresh_from_db()
    assert delivery.status == "publicada" and delivery.network_ref == ""
    [tweet] = x.tweets.values()
    assert tweet["media_ids"] == [video_id] and len(x.uploads) == 2  # nothing uploaded again
    assert x.uploads[video_id]["subtitles"]["id"] == subtitles_id
    assert x.early_status_checks == 0


def test_a_reason_instead_of_subtitles_is_recorded(archived_clip, accounts, jorge, mariana):
    from pregon.compliance.models import ComplianceEvent

    archived_clip.no_captions_reason = "Sin voz: solo música de fondo."
    archived_clip.save()
    publication, _ = _submitted_with_clip(
        archived_clip, accounts["facebook"], jorge, "Timelapse de la obra"
    )
    services.publication_approve(publication=publication, user=mariana)
    event = ComplianceEvent.objects.get(rule="subtitulos")
    assert "Sin voz: solo música de fondo." in event.message


def test_manual_channel_package_offers_the_video_and_its_subtitles(
    archived_clip, accounts, jorge, mariana, client
):
    from pregon.archive.services import asset_set_captions

    asset_set_captions(
        asset=archived_clip, upload=SimpleUploadedFile("cabildo.srt", SRT), user=jorge
    )
    publication, media = _submitted_with_clip(
        archived_clip, accounts["manual"], jorge, "Sesión para WhatsApp"
    )
    services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(
        publication=publication, user=mariana, when=timezone.now() + timedelta(hours=1)
    )
    delivery = Delivery.objects.get(variant__publication=publication)
    client.force_login(mariana)
    page = client.get(f"/publicaciones/envios/{delivery.pk}/paquete/").content.decode()
    assert "Descargar el video cabildo.mov" in page and "Descargar sus subtítulos (SRT)" in page

    video = client.get(f"/publicaciones/imagenes/{media.pk}/descargar/")
    assert 'filename="cabildo.mp4"' in video["Content-Disposition"]
    body = b"".join(video.streaming_content)
    assert body[4:8] == b"ftyp" and LOCATION.encode() not in body
    srt = client.get(f"/publicaciones/imagenes/{media.pk}/subtitulos.srt")
    assert 'filename="cabildo.es.srt"' in srt["Content-Disposition"]
    assert b"Se abre la sesi\xc3\xb3n de cabildo." in b"".join(srt.streaming_content)


def _submitted_with_clip(clip, account, author, title):
    """A publication carrying the clip on one channel, sent to review."""
    publication = services.publication_create(author=author, title=title, text=f"{title}.")
    media = services.media_attach_asset(publication=publication, asset=clip, user=author)
    services.variants_set(
        publication=publication,
        variants={account.pk: {"text": "", "media": [media.pk]}},
        user=author,
    )
    services.publication_submit(publication=publication, user=author)
    return publication, media
