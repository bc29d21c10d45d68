"""Publishing fixtures: channel accounts, a scriptable in-process channel for engine
tests, and a factory for publications at any step of the workflow."""

import io
import json
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from pregon.publishing.channels.base import Channel, ChannelError, PostResult


@pytest.fixture(autouse=True)
def _one_delivery_at_a_time(settings):
    # Test data lives in the test's transaction, which other threads cannot see.
    settings.PREGON_DELIVERY_CONCURRENCY = 1
    from pregon.publishing import connectors

    connectors._channels.clear()  # connectors cached by a previous test's fakes
    yield
    connectors._channels.clear()


@dataclass
class Network:
    """What the fake network saw and what it will do next. `script` holds, per call,
    a PostResult-producing value or an exception to raise."""

    posts: list = field(default_factory=list)
    script: list = field(default_factory=list)
    existing: dict = field(default_factory=dict)  # reference -> PostResult
    find_error: ChannelError | None = None
    on_publish: object = None  # callable(post) run inside publish, e.g. to interfere

    def publish(self, post) -> PostResult:
        if self.on_publish:
            self.on_publish(post)
        outcome = self.script.pop(0) if self.script else "ok"
        if isinstance(outcome, BaseException):
            raise outcome
        result = PostResult(
            f"remote-{len(self.posts) + 1}", f"https://red.example/p/{len(self.posts) + 1}"
        )
        self.posts.append(post)
        self.existing[post.reference] = result
        if outcome == "ok-then-lost":  # posted, but the answer never arrived
            raise ChannelError("Tiempo agotado tras enviar.", uncertain=True)
        return result


class FakeChannel(Channel):
    kind = "fake"

    def __init__(self, account, network: Network) -> None:
        super().__init__(account)
        self.network = network

    def publish(self, post):
        return self.network.publish(post)

    def find_existing(self, post, since):
        if self.network.find_error:
            raise self.network.find_error
        return self.network.existing.get(post.reference)

    def test_connection(self) -> str:
        return "Cuenta de prueba conectada"


@pytest.fixture
def network(monkeypatch) -> Network:
    """Every account publishes to this one in-process fake network."""
    from pregon.publishing import connectors

    net = Network()
    monkeypatch.setattr(connectors, "channel_for", lambda account: FakeChannel(account, net))
    return net


@pytest.fixture
def accounts(db):
    from pregon.publishing.models import ChannelAccount, ChannelKind

    def make(name, kind, **kw):
        return ChannelAccount.objects.create(name=name, kind=kind, **kw)

    return {
        "facebook": make("Facebook · Ayuntamiento", ChannelKind.FACEBOOK_PAGE, external_id="111"),
        "x": make("X · @Lauramaliagm", ChannelKind.X),
        "wordpress": make(
            "Portal", ChannelKind.WORDPRESS, base_url="https://www.chapultepec.gob.mx/"
        ),
        "manual": make("WhatsApp", ChannelKind.MANUAL),
    }


@pytest.fixture
def make_publication(db, accounts, jorge, mariana):
    """`make_publication(step="programada", channels=("facebook",), minutes=-1)`."""
    from pregon.publishing import services

    def make(
        step="programada",
        channels=("facebook",),
        minutes=-1,
        text="Hoy inauguramos el pozo de agua en San Miguel.",
    ):
        when = timezone.now() + timedelta(minutes=minutes)
        publication = services.publication_create(
            author=jorge,
            title="Inauguración del pozo",
            text=text,
            variants={accounts[c].pk: {"text": ""} for c in channels},
        )
        if step == "borrador":
            return publication
        publication = services.publication_submit(publication=publication, user=jorge)
        if step == "en_revision":
            return publication
        publication = services.publication_approve(publication=publication, user=mariana)
        if step == "aprobada":
            return publication
        # Scheduling in the past is what "due now" looks like to the engine.
        services.publication_schedule(
            publication=publication, user=mariana, when=timezone.now() + timedelta(hours=1)
        )
        from pregon.publishing.models import Delivery

        Delivery.objects.filter(variant__publication=publication).update(scheduled_at=when)
        publication.refresh_from_db()
        return publication

    return make


