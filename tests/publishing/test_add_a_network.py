"""Adding a network is one folder and one registry line: a throw-away network
(«Paloma», a carrier-pigeon messaging service) written into a temporary package,
registered through PREGON_EXTRA_NETWORKS, shows up everywhere a network does: the
account form's choices, the composer's live check and preview, approval, and the
engine's delivery through its connector to a fake Paloma server on 127.0.0.1.

The files below are what README's «Añadir una red» walks through."""

import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from pregon.publishing import engine, services
from pregon.publishing.channels import get_channel, registry
from pregon.publishing.channels.base import AccountConfig
from pregon.publishing.forms import ChannelAccountForm
from pregon.publishing.models import ChannelAccount, Delivery, DeliveryStatus
from tests.publishing.fakes.server import Answer, FakeServer, Recorded

PACKAGE = "paloma_net"

FILES = {
    "__init__.py": '''
        """Paloma: short messages carried by pigeon (a network made up for this test)."""

        from pathlib import Path

        from paloma_net import limits
        from paloma_net.connector import PalomaChannel
        from pregon.publishing.channels.network import DemoAccount, Network, link_appended
        from pregon.publishing.channels.preview import Preview, Sketch


        def preview(sketch: Sketch) -> Preview:
            text = link_appended(sketch.text, sketch.link)
            return Preview(sketch.kind, text=text, counter=f"{len(text)} de {limits.MAX_TEXT}")


        NETWORK = Network(
            kind="paloma",
            label="Paloma mensajera",
            name="Paloma",
            connector=PalomaChannel,
            folder=Path(__file__).parent,
            rules=limits.check,
            preview=preview,
            text_with_link=link_appended,
            demo_accounts=(DemoAccount("Paloma · Palacio", "palacio"),),
        )
    ''',
    "limits.py": """
        from pregon.publishing.channels.limits import Draft

        MAX_TEXT = 60


        def check(draft: Draft) -> list[str]:
            messages = []
            if len(draft.text) > MAX_TEXT:
                messages.append(
                    f"Paloma: el mensaje mide {len(draft.text)} caracteres; "
                    f"una paloma lleva {MAX_TEXT}."
                )
            if draft.media:
                messages.append("Paloma: no lleva imágenes.")
            return messages
    """,
    "connector.py": """
        from pregon.publishing.channels.base import Channel, OutgoingPost, PostResult
        from pregon.publishing.channels.http import HttpClient, generic_error, json_or_empty
        from pregon.publishing.channels.network import link_appended


        class PalomaChannel(Channel):
            kind = "paloma"

            def _http(self) -> HttpClient:
                return HttpClient(self.account.base_url, on_attempt=self.on_attempt)

            def publish(self, post: OutgoingPost) -> PostResult:
                body = {"text": link_appended(post.text, post.link), "ref": post.reference}
                response = self._http().request("POST", "/v1/messages", json=body)
                if response.status_code != 201:
                    raise generic_error(response, "Paloma", "No se envió")
                message_id = json_or_empty(response)["id"]
                return PostResult(message_id, f"https://paloma.example/m/{message_id}")

            def test_connection(self) -> str:
                return "Paloma: palomar listo."
    """,
    "preview.html": """
        <p class="pv-text" data-testid="paloma-preview">
        Paloma lleva: {{ v.text }} ({{ v.counter }})</p>
    """,
}


