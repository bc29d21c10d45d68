"""Threads' own app (the «Threads app ID» of a Meta app with the Threads use case), its
authorisation window and its API host (token endpoints at the root, calls under /v1.0).

Set them in the environment (see .env.example); config.py says how they are read."""

from pregon.publishing.channels.config import NetworkSettings

conf = NetworkSettings(
    PREGON_THREADS_APP_ID="",
    PREGON_THREADS_APP_SECRET="",
    PREGON_THREADS_OAUTH_URL="https://threads.net/oauth/authorize",
    PREGON_THREADS_API_URL="https://graph.threads.net",
)
