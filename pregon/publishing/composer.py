"""The composer's state: what the page shows, read from a publication or from what
the page posts (the same function serves the live check and the save), and each
ticked channel's check and preview.

Photos and videos are named by tokens: «m12» is a PublicationMedia already on the
publication, «a34» an archive asset attached when the publication is saved.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from pregon.archive.models import Asset
from pregon.archive.selectors import visible_area_ids
from pregon.publishing import previews, selectors, services, verdict
from pregon.publishing.channels.limits import MediaInfo
from pregon.publishing.models import ChannelAccount, Publication, PublicationMedia

SHAPE_CACHE_SECONDS = 600


@dataclass
class MediaItem:
    token: str
    name: str
    alt_text: str
    values: MediaInfo
    thumb_url: str
    image_url: str
    warnings: list[str] = field(default_factory=list)

    @property
    def is_video(self) -> bool:
        return self.values.mime_type.startswith("video/")

    @property
    def size(self) -> tuple[int, int]:
        return self.values.width, self.values.height


@dataclass
class ArchiveChoice:
    """An archive photo or video offered by the composer's picker (not yet measured:
    that happens when it is added)."""

    asset_id: int
    name: str
    is_video: bool
    thumb_url: str
    warnings: list[str]


@dataclass
class ChannelPanel:
    """A ticked channel's check and preview."""

    problems: list[str]
    preview: previews.Preview
    media: list[MediaItem]
    text: str


@dataclass
class ChannelRow:
    account: ChannelAccount
    checked: bool
    text: str
    skipped: set[str]
    panel: ChannelPanel | None = None


@dataclass
class ComposerState:
    publication: Publication | None
    title: str
    text: str
    link: str
    media: list[MediaItem]
    channels: list[ChannelRow]

    def media_for(self, row: ChannelRow) -> list[MediaItem]:
        return [m for m in self.media if m.token not in row.skipped]


# --- reading the state -----------------------------------------------------------


def state_for(publication: Publication | None) -> ComposerState:
    """What the composer shows for a saved publication (or an empty one)."""
    variants = {v.account_id: v for v in publication.variants.all()} if publication else {}
    media = [_from_media(m) for m in publication.media.all()] if publication else []
    channels = []
    for account in selectors.active_accounts():
        variant = variants.get(account.pk)
        kept = {f"m{m.pk}" for m in variant.media.all()} if variant else set()
        skipped = {m.token for m in media} - kept if variant else set()
        text = variant.text if variant else ""
        channels.append(ChannelRow(account, variant is not None, text, skipped))
    return _checked(
        ComposerState(
            publication,
            publication.title if publication else "",
            publication.text if publication else "",
            publication.link if publication else "",
            media,
            channels,
        )
    )


def state_from_post(post: QueryDict, publication: Publication | None, user) -> ComposerState:
    """What the composer shows for what the page holds now (unsaved)."""
    media = _media_from_post(post, publication, user)
    channels = [
        ChannelRow(
            account,
            bool(post.get(f"channel_{account.pk}")),
            post.get(f"text_{account.pk}", ""),
            set(post.getlist(f"skip_{account.pk}")),
        )
        for account in selectors.active_accounts()
    ]
    state = ComposerState(
        publication,
        post.get("title", ""),
        post.get("text", ""),
        post.get("link", "").strip(),
        media,
        channels,
    )
    return _checked(state)


def _media_from_post(post: QueryDict, publication: Publication | None, user) -> list[MediaItem]:
    tokens = list(dict.fromkeys(post.getlist("media")))  # in order, once each
    saved = _saved_media(publication, tokens)
    assets = _archive_assets(user, tokens)
    items = []
    for token in tokens:
        item = saved.get(token) or assets.get(token)
        if item is not None:
            item.alt_text = post.get(f"alt_{token}", item.alt_text).strip()
            item.values.alt_text = item.alt_text
            items.append(item)
    return items


def _ids(tokens: list[str], prefix: str) -> list[int]:
    return [int(t[1:]) for t in tokens if t.startswith(prefix) and t[1:].isdigit()]


def _saved_media(publication: Publication | None, tokens: list[str]) -> dict[str, MediaItem]:
    if publication is None:
        return {}
    rows = publication.media.filter(pk__in=_ids(tokens, "m")).select_related("asset")
    return {f"m{m.pk}": _from_media(m) for m in rows}


