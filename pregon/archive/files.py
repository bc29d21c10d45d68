"""Local paths for files that may live elsewhere (an upload, a storage handle)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.core.files import File

# What a file can arrive as: a path, a Django File (an upload, a storage handle) or
# any binary file object.
Source = str | Path | File | IO[bytes]


@contextlib.contextmanager
def as_path(source: Source) -> Iterator[Path]:
    """A filesystem path for a path, a Django UploadedFile or any File-like object:
    itself when it has one, else a temporary copy removed on exit."""
    if isinstance(source, (str, Path)):
        yield Path(source)
        return
    if hasattr(source, "temporary_file_path"):
        yield Path(source.temporary_file_path())
        return
    fd, name = tempfile.mkstemp(prefix="pregon-ingest-")
    copy = Path(name)
    try:
        with open(fd, "wb") as out:
            if hasattr(source, "chunks"):
                for chunk in source.chunks():
                    out.write(chunk)
            else:
                shutil.copyfileobj(source, out)
        yield copy
    finally:
        copy.unlink(missing_ok=True)
