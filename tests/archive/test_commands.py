import json
import shutil
from io import StringIO

import bagit
import pytest
from django.core.management import call_command
from django.utils import timezone

from pregon.archive.models import Asset


def run(*args) -> dict:
    out = StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def card(tmp_path, data):
    """A memory card: good files, a broken one, a hidden one, a sub-folder."""
    root = tmp_path / "DCIM"
    (root / "100CANON").mkdir(parents=True)
    shutil.copy(data / "exiftool" / "GPS.jpg", root / "100CANON" / "IMG_0001.JPG")
    shutil.copy(data / "exiftool" / "IPTC.jpg", root / "100CANON" / "IMG_0002.JPG")
    shutil.copy(data / "metadata-extractor" / "with-gps.mp4", root / "MVI_0003.MP4")
    (root / "IMG_0004.JPG").write_bytes(b"")
    (root / ".Trashes").write_bytes(b"x")
    return root


def test_ingest_folder_is_resumable_and_reports_rejections(db, card, area_factory):
    opdu = area_factory("OPDU")
    first = run("ingest", str(card), "--area", "opdu")
    assert first["ingresados"] == 3 and first["omitidos"] == 0
    assert first["rechazados"] == [
        {"archivo": str(card / "IMG_0004.JPG"), "motivo": "El archivo está vacío (0 bytes)."}
    ]
    assert set(Asset.objects.values_list("area", flat=True)) == {opdu.pk}
    second = run("ingest", str(card))
    assert second["ingresados"] == 0 and second["omitidos"] == 3


def test_ingest_links_activity(db, data, area_factory):
    from pregon.agenda.models import Activity

    now = timezone.now()
    activity = Activity.objects.create(
        title="Inauguración del pozo", starts_at=now, ends_at=now, area=area_factory("OPDU")
    )
    run("ingest", str(data / "exiftool" / "GPS.jpg"), "--activity", str(activity.pk))
    asset = Asset.objects.get()
    assert asset.activity == activity and asset.area == activity.area
    assert list(activity.assets.all()) == [asset]


def test_verify_archive_detects_flipped_byte_and_missing(db, card):
    run("ingest", str(card))
    assert run("verify-archive")["verificados"] == 3
    asset = Asset.objects.order_by("id").first()
    path = asset.original.path
    with open(path, "r+b") as fh:
        fh.seek(100)
        byte = fh.read(1)
        fh.seek(100)
        fh.write(bytes([byte[0] ^ 0x01]))
    other = Asset.objects.order_by("id").last()
    out = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("verify-archive", "--json", stdout=out)
    assert exc.value.code == 1
    report = json.loads(out.getvalue())
    assert [a["id"] for a in report["alterados"]] == [asset.pk]
    import os

    os.remove(other.original.path)
    with pytest.raises(SystemExit):
        call_command("verify-archive", "--json", stdout=(out := StringIO()))
    assert [a["id"] for a in json.loads(out.getvalue())["faltantes"]] == [other.pk]


def test_export_bag_validates(db, card, tmp_path):
    run("ingest", str(card))
    year = Asset.objects.first().created_at.year
    Asset.objects.update(captured_at=None)
    result = run("export-bag", "--year", str(year), str(tmp_path / "bolsa"))
    assert result["archivos"] == 3
    bag = bagit.Bag(str(tmp_path / "bolsa"))
    assert bag.is_valid()
    assert "sha256" in bag.algorithms
    meta = json.loads((tmp_path / "bolsa" / "data" / "metadatos.json").read_text())
    assert {m["sha256"] for m in meta} == set(Asset.objects.values_list("sha256", flat=True))
    # A tampered payload makes the bag invalid: the check is real.
    payload = next((tmp_path / "bolsa" / "data").glob("*.JPG"))
    payload.write_bytes(payload.read_bytes()[:-1] + b"\x00")
    assert not bagit.Bag(str(tmp_path / "bolsa")).is_valid()


def test_bag_is_bagit_1_0_and_verify_archive_names_the_flipped_file(db, card, tmp_path):
    run("ingest", str(card))
    year = Asset.objects.first().created_at.year
    Asset.objects.update(captured_at=None)
    bag_dir = tmp_path / "bolsa"
    run("export-bag", "--year", str(year), str(bag_dir))
    assert (bag_dir / "bagit.txt").read_text().splitlines() == [
        "BagIt-Version: 1.0",
        "Tag-File-Character-Encoding: UTF-8",
    ]
    bag = bagit.Bag(str(bag_dir))  # the Library of Congress library, as the oracle
    assert bag.version_info == (1, 0) and bag.is_valid()
    clean = run("verify-archive", "--bag", str(bag_dir))
    assert clean == {"valida": True, "version": "1.0", "archivos": 4, "problemas": []}
    # One flipped byte in one photo: the report names that file and only it.
    payload = sorted((bag_dir / "data").glob("*.JPG"))[0]
    raw = bytearray(payload.read_bytes())
    raw[200] ^= 0x01
    payload.write_bytes(bytes(raw))
    out = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("verify-archive", "--bag", str(bag_dir), "--json", stdout=out)
    assert exc.value.code == 1
    report = json.loads(out.getvalue())
    assert report["valida"] is False
    assert report["problemas"] and all(
        p.startswith(f"ALTERADO data/{payload.name}:") for p in report["problemas"]
    )
    assert not bagit.Bag(str(bag_dir)).is_valid()
    # A file slipped into the bag is named too.
    payload.write_bytes(bytes(raw[:200]) + bytes([raw[200] ^ 0x01]) + bytes(raw[201:]))
    (bag_dir / "data" / "intruso.txt").write_text("no debería estar aquí")
    with pytest.raises(SystemExit):
        call_command("verify-archive", "--bag", str(bag_dir), "--json", stdout=(out := StringIO()))
    assert json.loads(out.getvalue())["problemas"] == [
        "SOBRA data/intruso.txt (no está en el manifiesto)"
    ]


def test_export_bag_refuses_empty_selection(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No hay archivos"):
        call_command("export-bag", "--year", "1999", str(tmp_path / "b"))


def test_search_command(db, card):
    run("ingest", str(card))
    Asset.objects.filter(original_name="IMG_0002.JPG").update(caption="Inauguración de calles")
    from pregon.archive import search

    for asset in Asset.objects.all():
        search.index_asset(asset)
    result = run("search", "inauguracion", "calle")
    assert [r["titulo"] for r in result["resultados"]] == ["Test IPTC picture"]
