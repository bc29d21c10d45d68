"""Compressed access logs cannot grow the worker: a 1 GiB line inside a 1 MB gzip, or a
log that expands past the configured size, stops the import with a Spanish message
that names the line, in bounded memory."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pregon.analytics.models import ImportState, WebLogImport
from tests import hostile

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def long_line_gz(tmp_path_factory) -> Path:
    return hostile.gzip_long_line(tmp_path_factory.mktemp("bitacoras") / "acceso.log.gz")


def test_the_1_gib_line_is_refused_with_its_number(
    long_line_gz, api_client, mariana, django_capture_on_commit_callbacks
):
    assert long_line_gz.stat().st_size < 2 * 1024 * 1024
    upload = SimpleUploadedFile("acceso.log.gz", long_line_gz.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(mariana).post("/api/v1/analytics/imports/weblogs", {"file": upload})
    assert response.status_code == 202
    imp = WebLogImport.objects.get()
    assert imp.state == ImportState.FAILED
    assert imp.error.startswith("Línea 301: pasa de 64 KB")


def test_reading_the_1_gib_line_stays_within_memory(long_line_gz):
    """The reading path alone, in a fresh process: peak memory well under 300 MB."""
    script = f"""
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
import django
django.setup()
from pregon.analytics import weblog
handle, raw = weblog.open_log({str(long_line_gz)!r})
try:
    for _ in weblog.read_chunks(handle, raw, 1, 100000, 0):
        pass
except weblog.WebLogError as exc:
    print(exc)
print([l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0])
"""
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    message, peak_kb = out.stdout.strip().splitlines()[-2:]
    assert message.startswith("Línea 301: pasa de 64 KB")
    assert int(peak_kb) < 300 * 1024


def test_a_log_expanding_past_the_limit_stops(db, settings, tmp_path):
    from pregon.analytics.services import import_weblog
    from pregon.analytics.weblog import WebLogError

    settings.PREGON_WEBLOG_MAX_EXPANDED_MB = 1
    import gzip

    path = tmp_path / "grande.log.gz"
    with gzip.open(path, "wb") as out:
        for n in range(12_000):  # about 2 MB of ordinary lines
            out.write(hostile.WEBLOG_LINE.format(n=n % 250, m=n % 60).encode())
    with pytest.raises(WebLogError, match="descomprimida pasa de 1 MB"):
        import_weblog(str(path), workers=0)
