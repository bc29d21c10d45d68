"""In a real browser: from a cabildo session's page Coordinación schedules the live
broadcast on the Facebook Page (the Graph fake), copies the ingest URL and stream key
for OBS, sees it go live and end as the fake says, and once the periodic job ran the
recording is in the archive, linked to the session and found by its session number.
Screenshots of the section at 1366×900 and 390×844 (PREGON_SCREENSHOT_DIR keeps them)."""

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from pregon.agenda import services as agenda
from pregon.bulletins import tasks
from pregon.bulletins.models import ScheduledBroadcast
from pregon.publishing.models import ChannelAccount, ChannelKind
from tests.publishing.conftest import make_clip
from tests.publishing.fakes import GraphFake

pytestmark = pytest.mark.browser
DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def graph(settings):
    from pregon.publishing import connectors

    connectors._channels.clear()
    settings.PREGON_CHANNEL_TIMEOUT = 10
    with GraphFake() as fake:
        fake.add_page("111", "H. Ayuntamiento de Chapultepec", token="page-token")
        fake.processing_polls = 0
        yield fake
    connectors._channels.clear()


@pytest.fixture
def session(transactional_db, graph, area_factory, mariana):
    ChannelAccount.objects.create(
        name="Facebook · Ayuntamiento",
        kind=ChannelKind.FACEBOOK_PAGE,
        external_id="111",
        base_url=graph.url,
        credentials=json.dumps({"access_token": "page-token"}),
    )
    start = timezone.now() + timedelta(days=2)
    return agenda.activity_create(
        user=mariana,
        title="Cabildo: presupuesto participativo",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        area=area_factory("SECAY", "Secretaría del Ayuntamiento"),
        type="cabildo_ordinaria",
        place="Salón de cabildos",
    )


def _shoot(page, folder: Path, name: str) -> None:
    section = page.locator("#transmision")
    for size, suffix in ((DESK, "escritorio"), (PHONE, "telefono")):
        page.set_viewport_size(size)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name}: la página se sale por {width - size['width']} px"
        section.screenshot(path=str(folder / f"transmision_{name}_{suffix}.png"))
    page.set_viewport_size(DESK)


