"""TikTok's Content Posting and Display APIs and Login Kit v2 (client key and secret of
the app).

Set them in the environment (see .env.example); config.py says how they are read."""

from pregon.publishing.channels.config import NetworkSettings

conf = NetworkSettings(
    PREGON_TIKTOK_API_URL="https://open.tiktokapis.com",
    PREGON_TIKTOK_CLIENT_KEY="",
    PREGON_TIKTOK_CLIENT_SECRET="",
    PREGON_TIKTOK_OAUTH_URL="https://www.tiktok.com/v2/auth/authorize/",
)
