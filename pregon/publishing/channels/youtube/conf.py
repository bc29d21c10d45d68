"""Google's OAuth client, its screens and token endpoint, the Data and Analytics APIs
(tests point them at a local fake), and the privacy of uploaded videos (public |
unlisted | private).

Set them in the environment (see .env.example); config.py says how they are read."""

from pregon.publishing.channels.config import NetworkSettings

conf = NetworkSettings(
    PREGON_YOUTUBE_CLIENT_ID="",
    PREGON_YOUTUBE_CLIENT_SECRET="",
    PREGON_YOUTUBE_OAUTH_URL="https://accounts.google.com/o/oauth2/v2/auth",
    PREGON_YOUTUBE_TOKEN_URL="https://oauth2.googleapis.com/token",  # noqa: S106 - an address
    PREGON_YOUTUBE_API_URL="https://www.googleapis.com",
    PREGON_YOUTUBE_ANALYTICS_URL="https://youtubeanalytics.googleapis.com",
    PREGON_YOUTUBE_PRIVACY="public",
)
