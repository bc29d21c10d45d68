"""Issue 14's outage: a 190,000-row metrics export imported by one process while the
worker takes photos into the archive must not lock anyone out. Three processes share
one SQLite file (WAL), as `pregon serve` runs them: the importer, the photo worker
and a person who uploads, saves publications and loads pages the whole time. Nothing
fails (no `database is locked`) and nothing is lost."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import hostile

ROOT = Path(__file__).resolve().parents[2]


def _env(folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        PREGON_VAR_DIR=str(folder),
        PREGON_MEDIA_ROOT=str(folder / "media"),
        PREGON_TASKS_BACKEND="immediate",
        PREGON_HTTPS="false",
        DJANGO_SETTINGS_MODULE="pregon.settings",
    )
    return env


def _actor(mode: str, folder: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "tests.core.concurrency_actor", mode, str(folder)],
        cwd=ROOT,
        env=_env(folder),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(proc: subprocess.Popen, timeout: int = 900) -> dict:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


def test_import_photos_and_a_person_at_once_on_one_sqlite_file(tmp_path):
    pregon = [sys.executable, "-m", "pregon"]
    subprocess.run([*pregon, "migrate", "-v0"], cwd=ROOT, env=_env(tmp_path), check=True)
    setup = _result(_actor("setup", tmp_path))
    (tmp_path / "setup.json").write_text(json.dumps(setup))
    export = tmp_path / "cifras.csv"
    export.write_bytes(hostile.metrics_csv(190_000))

    person = _actor("user", tmp_path)
    worker = _actor("photos", tmp_path)
    importer = subprocess.Popen(  # noqa: S603 - fixed argv
        [*pregon, "import-metrics", str(export), "--account", "Municipio", "--json"],
        cwd=ROOT,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    imported = _result(importer)
    photos = _result(worker)
    (tmp_path / "done").touch()
    seen = _result(person)

    assert imported["ok"] and imported["created"] == 190_000
    assert photos == {"photos": 12, "errors": []}
    assert seen["errors"] == [], seen["errors"][0]
    assert seen["rounds"] >= 3
    assert seen["uploads"] == seen["publications"] == seen["pages"] == seen["rounds"]

    count = (
        "from pregon.analytics.models import PostMetric; from pregon.archive.models import Asset;"
        "from pregon.publishing.models import Publication;"
        "print('CUENTAS', PostMetric.objects.count(), Asset.objects.count(),"
        "Publication.objects.count())"
    )
    out = subprocess.run(
        [*pregon, "shell", "-c", count],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("CUENTAS"))
    assert [int(x) for x in line.split()[1:]] == [
        190_000,
        12 + seen["uploads"],
        seen["publications"],
    ]
