"""What each network accepts, checked while writing and again before approval.

Plain values in, Spanish messages out: the composer shows them live, the verdict
refuses while any remain. Each network's limits live in its package
(channels/<network>/limits.py); this module asks the registry for them and adds what
every network shares (a description for every image).
"""

from pregon.publishing.channels.limits import (
    MIB,
    Draft,
    MediaInfo,
    alt_text_messages,
    hashtags,
)
from pregon.publishing.channels.registry import networks

__all__ = ["MIB", "MediaInfo", "alt_text_messages", "hashtags", "validate_variant"]


def validate_variant(
    kind: str,
    text: str,
    media: list[MediaInfo],
    *,
    link: str = "",
    hashtag_limit: int | None = None,
    title: str | None = None,
    require_alt_text: bool = True,
) -> list[str]:
    """Spanish messages saying what breaks `kind`'s rules; empty when it can go out.

    The link is counted the way the network carries it (inside the text or beside it);
    hashtag_limit defaults to the installation's setting.
    """
    network = networks().get(kind)
    if network is None:
        return [f"Canal desconocido: {kind}."]
    if network.needs_person:  # a person adapts it by hand where it goes
        return []
    draft = Draft(network.text_with_link(text, link), media, title, hashtag_limit)
    messages = network.rules(draft)
    if require_alt_text:
        messages.extend(f"{network.name}: {message}" for message in alt_text_messages(media))
    return messages
