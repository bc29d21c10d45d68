"""RSS 2.0 and Atom feeds of the public press room (no login)."""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from pregon.bulletins import selectors
from pregon.bulletins.models import Bulletin
from pregon.bulletins.text import dateline, plain_text

FEED_SIZE = 30


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
        return f"pregon-boletin-{item.kind}-{item.year}-{item.number}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Bulletin) -> datetime:
        return item.approved_at or timezone.now()

    def item_categories(self, item: Bulletin) -> list[str]:
        return [item.get_category_display()]


class BulletinAtomFeed(BulletinFeed):
    feed_type = Atom1Feed
    subtitle = BulletinFeed.description
