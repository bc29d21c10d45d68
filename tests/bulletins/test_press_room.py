"""The public press room: no login, search and filters, Open Graph tags, feeds,
sitemap, press-size photos without GPS, the veda notice, agenda and "en vivo"."""

from datetime import date, timedelta
from xml.etree import ElementTree  # noqa: S405 - parses our own responses

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from pregon.bulletins import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def test_list_search_and_filters(client, approved_bulletin, area_factory, make_bulletin):
    obras = area_factory("OPDU", "Obras Públicas")
    approved_bulletin("Rehabilitan la calle Independencia", area=obras)
    approved_bulletin("Jornada de vacunación canina", category="salud")
    approved_bulletin("Informe de actividades 2024", dated=date(2024, 2, 1))
    make_bulletin("Borrador secreto")
    page = client.get("/boletines/sala-de-prensa/").content.decode()
    assert "Rehabilitan la calle" in page and "vacunación" in page
    assert "Borrador secreto" not in page
    found = client.get("/boletines/sala-de-prensa/", {"q": "vacunación"}).content.decode()
    assert "vacunación" in found and "Rehabilitan" not in found
    by_year = client.get("/boletines/sala-de-prensa/", {"anio": "2024"}).content.decode()
    assert "Informe de actividades" in by_year and "Rehabilitan" not in by_year
    by_cat = client.get("/boletines/sala-de-prensa/", {"categoria": "salud"}).content.decode()
    assert "vacunación" in by_cat and "Rehabilitan" not in by_cat
    by_area = client.get("/boletines/sala-de-prensa/", {"area": obras.pk}).content.decode()
    assert "Rehabilitan" in by_area and "vacunación" not in by_area


def test_detail_has_open_graph_and_twitter_tags(client, make_bulletin, photo_asset, jorge, mariana):
    bulletin = make_bulletin()
    services.photo_add(bulletin=bulletin, asset=photo_asset, user=jorge)
    services.bulletin_submit(bulletin=bulletin, user=jorge)
    services.bulletin_approve(bulletin=bulletin, user=mariana)
    page = client.get(f"/boletines/sala-de-prensa/{bulletin.pk}/").content.decode()
    assert '<meta property="og:title" content="Rehabilitan la calle Independencia">' in page
    assert 'property="og:image" content="http' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert "Chapultepec, Estado de México, 5 de agosto de 2023.-" in page
    assert "Foto: Unidad de Comunicación Social" in page
    assert "Descargar en tamaño para prensa" in page


def test_unapproved_bulletin_is_not_public(client, make_bulletin):
    bulletin = make_bulletin()
    assert client.get(f"/boletines/sala-de-prensa/{bulletin.pk}/").status_code == 404
    assert client.get(f"/boletines/sala-de-prensa/{bulletin.pk}/pdf/").status_code == 404


def test_press_photo_has_no_gps(client, make_bulletin, photo_asset, jorge, mariana, tmp_path):
    assert photo_asset.has_gps  # the original keeps it
    bulletin = make_bulletin()
    photo = services.photo_add(bulletin=bulletin, asset=photo_asset, user=jorge)
    services.bulletin_submit(bulletin=bulletin, user=jorge)
    services.bulletin_approve(bulletin=bulletin, user=mariana)
    response = client.get(f"/boletines/sala-de-prensa/fotos/{photo.pk}/?descargar=1")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "descarga.jpg"
    path.write_bytes(b"".join(response.streaming_content))
    with Image.open(path) as image:
        assert image.getexif().get_ifd(0x8825) == {}
        assert max(image.size) >= 800


def test_feeds_and_sitemap(client, approved_bulletin):
    bulletin = approved_bulletin()
    rss = client.get("/boletines/sala-de-prensa/rss/")
    assert rss.status_code == 200 and "rss+xml" in rss["Content-Type"]
    root = ElementTree.fromstring(rss.content)  # noqa: S314
    assert root.tag == "rss" and root.get("version") == "2.0"
    titles = [i.findtext("title") for i in root.iter("item")]
    assert titles == ["Boletín 001/2023: Rehabilitan la calle Independencia"]
    atom = ElementTree.fromstring(client.get("/boletines/sala-de-prensa/atom/").content)  # noqa: S314
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.find("a:entry/a:title", ns).text.startswith("Boletín 001/2023")
    xml = client.get("/boletines/sala-de-prensa/sitemap-2023.xml").content
    sitemap = ElementTree.fromstring(xml)  # noqa: S314
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith(f"/boletines/sala-de-prensa/{bulletin.pk}/") for loc in locs)


