from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SHARED = Path("/work/shared/testdata/media")


@pytest.fixture
def data():
    return DATA


@pytest.fixture
def shared():
    """The bigger real camera files; skipped cleanly when the shared folder is absent."""
    if not SHARED.is_dir():
        pytest.skip("/work/shared/testdata/media no está disponible")
    return SHARED


@pytest.fixture
def ingest(db):
    from pregon.archive.services import asset_ingest

    def run(path: Path, name: str | None = None, **kwargs):
        return asset_ingest(
            file_path_or_uploaded_file=path, original_name=name or path.name, **kwargs
        )

    return run
