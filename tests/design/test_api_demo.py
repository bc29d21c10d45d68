"""API endpoints, the home panel and the idempotent demo."""

import io

from pregon.design.models import BrandKit, RenderedPiece


def test_contrast_endpoint(api_client, pedro) -> None:
    client = api_client(pedro)
    ok = client.post(
        "/api/v1/design/contrast",
        {"fg": "#ffffff", "bg": "#7a1f3d"},
        content_type="application/json",
    ).json()
    assert ok["ok"] is True and ok["ratio"] > 9
    bad = client.post(
        "/api/v1/design/contrast",
        {"fg": "#b38e5d", "bg": "#ffffff"},
        content_type="application/json",
    ).json()
    assert bad["ok"] is False and bad["suggestion"].startswith("#")
    wrong = client.post(
        "/api/v1/design/contrast", {"fg": "guinda", "bg": "#fff"}, content_type="application/json"
    )
    assert wrong.status_code == 422 and "«guinda»" in wrong.json()["detail"]
    assert api_client().get("/api/v1/design/templates").status_code == 401


def test_templates_endpoint_lists_fields(api_client, pedro) -> None:
    data = api_client(pedro).get("/api/v1/design/templates").json()["items"]
    campana = next(t for t in data if t["slug"] == "campana")
    assert campana["photo"] is True
    assert [f["name"] for f in campana["fields"]] == ["titulo", "texto"]


def test_demo_is_idempotent_and_home_panel_shows_templates(client, diseno) -> None:
    from pregon.design import demo

    out = io.StringIO()
    demo.load(out)
    demo.load(out)
    assert BrandKit.objects.count() == 1 and BrandKit.objects.active().version == 1
    assert RenderedPiece.objects.count() == len(demo.SAMPLES)
    assert all(p.asset_id for p in RenderedPiece.objects.all())
    client.force_login(diseno)
    page = client.get("/").content.decode()
    assert "Nueva pieza: Campaña" in page
    pieces = client.get("/api/v1/design/pieces").json()["items"]
    assert len(pieces) == len(demo.SAMPLES) and all(p["asset_id"] for p in pieces)
