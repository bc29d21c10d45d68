"""The press room's Atom feed follows RFC 4287 with ids that never change, and a
shared bulletin link shows the right address and a 1200×630 picture."""

import io
import re
from datetime import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import pytest
from PIL import Image

from pregon.bulletins import services

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def is_absolute_iri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("tag", "urn"))


def atom(client) -> ElementTree.Element:
    response = client.get("/boletines/sala-de-prensa/atom/")
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)  # noqa: S314


def entries(root) -> list[dict]:
    return [
        {
            "id": e.findtext(f"{ATOM}id"),
            "title": e.findtext(f"{ATOM}title"),
            "updated": e.findtext(f"{ATOM}updated"),
            "author": e.findtext(f"{ATOM}author/{ATOM}name"),
            "alternate": [
                link.get("href")
                for link in e.findall(f"{ATOM}link")
                if link.get("rel", "alternate") == "alternate"
            ],
        }
        for e in root.findall(f"{ATOM}entry")
    ]


def test_atom_has_every_element_rfc_4287_requires(client, approved_bulletin):
    approved_bulletin("Rehabilitan la calle Independencia")
    approved_bulletin("Jornada de vacunación", category="salud")
    root = atom(client)
    assert is_absolute_iri(root.findtext(f"{ATOM}id"))
    assert root.findtext(f"{ATOM}title") and RFC3339.match(root.findtext(f"{ATOM}updated"))
    found = entries(root)
    assert len(found) == 2
    for entry in found:
        assert entry["id"].startswith("tag:chapultepec.gob.mx,2023:boletin/")
        assert is_absolute_iri(entry["id"]), entry["id"]
        assert RFC3339.match(entry["updated"]), entry["updated"]
        assert entry["author"] == "Unidad de Comunicación Social"
        assert len(entry["alternate"]) == 1 and entry["alternate"][0].startswith("http://")
    assert len({e["id"] for e in found}) == 2
    # feedparser, an independent reader, sees a well-formed feed with the same ids.
    parsed = feedparser.parse(client.get("/boletines/sala-de-prensa/atom/").content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.id for e in parsed.entries] == [e["id"] for e in found]
    assert all(e.author == "Unidad de Comunicación Social" for e in parsed.entries)


def test_entry_id_stays_the_same_after_an_edit(client, approved_bulletin, mariana):
    bulletin = approved_bulletin()
    before = entries(atom(client))[0]
    bulletin.title = "Rehabilitan la calle Independencia y la plaza cívica"
    bulletin.save()
    after = entries(atom(client))[0]
    assert after["title"].endswith("y la plaza cívica")
    assert after["id"] == before["id"]
    assert datetime.fromisoformat(after["updated"]) > datetime.fromisoformat(before["updated"])
    rss = client.get("/boletines/sala-de-prensa/rss/").content.decode()
    assert f">{before['id']}</guid>" in rss


def head_meta(html: str) -> dict[str, str]:
    pairs = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html)
    return dict(pairs)


def test_sharing_tags_use_the_address_the_page_was_asked_at(client, settings, approved_bulletin):
    settings.PREGON_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["prensa.chapultepec.example"]
    bulletin = approved_bulletin()
    page = client.get(
        f"/boletines/sala-de-prensa/{bulletin.pk}/", HTTP_HOST="prensa.chapultepec.example"
    ).content.decode()
    meta = head_meta(page)
    base = "http://prensa.chapultepec.example"
    assert meta["og:url"] == f"{base}/boletines/sala-de-prensa/{bulletin.pk}/"
    assert meta["og:image"].startswith(f"{base}/boletines/sala-de-prensa/{bulletin.pk}/")
    assert "localhost" not in page
    settings.PREGON_PUBLIC_URL = "https://comunicacion.chapultepec.gob.mx"
    meta = head_meta(
        client.get(
            f"/boletines/sala-de-prensa/{bulletin.pk}/", HTTP_HOST="prensa.chapultepec.example"
        ).content.decode()
    )
    assert meta["og:url"].startswith("https://comunicacion.chapultepec.gob.mx/boletines/")


def picture(client, url: str) -> Image.Image:
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    return Image.open(io.BytesIO(response.content))


@pytest.mark.parametrize("with_photo", [True, False])
def test_og_image_is_1200_by_630(client, make_bulletin, photo_asset, jorge, mariana, with_photo):
    bulletin = make_bulletin()
    if with_photo:
        services.photo_add(bulletin=bulletin, asset=photo_asset, user=jorge)
    services.bulletin_submit(bulletin=bulletin, user=jorge)
    services.bulletin_approve(bulletin=bulletin, user=mariana)
    meta = head_meta(client.get(f"/boletines/sala-de-prensa/{bulletin.pk}/").content.decode())
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:image"] == meta["twitter:image"]
    image = picture(client, meta["og:image"])
    assert image.size == (1200, 630)
    assert image.getexif().get_ifd(0x8825) == {}  # never the original's GPS
    if with_photo:
        assert meta["og:image:alt"] == "Integrantes del cabildo en el salón de sesiones"
    else:
        # The brand card: mostly the brand's background with the title drawn on it.
        colours = image.convert("RGB").getcolors(1200 * 630)
        assert len(colours) > 2 and meta["og:image:alt"].endswith(bulletin.title)


def test_og_image_of_a_withdrawn_or_draft_bulletin_is_not_served(client, make_bulletin):
    draft = make_bulletin()
    assert client.get(f"/boletines/sala-de-prensa/{draft.pk}/compartir.jpg").status_code == 404
