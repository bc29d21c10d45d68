"""The channels the plan names (credentials are filled in by Coordinación)."""

from typing import TextIO

from pregon.publishing.models import ChannelAccount, ChannelKind

CHANNELS = [
    (
        "Facebook · H. Ayuntamiento de Chapultepec 2022-2024",
        ChannelKind.FACEBOOK_PAGE,
        "AyuntamientoChapultepec",
        True,
    ),
    (
        "Facebook · Laura Amalia González Martínez",
        ChannelKind.FACEBOOK_PAGE,
        "LauraAmaliaGonzalezM",
        False,
    ),
    ("Instagram · @lauraamaliag", ChannelKind.INSTAGRAM, "@lauraamaliag", False),
    ("X · @Lauramaliagm", ChannelKind.X, "@Lauramaliagm", False),
    (
        "Portal web · chapultepec.gob.mx",
        ChannelKind.WORDPRESS,
        "https://www.chapultepec.gob.mx/",
        True,
    ),
    ("Listas de WhatsApp", ChannelKind.MANUAL, "", True),
]


def load(stdout: TextIO) -> None:
    for name, kind, handle, institutional in CHANNELS:
        defaults = {"kind": kind, "handle": handle, "is_institutional": institutional}
        if kind == ChannelKind.WORDPRESS:
            defaults["base_url"] = handle
        ChannelAccount.objects.update_or_create(name=name, defaults=defaults)
    stdout.write(f"Canales: {len(CHANNELS)}.\n")
