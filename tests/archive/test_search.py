import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.utils import timezone

from pregon.archive import search
from pregon.archive.models import Asset, Clipping, SearchEntry
from pregon.archive.search import index as search_index
from pregon.archive.search import plans as search_plans
from pregon.archive.search import query as search_query


@pytest.fixture
def make_asset(db):
    def make(caption: str, kind: str = "foto", when=None, **kwargs):
        asset = Asset.objects.create(
            kind=kind,
            original=f"archivo/x/{caption[:10]}.jpg",
            sha256=hashlib.sha256(caption.encode()).hexdigest(),
            original_name=f"{caption[:20]}.jpg",
            caption=caption,
            captured_at=when or timezone.now(),
            **kwargs,
        )
        search.index_asset(asset)
        return asset

    return make


def ids(results) -> set:
    return {(h.object_type, h.object_id) for h in results.hits}


def test_normalize_spanish():
    assert search.normalize("Inauguración") == search.normalize("inauguracion")
    assert search.normalize("inundaciones") == search.normalize("inundación")
    assert search.normalize("luces") == search.normalize("luz")
    assert search.normalize("mujeres") == search.normalize("mujer")
    assert search.normalize("calles") == search.normalize("calle")
    assert search.normalize("escuelas") == search.normalize("Escuela")
    assert search.normalize("año") != search.normalize("ano")
    assert search.normalize("años") == search.normalize("año")


def test_accents_plurals_and_enye(make_asset):
    inaug = make_asset("Inauguración del parque con la Presidenta Municipal")
    flood = make_asset("Recorrido por las inundaciones de la colonia Centro")
    year = make_asset("Informe del primer año de gobierno")
    ano = make_asset("Campaña de prevención del cáncer de ano")
    assert ids(search.run("inauguracion")) == {("asset", inaug.pk)}
    assert ids(search.run("INAUGURACIÓN parques")) == {("asset", inaug.pk)}
    assert ids(search.run("inundación")) == {("asset", flood.pk)}
    assert ids(search.run("año")) == {("asset", year.pk)}
    assert ids(search.run("ano")) == {("asset", ano.pk)}
    assert ids(search.run("inaug*")) == {("asset", inaug.pk)}
    assert ids(search.run('"primer año"')) == {("asset", year.pk)}
    assert ids(search.run('"año primer"')) == set()


def test_filters_facets_and_newest_first(make_asset, area_factory):
    opdu = area_factory("OPDU")
    old = make_asset("Bacheo en avenida", when=timezone.now() - dt.timedelta(days=400), area=opdu)
    new = make_asset("Bacheo en calles", kind="video", gps_lat=19.2, gps_lon=-99.6)
    results = search.run("bacheo")
    assert [h.object_id for h in results.hits] == [new.pk, old.pk]
    assert dict(results.facets["kind"]) == {"foto": 1, "video": 1}
    assert ids(search.run("bacheo", {"kind": "video"})) == {("asset", new.pk)}
    assert ids(search.run("bacheo", {"area": opdu.pk})) == {("asset", old.pk)}
    assert ids(search.run("bacheo", {"gps": "1"})) == {("asset", new.pk)}
    assert ids(search.run("bacheo", {"year": old.captured_at.year})) == {("asset", old.pk)}


def test_clippings_are_searched_with_tone(db):
    clip = Clipping.objects.create(
        outlet="El Sol de Toluca",
        media_type="impreso",
        date=dt.date(2026, 3, 2),
        headline="Reconocen labor de Protección Civil en las inundaciones",
        tone="positivo",
    )
    search.index_clipping(clip)
    results = search.run("inundacion", {"tone": "positivo"})
    assert ids(results) == {("clipping", clip.pk)}
    assert dict(results.facets["outlet"]) == {"El Sol de Toluca": 1}
    assert search.hit_dict(results.hits[0])["medio"] == "El Sol de Toluca"


def test_relevance_order(make_asset):
    make_asset("Feria del libro en la plaza")
    strong = make_asset("Feria feria feria del libro")
    first = search.run("feria", order="relevancia").hits[0]
    assert first.object_id == strong.pk


