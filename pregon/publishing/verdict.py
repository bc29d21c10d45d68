"""«May this go out?» — one answer for a channel's variant at a moment.

`check_variant(variant, when)` is the verdict approve, schedule, delivery and the
review page read; the composer asks `check(facts, when)` with what the page holds
before anything is saved. Both combine, in one `Verdict`:

- the network's rules, from its package (lengths, media, the link inside the text or
  not, a public address it downloads from) under the rule code NETWORK;
- compliance (pregon.compliance): veda and personal promotion (over the text, the
  people pictured and the words a design draws), the report window;
- accessibility: alt text, video subtitles, the contrast of a design;
- the archive's minors flag and usage rights (the archive's `rights_problem`).

Design contributes the pieces it drew through `register_design_source` (called from
design's AppConfig.ready): publishing never imports design.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.conf import settings

from pregon.archive.public import rights_problem
from pregon.compliance.rules import (
    check_alt_text,
    check_contrast,
    check_minors,
    check_publication,
    check_report_window,
    check_video_captions,
)
from pregon.compliance.verdict import BLOCK, FLAG, OK, Verdict, block, combine
from pregon.publishing import rules
from pregon.publishing.channels.limits import MediaInfo
from pregon.publishing.channels.network import no_public_url
from pregon.publishing.channels.registry import networks
from pregon.publishing.models import PublicationMedia, Variant

NETWORK = "red"  # the rule code of a network's own limits inside a verdict


@dataclass(frozen=True)
class DrawnPiece:
    """A design drawn on an archived image: the words it prints, its contrast."""

    asset_id: int
    texts: tuple[str, ...] = ()
    contrast_ratio: float | None = None


_design_sources: list[Callable[[list[int]], list[DrawnPiece]]] = []


def register_design_source(source: Callable[[list[int]], list[DrawnPiece]]) -> None:
    """Design registers the function that finds the pieces drawn on these assets."""
    if source not in _design_sources:
        _design_sources.append(source)


def drawn_pieces(asset_ids: list[int]) -> list[DrawnPiece]:
    if not asset_ids:
        return []
    return [piece for source in _design_sources for piece in source(asset_ids)]


@dataclass
class Item:
    """One photo or video as it goes out, with what the archive knows about it."""

    info: MediaInfo  # shape and the alt text this channel uses
    is_video: bool = False
    asset_id: int | None = None
    name: str = ""
    people: tuple[str, ...] = ()
    contains_minors: bool = False
    minors_consent: bool = False
    has_captions: bool = False
    no_captions_reason: str = ""
    rights_problem: str = ""  # the archive's word on its usage rights ("" = allowed)


@dataclass
class Facts:
    """Everything the verdict looks at, as plain values."""

    kind: str
    text: str
    link: str = ""
    items: list[Item] = field(default_factory=list)
    category: str = ""
    institutional: bool = True
    about_report: bool = False


def check(facts: Facts, when: datetime, *, compliance: bool = True) -> Verdict:
    """The verdict; `compliance=False` asks only the network's rules (what the composer
    shows on every keystroke, without the database lookups compliance needs). Asked
    together, a missing alt text is said once, by compliance's rule (which covers the
    manual channels too), not again by the network's list."""
    problems = network_problems_of(facts, alt_text=not compliance)
    verdicts = [block(message, NETWORK) for message in problems]
    if compliance:
        verdicts += _compliance(facts, when)
    return combine(*verdicts)


def network_problems_of(facts: Facts, *, alt_text: bool = True) -> list[str]:
    problems = []
    network = networks().get(facts.kind)
    # The network downloads the media from our public address: a text alone needs none.
    if network and network.needs_public_url and facts.items and not settings.PREGON_PUBLIC_URL:
        problems.append(no_public_url(network))
    if not facts.text.strip():
        problems.append("El texto está vacío.")
    media = [item.info for item in facts.items]
    return problems + rules.validate_variant(
        facts.kind, facts.text, media, link=facts.link, require_alt_text=alt_text
    )


def _compliance(facts: Facts, when: datetime) -> list[Verdict]:
    archived = [item for item in facts.items if item.asset_id is not None]
    asset_ids = [item.asset_id for item in archived if item.asset_id is not None]
    pieces = drawn_pieces(list(dict.fromkeys(asset_ids)))
    # Pictured people count as named; words drawn on a design count as written.
    pictured = [person for item in archived for person in item.people]
    drawn = [text for piece in pieces for text in piece.texts]
    text = "\n".join([facts.text, *pictured, *drawn])
    checks = [
        check_publication(facts.category, when, text, facts.institutional),
        check_alt_text([item.info.alt_text for item in facts.items if not item.is_video]),
    ]
    if facts.about_report:
        checks.append(check_report_window(when))
    for item in archived:
        checks.append(check_minors(item.contains_minors, item.minors_consent, False))
        if item.rights_problem:
            checks.append(block(f"«{item.name}»: {item.rights_problem}", "derechos"))
        if item.is_video:
            checks.append(
                check_video_captions(item.has_captions, item.no_captions_reason, item.name)
            )
    ratios = {p.contrast_ratio for p in pieces if p.contrast_ratio is not None}
    checks.extend(check_contrast(ratio) for ratio in sorted(ratios))
    return checks


