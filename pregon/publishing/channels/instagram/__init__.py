"""Instagram (professional account linked to a Facebook Page): Graph API containers.
Meta downloads every image and video from our public address."""

from pathlib import Path

from pregon.publishing.channels.instagram import analytics, limits, preview
from pregon.publishing.channels.instagram.connector import InstagramChannel
from pregon.publishing.channels.network import DemoAccount, Network

NETWORK = Network(
    kind="instagram",
    label="Instagram",
    name="Instagram",
    connector=InstagramChannel,
    folder=Path(__file__).parent,
    rules=limits.check,
    preview=preview.build,
    insights=analytics.INSIGHTS,
    csv_layouts=(analytics.EXPORT,),
    audience=analytics.AUDIENCE,
    connect_url="publishing:connect_meta",
    connect_module="pregon.publishing.channels.facebook.connect",
    meta_permissions=("instagram_basic", "instagram_content_publish"),
    needs_public_url=True,
    needs_media=True,
    demo_accounts=(DemoAccount("Instagram · @lauraamaliag", "@lauraamaliag"),),
)

__all__ = ["NETWORK", "InstagramChannel"]
