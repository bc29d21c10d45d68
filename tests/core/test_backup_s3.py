"""Backups read every object of an S3 bucket (through default_storage) and put them
back into an empty one, against a local S3 server (moto) on 127.0.0.1."""

import hashlib
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from pregon.core.backup import backup, restore_files, verify


@pytest.fixture
def s3(s3_bucket):
    return s3_bucket


def _store(name: str, data: bytes) -> None:
    assert default_storage.save(name, ContentFile(data)) == name


def test_backup_copies_every_object_and_restores_into_an_empty_bucket(
    s3, tmp_path, transactional_db
):
    s3("origen")
    objects = {
        "archivo/originales/2026/12/foto.jpg": b"\xff\xd8\xff" + b"a" * 5000,
        "archivo/derivados/ab/foto-thumb.jpg": b"\xff\xd8\xff" + b"b" * 300,
        "diseno/marca/logo.png": b"\x89PNG" + b"c" * 700,
    }
    for name, data in objects.items():
        _store(name, data)
    target = tmp_path / "respaldo"
    first = backup(target)
    manifest = json.loads((target / "manifest.json").read_text())
    assert set(manifest["files"]) == set(objects)
    for name, data in objects.items():
        assert manifest["files"][name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert (target / "files" / name).read_bytes() == data
    assert (first.copied, first.reused) == (3, 0)

    _store("archivo/originales/2026/12/nueva.jpg", b"\xff\xd8\xff" + b"d" * 900)
    second = backup(target)
    assert (second.copied, second.reused, second.files) == (1, 3, 4)

    s3("destino")  # an empty bucket, as in a new installation
    restore_files(target, verify(target))
    for name, data in objects.items():
        with default_storage.open(name, "rb") as fh:
            assert fh.read() == data
    assert default_storage.exists("archivo/originales/2026/12/nueva.jpg")
