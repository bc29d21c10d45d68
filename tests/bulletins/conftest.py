"""Bulletin fixtures: a real SMTP server on loopback, a photo in the archive (with GPS
in its EXIF), bulletins in each state, press lists."""

import io
import socket
import threading
from datetime import date

import pytest
from PIL import Image


class Inbox:
    """What the local SMTP server received: one entry per RCPT per message."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.mail_options: list[list[str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
            self.mail_options.append(list(envelope.mail_options))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self.lock:
            return [r for rcpts, _ in self.messages for r in rcpts]

    def parsed(self) -> list:
        from email import message_from_bytes, policy

        with self.lock:
            return [message_from_bytes(raw, policy=policy.default) for _, raw in self.messages]


def _smtp_server(settings, **smtp_parameters):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    # aiosmtpd's start() probes the configured port, so it cannot be 0: ask the OS for
    # a free one first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **smtp_parameters)
    controller.start()
    settings.EMAIL_BACKEND = "pregon.core.mail.InternationalEmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.PREGON_PRESS_THROTTLE_SECONDS = 0
    return inbox, controller


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 (port chosen by the OS); Django sends to it.
    Like many servers it does not offer SMTPUTF8 (aiosmtpd's Controller would)."""
    inbox, controller = _smtp_server(settings, enable_SMTPUTF8=False)
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_utf8(settings):
    """The same, offering SMTPUTF8 (RFC 6531) as modern servers do."""
    inbox, controller = _smtp_server(settings, enable_SMTPUTF8=True)
    yield inbox
    controller.stop()


def jpeg_with_gps(width: int = 1200, height: int = 800) -> bytes:
    image = Image.new("RGB", (width, height), (30, 90, 160))
    for x in range(0, width, 40):
        image.paste((200, 180, 40), (x, 0, x + 20, height))
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (19.0, 17.0, 3.0), 3: "W", 4: (99.0, 36.0, 5.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


@pytest.fixture
def photo_asset(db, tmp_path):
    from pregon.archive.services import asset_ingest

    path = tmp_path / "cabildo.jpg"
    path.write_bytes(jpeg_with_gps())
    asset = asset_ingest(file_path_or_uploaded_file=path, original_name="cabildo.jpg")
    asset.caption = "La Presidenta Municipal encabeza la sesión"
    asset.credit = "Unidad de Comunicación Social"
    asset.alt_text = "Integrantes del cabildo en el salón de sesiones"
    asset.save()
    return asset


@pytest.fixture
def make_bulletin(db, jorge):
    from pregon.bulletins import services

    def make(title: str = "Rehabilitan la calle Independencia", **fields):
        values = {
            "kind": "boletin",
            "dated": date(2023, 8, 5),
            "balazos": ["Se invirtieron 2.3 millones de pesos", "Beneficia a 4 mil habitantes"],
            "body": "<p>La Presidenta Municipal entregó la obra.</p><p>Segundo párrafo.</p>",
            "press_contact": "Unidad de Comunicación Social, (722) 263 0855",
            "category": "obra_publica",
        } | fields
        return services.bulletin_create(author=jorge, title=title, **values)

    return make


@pytest.fixture
def approved_bulletin(make_bulletin, jorge, mariana):
    from pregon.bulletins import services

    def make(title: str = "Rehabilitan la calle Independencia", **fields):
        bulletin = make_bulletin(title, **fields)
        services.bulletin_submit(bulletin=bulletin, user=jorge)
        return services.bulletin_approve(bulletin=bulletin, user=mariana)

    return make


@pytest.fixture
def press_list(db):
    from pregon.bulletins.models import MediaContact, MediaList

    def make(name: str = "Medios locales", count: int = 5):
        media_list = MediaList.objects.create(name=name)
        for i in range(count):
            contact = MediaContact.objects.create(
                outlet=f"Diario {i}",
                person=f"Periodista {i}",
                email=f"periodista{i}@{name.split()[0].lower()}.example",
            )
            contact.lists.add(media_list)
        return media_list

    return make
