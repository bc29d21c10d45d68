"""The Bot API's address (tests point it at a local fake).

Set them in the environment (see .env.example); config.py says how they are read."""

from pregon.publishing.channels.config import NetworkSettings

conf = NetworkSettings(
    PREGON_TELEGRAM_API_URL="https://api.telegram.org",
)
