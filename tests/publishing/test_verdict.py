"""One verdict for «may this go out?»: the network's limits (from its package) and
compliance in one `Verdict`, read the same way by the composer, approval, scheduling
and delivery; the link rule decided once for X; design contributing through a hook."""

from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pregon.archive.models import Asset
from pregon.archive.services import asset_ingest
from pregon.design.selectors import drawn_pieces
from pregon.publishing import rules, services, verdict
from pregon.publishing.channels import registry
from pregon.publishing.channels.base import AccountConfig, OutgoingPost
from pregon.publishing.channels.limits import MediaInfo
from pregon.publishing.channels.preview import Sketch
from pregon.publishing.channels.x import connector as x_connector
from pregon.publishing.channels.x import preview as x_preview
from tests.publishing.conftest import jpeg_bytes

LINK = "https://www.chapultepec.gob.mx/avisos/feria-de-la-salud"
ROOT = Path(__file__).resolve().parents[2]


def photo(alt: str = "") -> verdict.Item:
    return verdict.Item(MediaInfo("image/jpeg", 1080, 1350, 200_000, alt_text=alt))


def test_network_limits_and_compliance_in_one_verdict(db):
    facts = verdict.Facts("x", "a" * 300, items=[photo()], category="salud")
    found = verdict.check(facts, timezone.now())
    assert found.blocked
    rules_hit = {rule for rule, _, _ in found.entries()}
    assert {verdict.NETWORK, "texto_alternativo"} <= rules_hit
    assert verdict.network_problems(found)[0].startswith("X: el texto mide 300")
    # What compliance records is the same verdict without the network's limits.
    recorded = verdict.compliance_part(found)
    assert verdict.NETWORK not in recorded.rules and "texto_alternativo" in recorded.rules
    assert recorded.blocked


def test_the_composer_check_asks_only_the_network(db):
    facts = verdict.Facts("x", "Hola", items=[photo()])
    only_network = verdict.check(facts, timezone.now(), compliance=False)
    # Alt text is also a network rule (every network prefixes it with its name).
    assert verdict.network_problems(only_network) == [
        "X: La imagen 1 no tiene texto alternativo (descripción para lectores de pantalla)."
    ]
    assert set(only_network.rules) == {verdict.NETWORK}


def test_a_saved_variant_and_the_composer_get_the_same_answer(make_publication):
    publication = make_publication(step="borrador", channels=("x",), text="b" * 281)
    variant = publication.variants.get()
    saved = verdict.check_variant(variant, timezone.now(), compliance=False)
    typed = verdict.check(verdict.Facts("x", "b" * 281), timezone.now(), compliance=False)
    assert verdict.network_problems(saved) == verdict.network_problems(typed)


def test_x_link_already_in_the_text_counts_once_everywhere():
    text = f"Feria de la salud: {LINK}"
    network = registry.networks()["x"]
    assert network.text_with_link(text, LINK) == text
    assert network.text_with_link("Feria", LINK) == f"Feria {LINK}"
    # The limits count it once: 19 characters + the link as 23.
    within = "a" * (280 - 23 - 1)
    assert rules.validate_variant("x", f"{within} {LINK}", [], link=LINK) == []
    # The preview shows it once, and the connector sends it once.
    shown = x_preview.build(Sketch("x", text, LINK))
    assert shown.counter == "42 de 280 caracteres ponderados"
    channel = x_connector.XChannel(AccountConfig("x"))
    assert channel._text(OutgoingPost(text, link=LINK)) == text


def test_design_contributes_through_the_hook_and_publishing_never_imports_design():
    assert drawn_pieces in verdict._design_sources
    publishing = ROOT / "pregon" / "publishing"
    importing = [
        str(path.relative_to(ROOT))
        for path in publishing.rglob("*.py")
        if "pregon.design" in path.read_text(encoding="utf-8")
    ]
    assert importing == []


def test_usage_rights_that_ended_after_attaching_stop_approval(make_publication, tmp_path):
    """The archive decides about rights (archive.public.rights_problem); the verdict
    asks it, so approval refuses before the delivery would fail."""
    publication = make_publication(step="borrador", channels=("facebook",))
    upload = SimpleUploadedFile("feria.jpg", jpeg_bytes(), content_type="image/jpeg")
    asset = asset_ingest(file_path_or_uploaded_file=upload, original_name="feria.jpg")
    services.media_attach_asset(publication=publication, asset=asset, alt_text="Feria")
    variant = publication.variants.get()
    variant.media.set(publication.media.all())
    assert "derechos" not in verdict.check_variant(variant, timezone.now()).rules
    Asset.objects.filter(pk=asset.pk).update(
        rights="vence", rights_expires_on=timezone.localdate() - timedelta(days=1)
    )
    found = verdict.check_variant(variant, timezone.now())
    assert found.blocked and "derechos" in found.rules
    assert "no permiten publicarlo" in found.message
