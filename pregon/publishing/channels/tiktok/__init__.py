"""TikTok: Content Posting API (direct post, or the creator's inbox for apps TikTok has
not audited), Login Kit v2 with rotating refresh tokens, figures from the Display API."""

from pathlib import Path

from pregon.publishing.channels.network import DemoAccount, Network
from pregon.publishing.channels.tiktok import limits, preview
from pregon.publishing.channels.tiktok.connector import TikTokChannel

NETWORK = Network(
    kind="tiktok",
    label="TikTok",
    name="TikTok",
    connector=TikTokChannel,
    folder=Path(__file__).parent,
    rules=limits.check,
    preview=preview.build,
    shape="short",
    connect_url="publishing:connect_tiktok",
    connect_module="pregon.publishing.channels.tiktok.connect",
    needs_public_url=True,
    needs_media=True,
    figures=True,
    demo_accounts=(DemoAccount("TikTok · @gobchapultepec", "@gobchapultepec"),),
)

__all__ = ["NETWORK", "TikTokChannel"]
