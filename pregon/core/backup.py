"""`pregon backup` and `pregon restore`: the database (SQLite online backup API, or
`pg_dump` custom format), every stored file (local or S3, through default_storage)
and a manifest with the SHA-256 of each piece.

Layout of a backup directory:
    manifest.json          what is here, with sizes and SHA-256 (written last)
    database.sqlite3 | database.pgdump
    secret_key             only when the key was generated under var/ (encrypted secrets)
    files/<storage name>   every original, derivative and staged file
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import DatabaseError, connection

from pregon.core.progress import ProgressBar

MANIFEST = "manifest.json"
FORMAT = "pregon-backup/1"
FILES_DIR = "files"
CHUNK = 1024 * 1024
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why, in Spanish."""


@dataclass
class Entry:
    sha256: str
    size: int


@dataclass
class Summary:
    directory: str
    engine: str
    files: int = 0
    copied: int = 0
    reused: int = 0
    bytes_copied: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "directorio": self.directory,
            "base_de_datos": self.engine,
            "archivos": self.files,
            "copiados": self.copied,
            "reutilizados": self.reused,
            "bytes_copiados": self.bytes_copied,
            "registros": self.counts,
        }


# ---- shared helpers ---------------------------------------------------------------

BarFactory = Callable[[int, str], ProgressBar]


def quiet(total: int, label: str) -> ProgressBar:
    return ProgressBar(total, label, enabled=False)


def _short(name: str) -> str:
    return name if len(name) <= 40 else "…" + name[-39:]


def sha256_of(path: Path) -> Entry:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return Entry(digest.hexdigest(), size)


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Base de datos no admitida para respaldo: {vendor}.")
    return vendor


def model_counts() -> dict[str, int]:
    """Rows per model: what a restore must bring back."""
    counts = {}
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.label] = model._base_manager.count()
    return counts


def storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in the storage, recursively (works for local disk and S3)."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(dirs):
        yield from storage_names(storage, f"{folder}/{sub}" if folder else sub)


def read_manifest(directory: Path) -> dict | None:
    path = directory / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, OSError) as exc:
        raise BackupError(f"El manifiesto {path} está dañado: {exc}.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} no es un manifiesto de respaldo de Pregón.")
    return manifest


def safe_relative(name: str) -> Path:
    """A storage name as a relative path that cannot leave the backup directory."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise BackupError(f"Nombre de archivo no válido en el respaldo: «{name}».")
    return relative


# ---- database ---------------------------------------------------------------------


def dump_database(target: Path) -> None:
    if engine() == "sqlite":
        _sqlite_backup(target)
    else:
        _pg_dump(target)


def _sqlite_backup(target: Path) -> None:
    """The online backup API: a consistent copy while Pregón keeps writing (in WAL
    mode other processes' writers never block it). Our own open transaction would."""
    if connection.in_atomic_block:
        raise BackupError("El respaldo no puede hacerse dentro de una transacción.")
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or "")}
    env.update(PGUSER=str(db.get("USER") or ""), PGDATABASE=str(db["NAME"]))
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return {k: v for k, v in env.items() if v != ""}


def _client_major(program: str) -> int:
    if shutil.which(program) is None:
        raise BackupError(f"Falta «{program}» (paquete postgresql-client) para respaldar.")
    out = subprocess.run([program, "--version"], capture_output=True, text=True, check=True)  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    return int(match.group(1)) if match else 0


def _check_client_version(program: str) -> None:
    """pg_dump/pg_restore older than the server cannot read or write its dumps."""
    connection.ensure_connection()
    server = connection.pg_version // 10000
    client = _client_major(program)
    if client < server:
        raise BackupError(
            f"{program} {client} es más antiguo que el servidor PostgreSQL {server}: "
            f"instale postgresql-client-{server}."
        )


def _pg_dump(target: Path) -> None:
    _check_client_version("pg_dump")
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target)], "pg_dump")


