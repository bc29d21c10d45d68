"""What every «Conectar» flow through a network's own OAuth screen (Meta, Threads,
YouTube, X, TikTok) builds the same way: the set-up page's status and the address of
the consent screen. What differs stays in each network's connect.py: its client
parameter's name, how it joins scopes, its own documented extras and whether it takes
PKCE at all."""

import hashlib
from typing import Literal
from urllib.parse import urlencode

from django.contrib.sessions.backends.base import SessionBase

from pregon.publishing.connect import NetworkSetup, begin, redirect_uri

# How the network wants the PKCE challenge: RFC 7636's base64url SHA-256 ("S256"),
# TikTok's hex SHA-256 ("hex", what its Login Kit documents), or none (Threads).
Pkce = Literal["S256", "hex", ""]


def setup(
    base_url: str, key: str, name: str, kind: str, scopes: dict[str, str], required: dict[str, str]
) -> NetworkSetup:
    """The status on the set-up page: `required` maps what to configure (in Spanish) to
    its current value; the empty ones are what is missing."""
    missing = [label for label, value in required.items() if not value]
    return NetworkSetup(
        key,
        name,
        not missing,
        missing,
        redirect_uri(base_url, key),
        f"networks/{kind}/connect_setup.html",
        scopes,
    )


def authorize_url(
    session: SessionBase,
    key: str,
    url: str,
    query: dict[str, str],
    pkce: Pkce = "S256",
    **flow: object,
) -> str:
    """The consent screen's address: the network's own `query` (client, scopes, return
    address, extras) with `response_type=code`, a one-use state and, unless `pkce` is
    empty, the challenge of a verifier kept in the session (`flow` is kept with it)."""
    state, challenge = begin(session, key, **flow)
    query = {"response_type": "code", **query, "state": state}
    if pkce == "hex":
        challenge = hashlib.sha256(session[f"connect:{key}"]["verifier"].encode()).hexdigest()
    if pkce:
        query |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return f"{url}?{urlencode(query)}"
