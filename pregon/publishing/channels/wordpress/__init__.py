"""The municipality's portal (WordPress REST API with an application password)."""

from pathlib import Path

from pregon.publishing.channels.network import DemoAccount, Network
from pregon.publishing.channels.wordpress import limits, preview
from pregon.publishing.channels.wordpress.connector import WordPressChannel

NETWORK = Network(
    kind="wordpress",
    label="Portal web (WordPress)",
    name="El portal",
    connector=WordPressChannel,
    folder=Path(__file__).parent,
    rules=limits.check,
    preview=preview.build,
    shape="article",
    connect_url="publishing:connect_portal",
    connect_label="Conectar el portal",
    connect_module="pregon.publishing.channels.wordpress.connect",
    demo_accounts=(
        DemoAccount(
            "Portal web · chapultepec.gob.mx",
            "https://www.chapultepec.gob.mx/",
            institutional=True,
            base_url="https://www.chapultepec.gob.mx/",
        ),
    ),
)

__all__ = ["NETWORK", "WordPressChannel"]
