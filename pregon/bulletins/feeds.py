"""RSS 2.0 and Atom feeds of the public press room (no login)."""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from pregon.bulletins import selectors
from pregon.bulletins.models import Bulletin
from pregon.bulletins.text import dateline, plain_text

FEED_SIZE = 30
AUTHOR = "Unidad de Comunicación Social"


def entry_id(bulletin: Bulletin) -> str:
    """A tag: URI (RFC 4151) that never changes, whatever the site's address or an
    edit of the bulletin: the authority is the municipality's domain, the date the
    bulletin's year, the rest its kind and number."""
    authority = settings.PREGON_FEED_AUTHORITY
    return f"tag:{authority},{bulletin.year}:boletin/{bulletin.kind}/{bulletin.number}"


class BulletinFeed(Feed):
    title = "Sala de prensa · H. Ayuntamiento de Chapultepec"
    description = "Boletines y comunicados de la Unidad de Comunicación Social."
    language = "es-mx"

    def link(self) -> str:
        return reverse("bulletins:press_list")

    def items(self) -> list[Bulletin]:
        return list(selectors.press_room()[:FEED_SIZE])

    def item_title(self, item: Bulletin) -> str:
        return f"{item.label}: {item.title}"

    def item_description(self, item: Bulletin) -> str:
        return f"{dateline(item.dated)} {plain_text(item.body)[:600]}"

    def item_link(self, item: Bulletin) -> str:
        return reverse("bulletins:press_detail", args=[item.pk])

    def item_guid(self, item: Bulletin) -> str:
        return entry_id(item)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Bulletin) -> datetime:
        return item.approved_at or timezone.now()

    def item_updateddate(self, item: Bulletin) -> datetime:
        return max(item.updated_at, self.item_pubdate(item))

    def author_name(self) -> str:
        return AUTHOR

    def item_author_name(self, item: Bulletin) -> str:
        return AUTHOR

    def item_categories(self, item: Bulletin) -> list[str]:
        return [item.get_category_display()]


class BulletinAtomFeed(BulletinFeed):
    feed_type = Atom1Feed
    subtitle = BulletinFeed.description
