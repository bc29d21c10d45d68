"""The file cache (core/file_cache.py): Django's, counting its folder rarely."""

import os

from pregon.core import file_cache
from pregon.core.file_cache import FileCache


def _cache(folder, entries: int) -> FileCache:
    return FileCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": entries, "CULL_FREQUENCY": 2}})


def test_a_write_does_not_list_the_folder_each_time(tmp_path, monkeypatch):
    cache = _cache(tmp_path, 1000)
    listed = []
    real = FileCache._list_cache_files
    monkeypatch.setattr(FileCache, "_list_cache_files", lambda self: listed.append(1) or real(self))
    for n in range(50):
        cache.set(f"clave-{n}", "valor", 60)
    assert len(listed) == 1  # once, at the first write, not 50 times
    assert cache.get("clave-49") == "valor"


def test_past_the_limit_the_next_count_culls_as_django_does(tmp_path, monkeypatch):
    cache = _cache(tmp_path, 20)
    for n in range(30):  # counted once, at the start: the folder grows past 20
        cache.set(f"clave-{n}", n, 60)
    assert len(os.listdir(tmp_path)) == 30
    monkeypatch.setattr(file_cache, "CULL_SECONDS", 0.0)
    file_cache._next_count.clear()  # noqa: SLF001 - the next write counts again
    cache.set("otra", 1, 60)
    assert len(os.listdir(tmp_path)) <= 20  # half of them removed, then this one written
    assert cache.get("otra") == 1
