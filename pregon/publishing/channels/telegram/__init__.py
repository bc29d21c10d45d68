"""A Telegram channel through the Bot API: a bot, administrator of the channel with
«Publicar mensajes», posts text, photos, albums and videos."""

from pathlib import Path

from pregon.publishing.channels.network import DemoAccount, Network
from pregon.publishing.channels.telegram import limits, preview
from pregon.publishing.channels.telegram.connector import TelegramChannel
from pregon.publishing.channels.telegram.text import with_link

NETWORK = Network(
    kind="telegram",
    label="Canal de Telegram",
    name="Telegram",
    connector=TelegramChannel,
    folder=Path(__file__).parent,
    rules=limits.check,
    preview=preview.build,
    text_with_link=with_link,
    shape="post",
    connect_url="publishing:connect_telegram",
    connect_label="Conectar un canal de Telegram",
    connect_module="pregon.publishing.channels.telegram.connect",
    figures=True,
    demo_accounts=(DemoAccount("Telegram · @gobchapultepec", "@gobchapultepec"),),
)

__all__ = ["NETWORK", "TelegramChannel"]
