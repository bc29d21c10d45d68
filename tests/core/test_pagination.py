"""Long lists show 50 rows a page, and the page links keep the filters."""

import pytest

from benchmarks.scale_data import Sizes, build

# (list, pages for 60 publications: two channels each, so 120 deliveries)
LISTS = [
    ("/publicaciones/?estado=publicada", 2),
    ("/publicaciones/envios/?estado=publicada", 3),
    ("/boletines/?estado=aprobado", 2),
]


@pytest.mark.parametrize(("url", "pages"), LISTS)
def test_list_pages_by_fifty_keeping_filters(client, mariana, url, pages):
    build(Sizes.rows(60))
    client.force_login(mariana)
    first = client.get(url).content.decode()
    assert 'rel="next"' in first and "Página 1" in first
    key, value = url.split("?")[1].split("=")
    assert f"?{key}={value}&amp;pagina=2" in first
    last = client.get(f"{url}&pagina={pages}").content.decode()
    assert f"Página {pages}" in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert first.count("<tr") >= 50 > last.count("<tr")  # 50 rows, then the rest


def test_page_number_out_of_range_is_an_empty_page_not_an_error(client, mariana):
    client.force_login(mariana)
    response = client.get("/publicaciones/?pagina=99999999999")
    assert response.status_code == 200 and "No hay publicaciones." in response.content.decode()