def test_veda_hides_non_exempt_items_with_a_notice(client, approved_bulletin):
    from pregon.compliance.models import ComplianceSettings, ElectoralPeriod, ExemptCategory

    obra = approved_bulletin("Rehabilitan la calle Independencia")
    approved_bulletin("Jornada de vacunación", category="salud")
    ExemptCategory.objects.get_or_create(category="salud", defaults={"reason": "Salud"})
    today = timezone.localdate()
    ElectoralPeriod.objects.create(
        name="Veda", scope="local", start=today - timedelta(days=1), end=today + timedelta(days=2)
    )
    notice = ComplianceSettings.current().press_room_notice
    page = client.get("/boletines/sala-de-prensa/").content.decode()
    assert notice in page and "vacunación" in page and "Rehabilitan" not in page
    assert client.get(f"/boletines/sala-de-prensa/{obra.pk}/").status_code == 404
    assert b"Rehabilitan" not in client.get("/boletines/sala-de-prensa/rss/").content
    settings_row = ComplianceSettings.current()  # as the settings form saves it
    settings_row.press_room_blackout_mode = False
    settings_row.save()
    assert "Rehabilitan" in client.get("/boletines/sala-de-prensa/").content.decode()


def test_agenda_shows_upcoming_public_activities_and_live_now(client, area_factory):
    from pregon.agenda.models import Activity

    now = timezone.now()
    area = area_factory("SECAY", "Secretaría del Ayuntamiento")
    Activity.objects.create(
        title="Décima Sesión Ordinaria de Cabildo",
        starts_at=now - timedelta(minutes=20),
        ends_at=now + timedelta(hours=2),
        area=area,
        type="cabildo_ordinaria",
        stream_url="https://video.example/cabildo",
    )
    Activity.objects.create(
        title="Feria del empleo",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=4),
        area=area,
    )
    Activity.objects.create(
        title="Reunión privada",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
        area=area,
        is_public=False,
    )
    agenda = client.get("/boletines/sala-de-prensa/agenda/").content.decode()
    assert "En vivo ahora" in agenda and "https://video.example/cabildo" in agenda
    assert "Feria del empleo" in agenda and "Reunión privada" not in agenda
    assert "En vivo ahora" in client.get("/boletines/sala-de-prensa/").content.decode()


def test_list_and_feed_queries_do_not_grow_with_bulletins(
    client, approved_bulletin, area_factory, django_assert_max_num_queries
):
    area = area_factory("OPDU", "Obras Públicas")
    for i in range(25):
        approved_bulletin(f"Boletín de prueba {i}", area=area)
    with django_assert_max_num_queries(15):
        page = client.get("/boletines/sala-de-prensa/")
    assert page.content.decode().count("<article>") == 20
    with django_assert_max_num_queries(10):
        client.get("/boletines/sala-de-prensa/rss/")


def test_search_ignores_accents_and_case(client, approved_bulletin):
    approved_bulletin("Inauguran la clínica de la Plaza Cívica")
    approved_bulletin("Jornada de limpieza en el mercado")
    for query in ("clinica", "CLÍNICA", "plaza civica", "Clínicas"):
        found = client.get("/boletines/sala-de-prensa/", {"q": query}).content.decode()
        assert "Inauguran la clínica" in found, query
        assert "Jornada de limpieza" not in found, query


def test_each_year_is_offered_once(client, approved_bulletin):
    for title in ("Uno", "Dos", "Tres"):
        approved_bulletin(title, dated=date(2024, 3, 1))
    approved_bulletin("Cuatro", dated=date(2025, 3, 1))
    page = client.get("/boletines/sala-de-prensa/").content.decode()
    assert page.count('<option value="2024"') == 1 and page.count('<option value="2025"') == 1


def test_paragraphs_typed_as_plain_text_are_kept(client, approved_bulletin):
    bulletin = approved_bulletin(
        "Entregan apoyos", body="Primer párrafo del boletín.\n\nSegundo párrafo,\ncon salto."
    )
    page = client.get(f"/boletines/sala-de-prensa/{bulletin.pk}/").content.decode()
    assert "<p>Primer párrafo del boletín.</p>" in page
    assert "<p>Segundo párrafo,<br>\ncon salto.</p>" in page
