"""YouTube (a channel the municipality owns): Data API v3 with OAuth 2.0 (Google),
resumable video uploads, subtitles and thumbnail, live broadcasts, and the YouTube
Analytics API for the daily figures. The link goes inside the description."""

from pathlib import Path

from pregon.publishing.channels.network import DemoAccount, Network, link_appended
from pregon.publishing.channels.youtube import limits, preview
from pregon.publishing.channels.youtube.connector import YouTubeChannel

NETWORK = Network(
    kind="youtube",
    label="Canal de YouTube",
    name="YouTube",
    connector=YouTubeChannel,
    folder=Path(__file__).parent,
    rules=limits.check,
    preview=preview.build,
    text_with_link=link_appended,
    needs_media=True,
    shape="post",
    connect_url="publishing:connect_youtube",
    connect_module="pregon.publishing.channels.youtube.connect",
    demo_accounts=(DemoAccount("YouTube · Gobierno de Chapultepec", "@gobchapultepec"),),
    figures=True,
    live=True,
)

__all__ = ["NETWORK", "YouTubeChannel"]
