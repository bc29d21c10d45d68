"""X (Twitter): API v2 with OAuth 2.0 (PKCE), chunked media upload."""

from pathlib import Path

from pregon.publishing.channels.network import DemoAccount, Network, link_appended
from pregon.publishing.channels.x import analytics, limits, preview
from pregon.publishing.channels.x.connector import XChannel

NETWORK = Network(
    kind="x",
    label="X",
    name="X",
    connector=XChannel,
    folder=Path(__file__).parent,
    rules=limits.check,
    preview=preview.build,
    csv_layouts=(analytics.EXPORT, analytics.OLD_EXPORT),
    shape="short",
    connect_url="publishing:connect_x",
    connect_module="pregon.publishing.channels.x.connect",
    text_with_link=link_appended,
    demo_accounts=(DemoAccount("X · @Lauramaliagm", "@Lauramaliagm"),),
)

__all__ = ["NETWORK", "XChannel"]
