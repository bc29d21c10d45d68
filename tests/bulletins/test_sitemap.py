"""The press room's sitemap is an index (sitemaps.org) with one sitemap per year of
bulletins: a crawler finds every public bulletin by following it, the first render
after a publish draws one year's addresses rather than every bulletin ever issued,
and each document is cached whole, with a 304 until a bulletin changes."""

from datetime import date
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
INDEX = "/boletines/sala-de-prensa/sitemap.xml"


def parse(response) -> ElementTree.Element:
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    return ElementTree.fromstring(response.content)  # noqa: S314


def locs(root: ElementTree.Element) -> list[str]:
    return [e.text for e in root.iter(f"{NS}loc")]


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_a_crawler_finds_every_public_bulletin_through_the_index(client, approved_bulletin):
    older = approved_bulletin("Bacheo en la colonia Centro", dated=date(2022, 3, 1))
    newer = approved_bulletin("Rehabilitan la calle Independencia", dated=date(2023, 8, 5))
    index = parse(client.get(INDEX))
    assert index.tag == f"{NS}sitemapindex"
    years = [path_of(u) for u in locs(index)]
    assert years == [
        "/boletines/sala-de-prensa/sitemap-2023.xml",
        "/boletines/sala-de-prensa/sitemap-2022.xml",
    ]
    lastmods = [e.text for e in index.iter(f"{NS}lastmod")]
    assert lastmods[0] == timezone.localtime(newer.updated_at).date().isoformat()
    found = {path: [path_of(u) for u in locs(parse(client.get(path)))] for path in years}
    assert found[years[0]] == [
        "/boletines/sala-de-prensa/",  # the newest year's sitemap holds the front page
        "/boletines/sala-de-prensa/?anio=2023",
        f"/boletines/sala-de-prensa/{newer.pk}/",
    ]
    assert found[years[1]] == [
        "/boletines/sala-de-prensa/?anio=2022",
        f"/boletines/sala-de-prensa/{older.pk}/",
    ]


def test_a_year_without_public_bulletins_is_not_found(client, approved_bulletin, make_bulletin):
    approved_bulletin(dated=date(2023, 8, 5))
    make_bulletin("Borrador", dated=date(2021, 1, 5))  # not approved: not public
    assert client.get("/boletines/sala-de-prensa/sitemap-2021.xml").status_code == 404
    assert len(locs(parse(client.get(INDEX)))) == 1


def test_withdrawing_a_bulletin_drops_it_at_once(client, approved_bulletin):
    bulletin = approved_bulletin(dated=date(2023, 8, 5))
    page = "/boletines/sala-de-prensa/sitemap-2023.xml"
    first = client.get(page)
    assert f"/{bulletin.pk}/" in first.content.decode()
    assert client.get(page, headers={"If-None-Match": first["ETag"]}).status_code == 304
    bulletin.status = "borrador"  # withdrawn in the administration
    bulletin.save()
    assert client.get(page).status_code == 404
    assert locs(parse(client.get(INDEX))) == []


def _queries(client, url: str) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [INDEX, "/boletines/sala-de-prensa/sitemap-2023.xml"])
def test_the_work_does_not_grow_with_the_bulletins(client, approved_bulletin, url):
    approved_bulletin(dated=date(2022, 3, 1))
    for n in range(4):
        approved_bulletin(f"Boletín {n}", dated=date(2023, 8, 5))
    client.get(url)  # one-off rows (settings) are created on a first visit
    few = _queries(client, url)
    for n in range(45):
        approved_bulletin(f"Otro boletín {n}", dated=date(2023, 9, 1))
    assert _queries(client, url) == few
    index = parse(client.get(INDEX))
    assert len(locs(index)) == 2  # one entry per year, whatever the bulletins in it
