"""Threads (Meta): the Threads API's containers, published from Pregón's public
address, with its own «Conectar» (Threads' authorisation window and long-lived tokens)
and its own statistics API (threads_insights)."""

from pathlib import Path

from pregon.publishing.channels.network import DemoAccount, Network, link_appended
from pregon.publishing.channels.threads import limits, preview
from pregon.publishing.channels.threads.connector import ThreadsChannel

NETWORK = Network(
    kind="threads",
    label="Threads",
    name="Threads",
    connector=ThreadsChannel,
    folder=Path(__file__).parent,
    rules=limits.check,
    preview=preview.build,
    text_with_link=link_appended,
    needs_public_url=True,
    shape="short",
    connect_url="publishing:connect_threads",
    connect_module="pregon.publishing.channels.threads.connect",
    figures=True,
    demo_accounts=(DemoAccount("Threads · @lauraamaliag", "@lauraamaliag"),),
)

__all__ = ["NETWORK", "ThreadsChannel"]