WP_PASSWORD = "abcd EFGH 1234 ijkl MNOP 5678"


@dataclass
class Networks:
    graph: object
    x: object
    wp: object
    accounts: dict


@pytest.fixture
def networks(transactional_db, settings):
    """The four real connectors, each against its fake server on 127.0.0.1."""
    from pregon.publishing.models import ChannelAccount, ChannelKind
    from tests.publishing.fakes import GraphFake, WordPressFake, XFake

    settings.PREGON_CHANNEL_TIMEOUT = 2
    with GraphFake() as graph, XFake() as x, WordPressFake() as wp:
        graph.add_page("111", "H. Ayuntamiento de Chapultepec", token="page-token")
        graph.add_instagram("178", "lauraamaliag", token="ig-token")
        graph.fetch_images = True
        x.add_user("42", "Lauramaliagm", access_token="at-1", refresh_token="rt-1")
        wp.add_user("comunicacion", WP_PASSWORD)
        specs = {
            "facebook": (
                ChannelKind.FACEBOOK_PAGE,
                "111",
                graph.url,
                {"access_token": "page-token"},
            ),
            "instagram": (ChannelKind.INSTAGRAM, "178", graph.url, {"access_token": "ig-token"}),
            "x": (
                ChannelKind.X,
                "42",
                x.url,
                {"access_token": "at-1", "refresh_token": "rt-1", "client_id": "pregon"},
            ),
            "wordpress": (
                ChannelKind.WORDPRESS,
                "",
                wp.url,
                {"username": "comunicacion", "application_password": WP_PASSWORD},
            ),
        }
        accounts = {
            key: ChannelAccount.objects.create(
                name=f"Fake {key}",
                kind=kind,
                external_id=ext,
                base_url=url,
                credentials=json.dumps(creds),
            )
            for key, (kind, ext, url, creds) in specs.items()
        }
        yield Networks(graph, x, wp, accounts)


def jpeg_bytes(width: int = 1080, height: int = 1350) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (20, 80, 140)).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def make_clip(path, seconds: int = 2, location: str = ""):
    """A real, small video written with PyAV (MPEG-4 part 2, 320×240, 10 fps). With a
    location it is a QuickTime file carrying the ©xyz atom, as phones write it."""
    import av
    from PIL import Image

    with av.open(str(path), "w", format="mov" if location else None) as out:
        if location:
            out.metadata["location"] = location
        stream = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        for i in range(seconds * 10):
            frame = av.VideoFrame.from_image(Image.new("RGB", (320, 240), (i * 3, 90, 160)))
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


E2E_TEXT = "Feria de la salud en el jardín municipal este sábado #Chapultepec"


@pytest.fixture
def publish(networks, jorge, mariana, settings, live_server):
    """`publish("facebook", "x", image=True, images=2)`: a publication scheduled a second ago
    on those fake networks (Instagram fetches the image from the live server)."""
    from pregon.publishing import services
    from tests.publishing.faults_support import approve_and_schedule, photo_add

    settings.PREGON_PUBLIC_URL = live_server.url

    def make(*keys: str, image: bool = False, text: str = E2E_TEXT, images: int = 1):
        publication = services.publication_create(
            author=jorge, title="Feria de la salud", text=text, category="salud"
        )
        media_ids = []
        for n in range(images if image else 0):
            jpeg = jpeg_bytes(1080 - n)  # another photo, not the same bytes again
            alt_text = f"Módulos de salud {n + 1}" if n else "Módulos de salud"
            media_ids.append(photo_add(publication, jorge, alt_text, f"feria-{n}.jpg", jpeg).pk)
        variants = {networks.accounts[k].pk: {"text": "", "media": media_ids} for k in keys}
        approve_and_schedule(publication, variants, author=jorge, approver=mariana)
        return publication

    return make