def _archive_assets(user, tokens: list[str]) -> dict[str, MediaItem]:
    assets = Asset.objects.filter(pk__in=_ids(tokens, "a"), kind__in=["foto", "diseno", "video"])
    areas = visible_area_ids(user)
    if areas is not None:
        assets = assets.filter(area_id__in=areas)
    items = {}
    for asset in assets:
        item = from_asset(asset)
        if item is not None:
            items[item.token] = item
    return items


def _from_media(media: PublicationMedia) -> MediaItem:
    values = verdict.media_info(media)
    return MediaItem(
        token=f"m{media.pk}",
        name=str(media),
        alt_text=media.alt_text,
        values=values,
        thumb_url=reverse("publishing:media_image", args=[media.pk, "miniatura"]),
        image_url=reverse("publishing:media_image", args=[media.pk, "vista"]),
        warnings=_warnings(media.asset) if media.asset_id else [],
    )


def from_asset(asset) -> MediaItem | None:
    """An archive asset as the composer shows it; None if it cannot go to a network."""
    try:
        shape = _shape(asset)
    except ValidationError:
        return None
    values = MediaInfo(alt_text=asset.alt_text, **shape)
    return MediaItem(
        token=f"a{asset.pk}",
        name=str(asset),
        alt_text=asset.alt_text,
        values=values,
        thumb_url=reverse("archive:derivative", args=[asset.pk, "miniatura"]),
        image_url=reverse("archive:derivative", args=[asset.pk, "vista"]),
        warnings=_warnings(asset),
    )


def archive_choice(asset) -> ArchiveChoice:
    return ArchiveChoice(
        asset_id=asset.pk,
        name=str(asset),
        is_video=asset.kind == "video",
        thumb_url=reverse("archive:derivative", args=[asset.pk, "miniatura"]),
        warnings=_warnings(asset),
    )


def _shape(asset) -> dict:
    # The public derivative is re-encoded to be measured: once per asset version,
    # not on every keystroke's check.
    key = f"publishing:shape:{asset.pk}:{asset.sha256}:{asset.updated_at.timestamp()}"
    shape = cache.get(key)
    if shape is None:
        shape = services.media_shape(asset)
        cache.set(key, shape, SHAPE_CACHE_SECONDS)
    return shape


def _warnings(asset) -> list[str]:
    warnings = []
    if asset.public_use_blocked:
        warnings.append("Contiene menores sin consentimiento: no puede publicarse.")
    if asset.kind == "video" and not asset.captions and not asset.no_captions_reason:
        warnings.append("Video sin subtítulos: agréguelos en el archivo antes de aprobar.")
    return warnings


# --- checks and previews -----------------------------------------------------------


def _checked(state: ComposerState) -> ComposerState:
    for row in state.channels:
        row.panel = channel_panel(state, row) if row.checked else None
    return state


def channel_panel(state: ComposerState, row: ChannelRow) -> ChannelPanel:
    """The rules and the preview of one ticked channel, with the text it will carry
    (its own, or the base text) and the media not removed from it."""
    text = row.text.strip() or state.text
    media = state.media_for(row)
    # The verdict's network part: compliance is asked at submit/approve, not per keystroke.
    facts = verdict.Facts(
        row.account.kind,
        text,
        state.link,
        [verdict.Item(m.values, is_video=m.is_video) for m in media],
    )
    problems = verdict.network_problems(verdict.check(facts, timezone.now(), compliance=False))
    preview = previews.build(
        row.account.kind,
        text=text,
        link=state.link,
        title=state.title,
        first_size=media[0].size if media else (0, 0),
        media_count=len(media),
        has_media=bool(media),
    )
    return ChannelPanel(problems, preview, media, text)


# --- what the save takes -------------------------------------------------------------


def composed_media(state: ComposerState) -> list[services.ComposedMedia]:
    return [
        services.ComposedMedia(
            token=m.token,
            alt_text=m.alt_text,
            media_id=int(m.token[1:]) if m.token.startswith("m") else None,
            asset_id=int(m.token[1:]) if m.token.startswith("a") else None,
        )
        for m in state.media
    ]


def variant_specs(state: ComposerState) -> dict:
    """{account id: {"text", "media": [tokens]}} for every ticked channel."""
    return {
        row.account.pk: {"text": row.text, "media": [m.token for m in state.media_for(row)]}
        for row in state.channels
        if row.checked
    }
