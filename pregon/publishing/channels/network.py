"""What a network is to Pregón: one `Network` value per package under channels/.

Each package (channels/<network>/__init__.py) defines `NETWORK`; registry.py lists the
packages. Everything that depends on the network — the connector, its limits, whether
the link goes inside the text, whether it needs a public URL or a person, the preview,
the insights and CSV layouts, the demo account — is read from here, never decided by
an `if kind == ...` elsewhere.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pregon.publishing.channels.base import Channel
from pregon.publishing.channels.limits import Draft
from pregon.publishing.channels.preview import Preview, Sketch, plain


def text_only(text: str, link: str) -> str:
    """Most networks carry the link beside the text (a link card, a field)."""
    return text


def link_appended(text: str, link: str) -> str:
    """Networks without a link field carry it inside the text, appended unless the
    text already holds it. One rule for the connector, the limits and the preview."""
    if link and link not in text:
        return f"{text} {link}".strip()
    return text


def no_rules(draft: Draft) -> list[str]:
    return []


@dataclass(frozen=True)
class DemoAccount:
    """An account the demo data creates for this network."""

    name: str
    handle: str
    institutional: bool = False
    base_url: str = ""


@dataclass(frozen=True)
class CsvLayout:
    """A post-metrics export people download from the network (analytics imports it)."""

    name: str
    label: str
    kind: str  # the network's kind: accounts this layout describes
    columns: dict[str, tuple[str, ...]]  # field -> accepted header names
    required: tuple[str, ...]
    sums: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field -> fields added
    handle_pattern: re.Pattern | None = None  # finds the account's handle in a permalink


@dataclass(frozen=True)
class InsightsSpec:
    """What to ask the network's insights API (Graph API) for, per account and day."""

    metrics: dict[str, str]  # metric name -> AccountMetric field
    total_value: frozenset[str] = frozenset()  # only offered with metric_type=total_value
    followers_field: str = ""  # the account's follower total, read as a field
    post_metric: str = ""  # per-post reach, read for the last four weeks' posts


@dataclass(frozen=True)
class AudienceSpec:
    """One audience breakdown (age, gender, city) the network's insights API offers,
    or one it retired (then `retired` says so, for the page to show instead of zeros)."""

    metric: str
    breakdown: str
    params: tuple[tuple[str, str], ...] = ()  # the query beside metric=
    retired: str = ""


@dataclass(frozen=True)
class Network:
    kind: str  # the value stored in ChannelAccount.kind: never change it
    label: str  # what forms show («Página de Facebook»)
    name: str  # the short name that prefixes messages («Facebook: …»)
    connector: type[Channel]
    folder: Path  # the package's folder: its preview.html lives there
    rules: Callable[[Draft], list[str]] = no_rules
    preview: Callable[[Sketch], Preview] = plain
    text_with_link: Callable[[str, str], str] = text_only
    needs_public_url: bool = False  # the network downloads media from our public address
    needs_media: bool = False  # a post needs an image or a video (text alone is refused)
    # How a long text (a press release) is carried: "article" (whole, with a title),
    # "short" (a headline; the link goes with it), "post" (a summary and the link).
    shape: str = "post"
    connect_url: str = ""  # the URL name of its «Conectar» flow (none: a form is enough)
    # The button's words on the Canales page (default «Conectar con <name>»); networks
    # that share a flow (Facebook and Instagram) show one button, the first one's.
    connect_label: str = ""
    # The module of that flow (set-up status, views and their `urlpatterns`), imported
    # only when the set-up page or the URLs need it: it uses the publishing services.
    connect_module: str = ""
    # Meta's permissions a token must hold: the daily token check asks Meta's debug_token.
    meta_permissions: tuple[str, ...] = ()
    demo_accounts: tuple[DemoAccount, ...] = ()
    insights: InsightsSpec | None = None  # daily figures analytics reads from the API
    csv_layouts: tuple[CsvLayout, ...] = ()  # post exports analytics imports
    audience: tuple[AudienceSpec, ...] = ()  # who follows: breakdowns analytics stores
    # The connector's daily_figures() gives the day's numbers (networks whose statistics
    # API is not Meta's insights, which `insights` describes).
    figures: bool = False
    # The connector schedules live broadcasts (live_schedule() and the rest, live.py).
    live: bool = False

    @property
    def needs_person(self) -> bool:
        """Never sent by the engine: a person publishes it and marks it published."""
        return self.connector.needs_person

    @property
    def preview_template(self) -> str:
        return f"networks/{self.kind}/preview.html"


def no_public_url(network: Network) -> str:
    return (
        f"{network.name} descarga las imágenes desde una dirección pública y PREGON_PUBLIC_URL "
        f"no está configurada: no se puede publicar en {network.name} desde esta instalación."
    )