def test_newest_first_follows_capture_date_and_count_is_capped(make_asset, monkeypatch):
    # Ingest order differs from capture order: the index order must follow the date.
    whens = [3, 0, 5, 1, 4, 2]
    now = timezone.now()
    made = {d: make_asset(f"Bacheo {d} en calles", when=now - dt.timedelta(days=d)) for d in whens}
    expected = [made[d].pk for d in sorted(whens)]
    assert [h.object_id for h in search.run("bacheo calle").hits] == expected
    assert [h.object_id for h in search.run("bacheo", {"kind": "foto"}).hits] == expected
    assert [h.object_id for h in search.run("", {"kind": "foto"}).hits] == expected
    assert [h.object_id for h in search.run("bach*", limit=2, offset=2).hits] == expected[2:4]
    monkeypatch.setattr(search_query, "COUNT_CAP", 4)
    monkeypatch.setattr(search_query, "FACET_SAMPLE", 3)
    broad = search.run("bacheo calle")
    assert broad.capped and [h.object_id for h in broad.hits] == expected
    assert broad.facets_sampled and 3 <= dict(broad.facets["kind"])["foto"] <= 6
    assert search.run("bacheo", {"kind": "video"}).total == 0
    assert broad.total == 5 and broad.bound == "4"  # counted exactly up to the cap
    assert search.run("bacheo", {"kind": "foto"}).total == 5


def test_sort_key_collisions_and_reindex(make_asset):
    when = timezone.now()
    a = make_asset("Desfile cívico", when=when)
    b = make_asset("Desfile cívico en el centro", when=when)
    keys = list(SearchEntry.objects.values_list("sort_key", flat=True))
    assert len(set(keys)) == len(keys) == 2
    taken = SearchEntry.objects.get(object_id=a.pk).sort_key
    assert search_index._free_key(taken, None) == taken + 1  # same second, same low bits
    b.caption = "Desfile cívico con bandas de guerra"
    search.index_asset(b)  # re-index moves the FTS row, leaves no stale match
    assert ids(search.run("centro")) == set()
    assert ids(search.run("banda")) == {("asset", b.pk)}
    search.unindex("asset", a.pk)
    assert ids(search.run("desfile")) == {("asset", b.pk)}


def test_every_search_path_gives_the_newest_matches_first(make_asset, area_factory, monkeypatch):
    # Small windows so 30 assets take each PostgreSQL path: the walk that fills the
    # page, the walk that goes on, and GIN (rare words, matches too thin to walk).
    monkeypatch.setattr(search_plans.PgPlan, "WINDOW", 2)
    opdu, dif = area_factory("OPDU"), area_factory("DIF")
    now = timezone.now()
    made = []
    for day in range(30):
        words = f"Desfile cívico número {day}"
        words += " con banda de guerra" if day % 3 == 0 else " con guerra de bandas"
        words += " y zempasúchil" if day >= 25 else ""
        area = opdu if day % 2 else dif
        made.append(make_asset(words, when=now - dt.timedelta(days=day, hours=day), area=area))
    ids_of = [a.pk for a in made]  # newest first

    def page(q: str, offset: int = 2, **kwargs) -> list[int]:
        return [h.object_id for h in search.run(q, limit=2, offset=offset, **kwargs).hits]

    assert page("desfile") == ids_of[2:4]
    every = search.run("desfile", limit=2)
    if connection.vendor == "sqlite":  # FTS5 counts every match
        assert (every.total, every.capped) == (30, False)
    else:  # the walk stopped early: a lower bound that must hold ("más de N" < 30)
        assert every.capped and int(every.bound.replace("\u202f", "")) < 30
    assert page('"banda de guerra"') == ids_of[0:30:3][2:4]  # 1 in 3: the walk goes on
    assert page("zempasuchil", offset=0) == ids_of[25:27]  # only old ones: GIN
    enlace = page("desfile", offset=0, visible_areas=[opdu.pk])
    assert enlace == [a.pk for a in made if a.area_id == opdu.pk][:2]
    monkeypatch.setattr(search_plans.PgPlan, "WIDEN", 0)  # thin recent matches: GIN, sorted
    old = search.run("zempasuchil", limit=2, offset=1)
    assert [h.object_id for h in old.hits] == ids_of[26:28]
    phrase = search.run('"guerra de banda"', {"area": dif.pk}, limit=50)
    expected = [a.pk for i, a in enumerate(made) if i % 3 and a.area_id == dif.pk]
    assert [h.object_id for h in phrase.hits] == expected
    assert (old.total, phrase.total) == (5, len(expected)) and not phrase.capped
