"""Every list of the API pages with `limit`/`offset` within bounds and says the total,
in one envelope: {items, total, limit, offset}."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pregon.bulletins.models import MediaContact
from pregon.publishing.models import ChannelAccount, Delivery, DeliveryStatus, Publication, Variant

ENVELOPE = {"items", "total", "limit", "offset"}


def test_deliveries_page_through_all_of_them(api_client, mariana, jorge):
    account = ChannelAccount.objects.create(name="WhatsApp", kind="manual")
    publication = Publication.objects.create(title="Aviso", text="Texto", author=jorge)
    variant = Variant.objects.create(publication=publication, account=account)
    now = timezone.now()
    made = [
        Delivery.objects.create(
            variant=variant,
            account=account,
            status=DeliveryStatus.CANCELADA,
            scheduled_at=now - timedelta(hours=i),
        ).pk
        for i in range(7)
    ]
    client = api_client(mariana)
    pages = [client.get("/api/v1/deliveries", {"limit": 3, "offset": o}).json() for o in (0, 3, 6)]
    assert [(p["total"], p["limit"], p["offset"]) for p in pages] == [
        (7, 3, 0),
        (7, 3, 3),
        (7, 3, 6),
    ]
    assert [d["id"] for p in pages for d in p["items"]] == made  # newest first, none twice
    past_the_end = client.get("/api/v1/deliveries", {"offset": 50}).json()
    assert past_the_end["items"] == [] and past_the_end["total"] == 7


def test_ties_in_the_order_never_repeat_a_row_across_pages(api_client, mariana):
    # The directory is ordered by outlet and person: twelve with the same of both.
    MediaContact.objects.bulk_create(
        MediaContact(outlet="Diario", person="Redacción", email=f"r{i}@diario.example")
        for i in range(12)
    )
    client = api_client(mariana)
    seen = []
    for offset in range(0, 12, 5):
        page = client.get("/api/v1/media-contacts", {"limit": 5, "offset": offset}).json()
        assert set(page) == ENVELOPE and page["total"] == 12
        seen += [row["id"] for row in page["items"]]
    assert sorted(seen) == sorted(MediaContact.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (501, 0), (10, -1), (10, 10**10)])
def test_out_of_bounds_pages_are_refused(api_client, mariana, limit, offset):
    response = api_client(mariana).get("/api/v1/bulletins", {"limit": limit, "offset": offset})
    assert response.status_code == 422
    assert response.json()["errors"][0]["campo"] in ("query.limit", "query.offset")


def test_every_list_in_the_document_is_paged(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    plain_lists, paged = [], []
    for path, item in spec["paths"].items():
        operation = item.get("get")
        ok = (operation or {}).get("responses", {}).get("200", {})
        schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
        if schema.get("type") == "array":
            plain_lists.append(path)
        ref = schema.get("$ref", "").rsplit("/", 1)[-1]
        if ref and set(schemas[ref].get("properties", {})) >= ENVELOPE:
            names = {p["name"] for p in operation["parameters"]}
            assert {"limit", "offset"} <= names, path
            paged.append(path)
    assert plain_lists == []
    assert len(paged) >= 20