def test_schedule_go_live_end_and_archive(page, login, session, graph, mariana, tmp_path):
    folder = Path(os.environ.get("PREGON_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size(DESK)
    login(mariana)
    page.goto(f"/agenda/actividad/{session.pk}/")
    section = page.locator("#transmision")
    assert "Aún no hay transmisión programada" in section.inner_text()
    _shoot(page, folder, "por_programar")
    section.get_by_label("Facebook · Ayuntamiento").check()
    assert section.get_by_label("Tipo de sesión").input_value() == "ordinaria"
    section.get_by_label("Número de sesión").fill("45")
    section.get_by_role("button", name="Programar transmisión").click()
    page.wait_for_url(f"**/agenda/actividad/{session.pk}/#transmision")
    assert "Transmisión solicitada en 1 cuenta" in page.locator(".messages").inner_text()

    broadcast = ScheduledBroadcast.objects.get()
    live = graph.live_videos[broadcast.remote_id]
    assert live["status"] == "SCHEDULED_UNPUBLISHED"
    assert section.get_by_text("Programada", exact=True).is_visible()
    assert section.get_by_label("Servidor (URL de ingesta)").input_value() == (
        "rtmps://live-api-s.facebook.com:443/rtmp/"
    )
    key = section.get_by_label("Clave de transmisión")
    assert key.get_attribute("type") == "password"  # not on screen for onlookers
    assert live["secure_stream_url"].endswith("/" + key.input_value())
    section.get_by_role("button", name="Copiar clave").click()
    assert page.evaluate("navigator.clipboard.readText()") == key.input_value()
    watch = f"https://www.facebook.com/111/videos/{broadcast.remote_id}/"
    assert section.get_by_role("link", name=watch).is_visible()
    _shoot(page, folder, "programada")

    graph.go_live(broadcast.remote_id)
    section.get_by_role("button", name="Actualizar estado").click()
    page.wait_for_url(f"**/agenda/actividad/{session.pk}/#transmision")
    assert section.get_by_text("En vivo", exact=True).is_visible()

    clip = make_clip(tmp_path / "sesion.mp4", seconds=2).read_bytes()
    graph.end_live(broadcast.remote_id, clip, seconds=2.0)
    tasks.follow_broadcasts.call()  # the periodic job: reads it back, keeps the recording
    page.reload()
    assert section.get_by_text("Terminada", exact=True).is_visible()
    assert not section.get_by_label("Clave de transmisión").count()  # no key once it ended
    assert not section.locator("summary", has_text="Programar transmisión").count()
    recording = section.get_by_role("link", name="Sesión ordinaria núm. 45 · Cabildo")
    _shoot(page, folder, "grabada")
    recording.click()
    page.wait_for_url("**/archivo/*/")
    assert "Cabildo: presupuesto participativo" in page.locator("main").inner_text()

    page.goto("/archivo/?q=sesión+ordinaria+45")
    results = page.locator("#resultados")
    assert results.get_by_text("Sesión ordinaria núm. 45").first.is_visible()


@pytest.fixture
def youtube(settings):
    from tests.publishing.fakes.youtube import YouTubeFake

    with YouTubeFake() as fake:
        fake.add_channel(
            "UC1", "Gobierno de Chapultepec", access_token="at-1", refresh_token="rt-1"
        )
        settings.PREGON_YOUTUBE_TOKEN_URL = f"{fake.url}/token"
        settings.PREGON_YOUTUBE_CLIENT_ID = fake.client_id
        settings.PREGON_YOUTUBE_CLIENT_SECRET = fake.client_secret
        ChannelAccount.objects.create(
            name="YouTube · Chapultepec",
            kind="youtube",
            external_id="UC1",
            base_url=fake.url,
            credentials=json.dumps(
                {"access_token": "at-1", "refresh_token": "rt-1", "client_id": fake.client_id}
            ),
        )
        yield fake


def test_schedule_on_facebook_and_youtube_at_once(
    page, login, session, graph, youtube, mariana, tmp_path
):
    """One click schedules the session on both networks; each shows its own ingest data
    for OBS; when both end, Facebook's recording is in the archive and YouTube's watch
    link and duration are kept (YouTube keeps the video itself)."""
    page.set_viewport_size(DESK)
    login(mariana)
    page.goto(f"/agenda/actividad/{session.pk}/")
    section = page.locator("#transmision")
    section.get_by_label("Facebook · Ayuntamiento").check()
    section.get_by_label("YouTube · Chapultepec").check()
    section.get_by_label("Número de sesión").fill("46")
    section.get_by_role("button", name="Programar transmisión").click()
    page.wait_for_url(f"**/agenda/actividad/{session.pk}/#transmision")
    assert "Transmisión solicitada en 2 cuentas" in page.locator(".messages").inner_text()

    facebook = ScheduledBroadcast.objects.get(account__external_id="111")
    on_youtube = ScheduledBroadcast.objects.get(account__external_id="UC1")
    assert youtube.broadcasts[on_youtube.remote_id]["life"] == "ready"  # bound to its stream
    assert youtube.broadcasts[on_youtube.remote_id]["stream"]  # a stream is bound to it
    for broadcast in (facebook, on_youtube):
        card = section.get_by_test_id(f"broadcast-{broadcast.pk}")
        assert card.get_by_text("Programada", exact=True).is_visible()
        ingest = card.get_by_label("Servidor (URL de ingesta)").input_value()
        assert ingest.startswith("rtmps://")
        assert card.get_by_label("Clave de transmisión").input_value() == broadcast.stream_key
    yt_card = section.get_by_test_id(f"broadcast-{on_youtube.pk}")
    watch = f"https://www.youtube.com/watch?v={on_youtube.remote_id}"
    assert yt_card.get_by_role("link", name=watch).is_visible()

    graph.go_live(facebook.remote_id)
    youtube.go_live(on_youtube.remote_id)
    section.get_by_role("button", name="Actualizar estado").click()
    page.wait_for_url(f"**/agenda/actividad/{session.pk}/#transmision")
    assert section.get_by_text("En vivo", exact=True).count() == 2

    clip = make_clip(tmp_path / "sesion.mp4", seconds=2).read_bytes()
    graph.end_live(facebook.remote_id, clip, seconds=2.0)
    youtube.finish(on_youtube.remote_id, "PT2H5M")
    tasks.follow_broadcasts.call()
    page.reload()
    assert section.get_by_text("Terminada", exact=True).count() == 2
    assert (
        section.get_by_test_id(f"broadcast-{facebook.pk}")
        .get_by_role("link", name="Sesión ordinaria núm. 46 · Cabildo")
        .is_visible()
    )
    yt_text = section.get_by_test_id(f"broadcast-{on_youtube.pk}").inner_text()
    assert f"Grabación: {watch}" in yt_text and "2 h 05 min" in yt_text
