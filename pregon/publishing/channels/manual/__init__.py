"""The manual channel (WhatsApp lists and the like): a person publishes by hand."""

from pathlib import Path

from pregon.publishing.channels.manual import preview
from pregon.publishing.channels.manual.connector import ManualChannel
from pregon.publishing.channels.network import DemoAccount, Network

NETWORK = Network(
    kind="manual",
    label="Manual (WhatsApp, otros)",
    name="Manual",
    connector=ManualChannel,
    folder=Path(__file__).parent,
    preview=preview.build,
    demo_accounts=(DemoAccount("Listas de WhatsApp", "", institutional=True),),
)

__all__ = ["NETWORK", "ManualChannel"]