# --- from the models ------------------------------------------------------------------


def effective_text(variant: Variant) -> str:
    return variant.text.strip() or variant.publication.text


def media_info(media: PublicationMedia, alt_text: str | None = None) -> MediaInfo:
    return MediaInfo(
        mime_type=media.sent_mime_type,
        width=media.width,
        height=media.height,
        size_bytes=media.size_bytes,
        alt_text=media.alt_text if alt_text is None else alt_text,
        duration=media.duration,
    )


def item_of(media: PublicationMedia, alt_text: str | None = None) -> Item:
    item = Item(media_info(media, alt_text), is_video=media.is_video)
    asset = media.asset
    if asset is not None:  # archive assets carry people, the minors flag and captions
        item.asset_id, item.name = asset.pk, str(asset)
        item.people = tuple(str(person) for person in (asset.people or []))
        item.contains_minors, item.minors_consent = asset.contains_minors, asset.minors_consent
        item.has_captions = bool(asset.captions)
        item.no_captions_reason = asset.no_captions_reason
        item.rights_problem = rights_problem(asset)
    return item


def facts_of(variant: Variant) -> Facts:
    publication = variant.publication
    media = variant.media_with_assets()
    return Facts(
        kind=variant.account.kind,
        text=effective_text(variant),
        link=publication.link,
        items=[item_of(m, variant.alt_text_for(m)) for m in media],
        category=publication.category,
        institutional=variant.account.is_institutional,
        about_report=publication.about_report,
    )


def check_variant(variant: Variant, when: datetime, *, compliance: bool = True) -> Verdict:
    """«May this variant go out at `when`?»"""
    return check(facts_of(variant), when, compliance=compliance)


# --- at submit ------------------------------------------------------------------------

# What a submission to review is refused by: what the text and the media break whatever
# the date. Veda, personal promotion and the report window depend on when it goes out,
# which Coordinación settles at approval (and schedule and delivery ask again).
AT_SUBMIT = frozenset(
    {NETWORK, "texto_alternativo", "subtitulos", "contraste", "menores", "derechos"}
)

# Where a person fixes it, by rule: the composer's field.
FIELDS = {
    "texto_alternativo": "texto alternativo de las imágenes",
    "subtitulos": "videos",
    "contraste": "diseño de la imagen",
    "menores": "imágenes",
    "derechos": "imágenes y videos",
}


@dataclass(frozen=True)
class Problem:
    """One refusal a person can act on: the channel, the field to fix and what is wrong."""

    channel: str
    field: str
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.channel} — {self.field}: {self.message}"


def check_submit(variant: Variant, when: datetime) -> Verdict:
    """The part of the verdict a submission to review must pass (AT_SUBMIT)."""
    return _only(check_variant(variant, when), lambda rule: rule in AT_SUBMIT)


def submit_problems(variants: Iterable[Variant], when: datetime) -> list[Problem]:
    """What stops these variants from going to review, each with its channel and field."""
    return [
        Problem(variant.account.name, field_of(rule, message), message, rule)
        for variant in variants
        for rule, level, message in check_submit(variant, when).entries()
        if level == BLOCK
    ]


def field_of(rule: str, message: str) -> str:
    """The composer's field a message is about. The networks' own messages name what
    they measure (el texto, la imagen 2, el título), so their words tell the field."""
    if rule != NETWORK:
        return FIELDS.get(rule, "publicación")
    lowered = message.lower()
    if "pregon_public_url" in lowered:
        return "configuración de la instalación (PREGON_PUBLIC_URL)"
    if "título" in lowered:
        return "título"
    if "texto alternativo" in lowered:
        return FIELDS["texto_alternativo"]
    about_text = any(word in lowered for word in ("texto", "mensaje", "hashtag", "enlace"))
    about_media = any(
        word in lowered for word in ("imagen", "imágenes", "video", "foto", "carrusel")
    )
    if about_text and about_media:
        return "texto e imágenes"
    return "imágenes y videos" if about_media else "texto"


# --- reading a verdict ----------------------------------------------------------------


def network_problems(verdict: Verdict) -> list[str]:
    """The network's own refusals, in order."""
    return [message for rule, _, message in verdict.entries() if rule == NETWORK]


def compliance_part(verdict: Verdict) -> Verdict:
    """The verdict without the network's limits (what compliance records)."""
    if NETWORK not in verdict.rules:
        return verdict
    return _only(verdict, lambda rule: rule != NETWORK)


def _only(verdict: Verdict, keep: Callable[[str], bool]) -> Verdict:
    entries = [entry for entry in verdict.entries() if keep(entry[0])]
    levels = tuple(level for _, level, _ in entries)
    severity = max(levels, key=[OK, FLAG, BLOCK].index) if levels else OK
    return replace(
        verdict,
        severity=severity,
        rules=tuple(rule for rule, _, _ in entries),
        levels=levels,
        messages=tuple(message for _, _, message in entries),
    )