def _run(argv: list[str], label: str) -> None:
    result = subprocess.run(argv, env=_pg_env(), capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{label} falló: {result.stderr.strip()[-800:]}")


def load_database(dump: Path, kind: str) -> None:
    if kind == "sqlite":
        _sqlite_replace(dump)
    else:
        _check_client_version("pg_restore")
        connection.close()
        argv = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error"]
        _run([*argv, "--dbname", _pg_env()["PGDATABASE"], str(dump)], "pg_restore")


def _sqlite_replace(dump: Path) -> None:
    """Swap in the copy atomically; the old WAL files belong to the old database."""
    target = Path(settings.DATABASES["default"]["NAME"])
    connection.close()
    fd, staging = tempfile.mkstemp(dir=target.parent, prefix=".restaurando-")
    os.close(fd)
    shutil.copyfile(dump, staging)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staging, target)


# ---- backup -----------------------------------------------------------------------


def _key_file() -> Path | None:
    """The generated SECRET_KEY decrypts the channel tokens: it travels with the data."""
    path = Path(settings.VAR_DIR) / "secret_key"
    return path if not os.environ.get("SECRET_KEY") and path.exists() else None


def _previous_entries(*dirs: Path | None) -> dict[str, tuple[Path, Entry]]:
    """Files already saved by earlier backups: name -> (where, checksum)."""
    known: dict[str, tuple[Path, Entry]] = {}
    for directory in dirs:
        manifest = read_manifest(directory) if directory else None
        for name, item in (manifest or {}).get("files", {}).items():
            known.setdefault(name, (directory, Entry(item["sha256"], item["size"])))
    return known


def _copy_from_storage(name: str, target: Path) -> Entry:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".parcial")
    digest, size = hashlib.sha256(), 0
    with default_storage.open(name, "rb") as src, partial.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    partial.replace(target)
    return Entry(digest.hexdigest(), size)


def _reuse(source: Path, target: Path) -> None:
    """Same directory: nothing to do; a previous backup: hard link (or copy)."""
    if source.resolve() == target.resolve():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _back_up_file(
    name: str, directory: Path, known: dict[str, tuple[Path, Entry]], summary: Summary
) -> Entry:
    target = directory / FILES_DIR / safe_relative(name)
    previous = known.get(name)
    if previous:
        source = previous[0] / FILES_DIR / safe_relative(name)
        if source.exists() and source.stat().st_size == previous[1].size == _stored_size(name):
            _reuse(source, target)
            summary.reused += 1
            return previous[1]
    entry = _copy_from_storage(name, target)
    summary.copied += 1
    summary.bytes_copied += entry.size
    return entry


def _stored_size(name: str) -> int:
    try:
        return default_storage.size(name)
    except OSError:
        return -1


def _prune(directory: Path, keep: set[str]) -> None:
    """A file deleted from Pregón leaves the mirror too (a same-directory run)."""
    root = directory / FILES_DIR
    if not root.exists():
        return
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(root).as_posix() not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def backup(directory: Path, since: Path | None = None, bar: BarFactory = quiet) -> Summary:
    """Database first (the reference point), then every stored file, manifest last."""
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)  # password hashes, tokens and the key live here
    known = _previous_entries(directory, since)
    kind = engine()
    summary = Summary(str(directory), kind, counts=model_counts())
    dump = directory / DUMP_NAMES[kind]
    partial = dump.with_name(dump.name + ".parcial")
    partial.unlink(missing_ok=True)
    dump_database(partial)
    partial.replace(dump)
    names = list(storage_names(default_storage))
    files: dict[str, dict] = {}
    progress = bar(len(names), "Archivos")
    for name in names:
        entry = _back_up_file(name, directory, known, summary)
        files[name] = {"sha256": entry.sha256, "size": entry.size}
        progress.advance(note=_short(name))
    progress.finish()
    _prune(directory, set(files))
    summary.files = len(files)
    _write_manifest(directory, kind, dump, files, summary)
    return summary