class PalomaFake(FakeServer):
    """The made-up Paloma API: POST /v1/messages {"text"} → 201 {"id"}; 60 characters."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: dict[str, dict] = {}

    def route(self, request: Recorded) -> Answer:
        if request.method == "POST" and request.path == "/v1/messages":
            text = request.json.get("text", "")
            if len(text) > 60:
                return Answer(400, {"error": "too long"})
            self._counter += 1
            self.messages[str(self._counter)] = request.json
            return Answer(201, {"id": str(self._counter)})
        return Answer(404, {"error": "not found"})


@pytest.fixture
def paloma(tmp_path: Path, settings):
    folder = tmp_path / PACKAGE
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip())
    sys.path.insert(0, str(tmp_path))
    settings.PREGON_EXTRA_NETWORKS = [PACKAGE]  # the registry line
    yield registry.networks()["paloma"]
    sys.path.remove(str(tmp_path))
    for module in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[module]


@pytest.fixture
def fake_paloma():
    with PalomaFake() as fake:
        yield fake


@pytest.fixture
def account(db, paloma, fake_paloma) -> ChannelAccount:
    return ChannelAccount.objects.create(
        name="Paloma · Palacio", kind="paloma", base_url=fake_paloma.url
    )


def test_the_choices_and_the_account_form_offer_it(paloma, db):
    field = ChannelAccount._meta.get_field("kind")
    assert ("paloma", "Paloma mensajera") in field.choices
    form = ChannelAccountForm(
        data={"name": "Paloma · Palacio", "kind": "paloma", "state": "activa"}
    )
    assert form.is_valid(), form.errors
    assert form.save().get_kind_display() == "Paloma mensajera"
    assert isinstance(get_channel(AccountConfig("paloma")), paloma.connector)


def test_the_composer_checks_it_live_and_draws_its_preview(client, jorge, account):
    client.force_login(jorge)
    data = {"text": "Sesión de cabildo hoy", "link": "https://a.mx/c", f"channel_{account.pk}": "1"}
    body = client.post(reverse("publishing:compose_check"), data).content.decode()
    assert "Cumple las reglas de Paloma mensajera" in body
    # Its own preview.html, from its own folder, with the link inside the text.
    assert 'data-testid="paloma-preview"' in body
    assert "Paloma lleva: Sesión de cabildo hoy https://a.mx/c (36 de 60)" in body
    data["text"] = "Sesión ordinaria de cabildo: orden del día y transmisión en vivo"
    body = client.post(reverse("publishing:compose_check"), data).content.decode()
    assert "Paloma: el mensaje mide 79 caracteres; una paloma lleva 60." in body
    page = client.get(reverse("publishing:create")).content.decode()
    assert "Paloma · Palacio" in page and "Paloma mensajera" in page


LONG = "Sesión ordinaria de cabildo: orden del día y transmisión en vivo"


def test_submit_refuses_what_its_rules_refuse(account, jorge):
    publication = services.publication_create(
        author=jorge, title="Cabildo", text=LONG, variants={account.pk: {"text": ""}}
    )
    with pytest.raises(services.SubmitRefused) as refused:
        services.publication_submit(publication=publication, user=jorge)
    assert refused.value.messages == [
        "No se puede enviar a revisión.",
        "Paloma · Palacio — texto: Paloma: el mensaje mide 64 caracteres; una paloma lleva 60.",
    ]
    publication.refresh_from_db()
    assert publication.status == "borrador"


def test_approval_refuses_what_its_rules_refuse(account, jorge, mariana):
    """Submitted within its limits, lengthened during review: approval asks again."""
    publication = services.publication_create(
        author=jorge, title="Cabildo", text="Cabildo hoy", variants={account.pk: {"text": ""}}
    )
    publication = services.publication_submit(publication=publication, user=jorge)
    publication = services.publication_update(publication=publication, user=jorge, text=LONG)
    assert publication.status == "en_revision"
    with pytest.raises(ValidationError) as refused:
        services.publication_approve(publication=publication, user=mariana)
    assert "Paloma · Palacio: Paloma: el mensaje mide 64 caracteres" in str(refused.value)


def test_the_engine_delivers_it_through_its_connector(account, jorge, mariana, fake_paloma):
    publication = services.publication_create(
        author=jorge, title="Cabildo", text="Cabildo hoy a las 18 h", variants={account.pk: {}}
    )
    publication = services.publication_submit(publication=publication, user=jorge)
    publication = services.publication_approve(publication=publication, user=mariana)
    services.publication_schedule(publication=publication, user=mariana, when=timezone.now())
    delivery = Delivery.objects.get(variant__publication=publication)
    assert engine.deliver(delivery.pk, engine.new_worker_id()) == "publicada"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PUBLICADA
    assert fake_paloma.messages[delivery.remote_id]["text"] == "Cabildo hoy a las 18 h"
    assert delivery.remote_url == f"https://paloma.example/m/{delivery.remote_id}"


def test_a_network_template_name_reaches_only_its_folder(paloma):
    assert "Paloma lleva" in get_template("networks/paloma/preview.html").template.source
    for name in ("networks/paloma/../x/preview.html", "networks/nadie/preview.html"):
        with pytest.raises(TemplateDoesNotExist):
            get_template(name)
