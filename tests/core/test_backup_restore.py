"""The backup drill, with the real commands in their own processes: demo + uploaded
photos → backup → wipe → restore → verify-archive clean, same rows in every table,
a photo's bytes identical. Runs on SQLite, and on PostgreSQL when DATABASE_URL
points there (pg_dump/pg_restore)."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from PIL import Image

PG_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgres")


class Installation:
    """One Pregón installation: a var/ directory and (on PostgreSQL) its own database."""

    def __init__(self, root: Path, name: str) -> None:
        self.var = root / name
        self.var.mkdir()
        self.database_url = None
        if ON_POSTGRES:
            base = PG_URL.rsplit("/", 1)[0]
            self.db_name = f"{dj_database_url.parse(PG_URL)['NAME']}_{name}_{uuid.uuid4().hex[:6]}"
            self.database_url = f"{base}/{self.db_name}"
            _admin(f'CREATE DATABASE "{self.db_name}"')

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
        env.update(PREGON_VAR_DIR=str(self.var), PREGON_TASKS_BACKEND="immediate")
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def pregon(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "pregon", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def json(self, *args: str) -> dict:
        return json.loads(self.pregon(*args, "--json").stdout)

    def query(self, sql: str) -> list[tuple]:
        if self.database_url:
            with psycopg.connect(self.database_url) as db:
                return db.execute(sql).fetchall()
        path = self.var / "pregon.sqlite3"
        if not path.exists():
            return []
        with sqlite3.connect(path) as db:
            return db.execute(sql).fetchall()

    def tables(self) -> list[str]:
        if self.database_url:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        return sorted(t for (t,) in self.query(sql) if not t.startswith("sqlite_"))

    def row_counts(self) -> dict[str, int]:
        return {t: self.query(f'SELECT count(*) FROM "{t}"')[0][0] for t in self.tables()}  # noqa: S608 - names from the catalog

    def wipe(self) -> None:
        shutil.rmtree(self.var)
        self.var.mkdir()
        if self.database_url:
            _admin(f'DROP DATABASE "{self.db_name}" WITH (FORCE)')
            _admin(f'CREATE DATABASE "{self.db_name}"')

    def drop(self) -> None:
        if self.database_url:
            _admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')


def _admin(sql: str) -> None:
    server = dj_database_url.parse(PG_URL)
    with psycopg.connect(
        host=server["HOST"],
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as db:
        db.execute(sql)


def _photos(folder: Path, *names: str) -> Path:
    folder.mkdir(exist_ok=True)
    for n, name in enumerate(names):
        image = Image.effect_noise((640, 480), 30 + 7 * n).convert("RGB")
        image.save(folder / name, quality=90)
    return folder


@pytest.fixture
def installations(tmp_path):
    made: list[Installation] = []

    def make(name: str) -> Installation:
        made.append(Installation(tmp_path, name))
        return made[-1]

    yield make
    for inst in made:
        inst.drop()


def test_backup_wipe_restore_drill(tmp_path, installations):
    pregon = installations("origen")
    pregon.pregon("migrate", "--no-input")
    pregon.pregon("demo")
    ingested = pregon.json("ingest", str(_photos(tmp_path / "fotos", "a.jpg", "b.jpg", "c.jpg")))
    assert ingested["ingresados"] == 3
    backup_dir = tmp_path / "respaldo"

    first = pregon.json("backup", "-o", str(backup_dir))
    assert first["copiados"] == first["archivos"] > 9  # demo pieces + 3 photos, derivatives

    # Incremental: a new photo; only its original and derivatives are copied.
    pregon.json("ingest", str(_photos(tmp_path / "mas", "d.jpg")))
    second = pregon.json("backup", "-o", str(backup_dir))
    assert second["reutilizados"] == first["archivos"]
    assert 1 <= second["copiados"] == second["archivos"] - first["archivos"]
    dated = pregon.json("backup", "-o", str(tmp_path / "respaldo-2"), "--since", str(backup_dir))
    assert (dated["copiados"], dated["reutilizados"]) == (0, second["archivos"])

    before = pregon.row_counts()
    [(photo,)] = pregon.query("SELECT original FROM archive_asset WHERE original_name = 'b.jpg'")
    photo_bytes = (pregon.var / "media" / photo).read_bytes()
    assets = before["archive_asset"]

    pregon.wipe()
    assert not (pregon.var / "media").exists()
    restored = pregon.pregon("restore", str(backup_dir))
    assert "Restaurado" in restored.stdout

    report = pregon.json("verify-archive")
    assert report == {"verificados": assets, "faltantes": [], "alterados": []}
    assert pregon.row_counts() == before
    assert (pregon.var / "media" / photo).read_bytes() == photo_bytes
    # People log in again with their passwords: the key and hashes came back.
    check = pregon.pregon(
        "shell",
        "-c",
        "from django.contrib.auth import authenticate;"
        "print(bool(authenticate(username='coordinacion', password='coordinacion-demo-2023')))",
    )
    assert check.stdout.strip().splitlines()[-1] == "True"

    # A second restore over a working installation changes nothing.
    again = pregon.pregon("restore", str(backup_dir), check=False)
    assert again.returncode == 1
    assert "Restaure en una instalación vacía" in again.stderr

    # A damaged backup is refused before anything is touched, naming the file.
    damaged = backup_dir / "files" / photo
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    empty = installations("vacia")
    refused = empty.pregon("restore", str(backup_dir), check=False)
    assert refused.returncode == 1
    assert f"Respaldo dañado: «files/{photo}» no coincide con el manifiesto" in refused.stderr
    assert empty.tables() == []
    assert not (empty.var / "media").exists()
