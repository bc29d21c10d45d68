"""Public copies (what networks and the Instagram fetch read) are written once,
atomically, and never rewritten while someone may be reading them."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pregon.archive.public import asset_public_derivative


def _complete_jpeg(data: bytes) -> bool:
    return data[:3] == b"\xff\xd8\xff" and data.rstrip(b"\0")[-2:] == b"\xff\xd9"


def test_concurrent_makers_and_readers_never_see_a_partial_file(ingest, data):
    asset = ingest(data / "exiftool" / "GPS.jpg")
    stop = threading.Event()
    bad: list[str] = []
    seen: list[Path] = []

    def make() -> Path:
        return asset_public_derivative(asset)

    def read() -> int:
        reads, deadline = 0, time.monotonic() + 30  # bounded even if makers hang
        while not stop.is_set() and time.monotonic() < deadline:
            for path in list(seen):
                body = path.read_bytes()
                reads += 1
                if not _complete_jpeg(body):
                    bad.append(f"{len(body)} bytes")
        return reads

    with ThreadPoolExecutor(max_workers=12) as pool:
        readers = [pool.submit(read) for _ in range(4)]
        first = pool.submit(make).result()
        seen.append(first)
        stat = first.stat()
        made = [pool.submit(make) for _ in range(40)]
        paths = {future.result() for future in made}
        stop.set()
        reads = sum(reader.result() for reader in readers)
    assert paths == {first}
    assert reads > 0 and bad == []
    # Never rewritten: same inode, same modification time as the first time.
    assert (first.stat().st_ino, first.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    # No temporary files left behind.
    assert [p.name for p in first.parent.iterdir() if p.name.startswith(".")] == []


def test_first_makers_racing_all_get_a_complete_file(ingest, data):
    asset = ingest(data / "exiftool" / "GPS.jpg")
    barrier = threading.Barrier(8)

    def make() -> bytes:
        barrier.wait()
        return asset_public_derivative(asset).read_bytes()

    with ThreadPoolExecutor(max_workers=8) as pool:
        bodies = list(pool.map(lambda _: make(), range(8)))
    assert all(_complete_jpeg(body) for body in bodies)
    assert len(set(bodies)) == 1


def test_new_caption_makes_a_new_copy_and_keeps_the_old_one(ingest, data):
    asset = ingest(data / "exiftool" / "GPS.jpg")
    old = asset_public_derivative(asset)
    old_bytes = old.read_bytes()
    asset.caption = "Entrega de becas en la cabecera municipal"
    new = asset_public_derivative(asset)
    assert new != old
    assert old.read_bytes() == old_bytes  # a reader of the old copy is not disturbed
    assert b"Entrega de becas" in new.read_bytes()


def test_a_public_copy_is_a_file_of_the_default_storage(ingest, data):
    from django.core.files.storage import default_storage

    asset = ingest(data / "exiftool" / "GPS.jpg")
    copy = asset_public_derivative(asset)
    name = f"archivo/publico/{copy.name}"
    assert default_storage.exists(name)
    with default_storage.open(name, "rb") as fh:
        assert fh.read() == copy.read_bytes()