def _write_manifest(directory: Path, kind: str, dump: Path, files: dict, summary: Summary) -> None:
    database = sha256_of(dump)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "database": {"engine": kind, "path": dump.name, **database.__dict__},
        "files": files,
        "counts": summary.counts,
    }
    key = _key_file()
    if key:
        shutil.copyfile(key, directory / "secret_key")
        (directory / "secret_key").chmod(0o600)
        manifest["secret_key"] = sha256_of(directory / "secret_key").__dict__
    else:
        (directory / "secret_key").unlink(missing_ok=True)
    staging = directory / (MANIFEST + ".parcial")
    staging.write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    staging.replace(directory / MANIFEST)


# ---- restore ----------------------------------------------------------------------


def verify(directory: Path, bar: BarFactory = quiet) -> dict:
    """Every piece present and matching its SHA-256, or BackupError naming the file."""
    manifest = read_manifest(directory)
    if manifest is None:
        raise BackupError(f"No es un respaldo de Pregón: falta {directory / MANIFEST}.")
    pieces = [(manifest["database"]["path"], manifest["database"])]
    if "secret_key" in manifest:
        pieces.append(("secret_key", manifest["secret_key"]))
    pieces += [(f"{FILES_DIR}/{n}", item) for n, item in manifest["files"].items()]
    progress = bar(len(pieces), "Verificando")
    for relative, expected in pieces:
        _verify_piece(directory, relative, expected)
        progress.advance(note=_short(relative))
    progress.finish()
    return manifest


def _verify_piece(directory: Path, relative: str, expected: dict) -> None:
    path = directory / safe_relative(relative)
    if not path.is_file():
        raise BackupError(f"Respaldo dañado: falta «{relative}». No se modificó nada.")
    if sha256_of(path).__dict__ != {"sha256": expected["sha256"], "size": expected["size"]}:
        raise BackupError(
            f"Respaldo dañado: «{relative}» no coincide con el manifiesto (SHA-256). "
            "No se modificó nada."
        )


def installation_is_empty() -> tuple[bool, str]:
    """Restore only where nothing would be lost: no people and no stored files."""
    try:
        people = get_user_model()._base_manager.count()
    except DatabaseError:  # no tables yet: a brand-new database
        connection.close()
        people = 0
    if people:
        return False, f"la base de datos ya tiene {people} personas registradas"
    stored = next(storage_names(default_storage), None)
    if stored:
        return False, f"el almacenamiento de archivos ya tiene contenido («{stored}»)"
    return True, ""


def restore(directory: Path, bar: BarFactory = quiet) -> dict:
    """Verify everything first; then database, key and files."""
    manifest = verify(directory, bar)
    kind = manifest["database"]["engine"]
    if kind != engine():
        raise BackupError(
            f"El respaldo es de {kind} y esta instalación usa {engine()}: configure "
            "DATABASE_URL como en el origen."
        )
    empty, why = installation_is_empty()
    if not empty:
        raise BackupError(f"Restaure en una instalación vacía: {why}. No se modificó nada.")
    load_database(directory / manifest["database"]["path"], kind)
    _restore_key(directory, manifest)
    restore_files(directory, manifest, bar)
    return manifest


def restore_files(directory: Path, manifest: dict, bar: BarFactory = quiet) -> None:
    """Every file of a verified backup back into default_storage, under its own name."""
    progress = bar(len(manifest["files"]), "Restaurando")
    for name in manifest["files"]:
        _restore_file(directory, name)
        progress.advance(note=_short(name))
    progress.finish()


def _restore_key(directory: Path, manifest: dict) -> None:
    if "secret_key" in manifest and not os.environ.get("SECRET_KEY"):
        target = Path(settings.VAR_DIR) / "secret_key"
        shutil.copyfile(directory / "secret_key", target)
        target.chmod(0o600)


def _restore_file(directory: Path, name: str) -> None:
    with (directory / FILES_DIR / safe_relative(name)).open("rb") as fh:
        saved = default_storage.save(name, File(fh, name=name))
    if saved != name:
        raise BackupError(f"No se pudo restaurar «{name}» con su nombre (quedó «{saved}»).")
