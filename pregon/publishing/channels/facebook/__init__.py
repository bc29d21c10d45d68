"""Facebook Pages: Graph API feed, photos and videos."""

from pathlib import Path

from pregon.publishing.channels.facebook import analytics, limits, preview
from pregon.publishing.channels.facebook.connector import FacebookPageChannel
from pregon.publishing.channels.network import DemoAccount, Network

NETWORK = Network(
    kind="facebook_page",
    label="Página de Facebook",
    name="Facebook",
    connector=FacebookPageChannel,
    folder=Path(__file__).parent,
    rules=limits.check,
    preview=preview.build,
    insights=analytics.INSIGHTS,
    csv_layouts=(analytics.EXPORT,),
    audience=analytics.AUDIENCE,
    connect_url="publishing:connect_meta",
    connect_module="pregon.publishing.channels.facebook.connect",
    meta_permissions=("pages_manage_posts", "pages_read_engagement"),
    live=True,  # live.py: scheduled live videos
    demo_accounts=(
        DemoAccount(
            "Facebook · H. Ayuntamiento de Chapultepec 2022-2024",
            "AyuntamientoChapultepec",
            institutional=True,
        ),
        DemoAccount("Facebook · Laura Amalia González Martínez", "LauraAmaliaGonzalezM"),
    ),
)

__all__ = ["NETWORK", "FacebookPageChannel"]
