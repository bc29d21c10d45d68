"""The press room is served whole from the cache, the same bytes for everyone, and a
reporter's reader gets a 304 until a bulletin is approved, edited or withdrawn."""

import gzip

import pytest

PAGES = [
    "/boletines/sala-de-prensa/",
    "/boletines/sala-de-prensa/?q=calle",
    "/boletines/sala-de-prensa/rss/",
    "/boletines/sala-de-prensa/atom/",
    "/boletines/sala-de-prensa/sitemap.xml",
    "/boletines/sala-de-prensa/sitemap-2023.xml",
    "/boletines/sala-de-prensa/agenda/",
]


@pytest.mark.parametrize("url", PAGES)
def test_public_page_is_shared_safely_and_revalidates(client, approved_bulletin, url):
    approved_bulletin()
    first = client.get(url)
    assert first.status_code == 200
    # Nothing personal in a response a proxy may keep for everyone.
    assert "public" in first["Cache-Control"] and not first.cookies
    assert "Cookie" not in first.get("Vary", "")
    assert b"csrfmiddlewaretoken" not in first.content
    unchanged = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


def test_staff_member_gets_the_anonymous_page_not_their_own(client, approved_bulletin, mariana):
    approved_bulletin()
    anonymous = client.get("/boletines/sala-de-prensa/").content
    client.force_login(mariana)
    staff = client.get("/boletines/sala-de-prensa/")
    assert staff.content == anonymous and b"Salir" not in staff.content
    client.logout()
    client.force_login(mariana)
    client.cookies.pop("sessionid")
    assert b"Mariana" not in client.get("/boletines/sala-de-prensa/").content


def test_cached_page_is_rendered_once(client, approved_bulletin, django_assert_num_queries):
    approved_bulletin()
    client.get("/boletines/sala-de-prensa/")  # also creates the compliance settings row
    client.get("/boletines/sala-de-prensa/")
    with django_assert_num_queries(0):
        again = client.get("/boletines/sala-de-prensa/")
    assert b"Rehabilitan la calle Independencia" in again.content


def test_approve_edit_and_withdraw_show_at_once(client, make_bulletin, jorge, mariana):
    from pregon.bulletins import services

    bulletin = make_bulletin("Bacheo en la colonia Centro")
    empty = client.get("/boletines/sala-de-prensa/")
    assert "Bacheo en la colonia Centro" not in empty.content.decode()
    services.bulletin_submit(bulletin=bulletin, user=jorge)
    services.bulletin_approve(bulletin=bulletin, user=mariana)
    shown = client.get("/boletines/sala-de-prensa/", headers={"If-None-Match": empty["ETag"]})
    assert shown.status_code == 200 and "Bacheo en la colonia Centro" in shown.content.decode()
    detail_url = f"/boletines/sala-de-prensa/{bulletin.pk}/"
    assert "Bacheo en la colonia Centro" in client.get(detail_url).content.decode()

    # An approved bulletin is corrected in the administration; the press room follows.
    bulletin.refresh_from_db()
    bulletin.title = "Bacheo en el Centro"
    bulletin.save()
    assert "Bacheo en el Centro" in client.get("/boletines/sala-de-prensa/rss/").content.decode()
    assert "Bacheo en el Centro" in client.get(detail_url).content.decode()

    # Withdrawn: back to draft (administration), gone from every public page.
    bulletin.status = "borrador"
    bulletin.save()
    assert "Bacheo" not in client.get("/boletines/sala-de-prensa/").content.decode()
    assert "Bacheo" not in client.get("/boletines/sala-de-prensa/atom/").content.decode()
    assert client.get(detail_url).status_code == 404


def test_public_pages_are_compressed(client, approved_bulletin):
    for i in range(12):
        approved_bulletin(f"Boletín número {i} sobre obras en la cabecera municipal")
    response = client.get("/boletines/sala-de-prensa/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Boletín número 3" in gzip.decompress(response.content).decode()
    assert "Accept-Encoding" in response["Vary"]
