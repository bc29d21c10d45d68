"""Preservation: fixity of the originals and BagIt exports (RFC 8493) of an
activity or a year, with the checks that read them back."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import bagit

from pregon.archive.models import Asset

CHUNK = 1024 * 1024


def verify_archive() -> dict[str, Any]:
    """Re-hash every original; report missing and altered files."""
    missing, altered, ok = [], [], 0
    for asset in Asset.objects.only("id", "original", "sha256", "original_name").iterator():
        try:
            with asset.original.open("rb") as fh:
                digest = hashlib.sha256()
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
        except (FileNotFoundError, OSError):
            missing.append({"id": asset.pk, "name": asset.original_name})
            continue
        if digest.hexdigest() != asset.sha256:
            altered.append({"id": asset.pk, "name": asset.original_name})
        else:
            ok += 1
    return {"verificados": ok, "faltantes": missing, "alterados": altered}


def export_bag(
    directory: str, *, activity_id: int | None = None, year: int | None = None
) -> dict[str, Any]:
    """Copy the originals of an activity or a year into a BagIt bag and validate it.

    The payload holds the untouched originals plus `metadatos.json` with what
    Pregón knows about each (caption, credit, dates, GPS, activity, rights).
    """
    qs = Asset.objects.select_related("activity", "area").order_by("id")
    if activity_id is not None:
        qs = qs.filter(activity_id=activity_id)
        label = f"actividad {activity_id}"
    elif year is not None:
        qs = qs.filter(captured_at__year=year) | Asset.objects.filter(
            captured_at__isnull=True, created_at__year=year
        )
        label = f"año {year}"
    else:
        raise ValueError("Indique --activity o --year.")
    assets = list(qs.distinct())
    if not assets:
        raise ValueError(f"No hay archivos para {label}.")
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise ValueError(f"La carpeta «{directory}» ya existe y no está vacía.")
    target.mkdir(parents=True, exist_ok=True)
    records = []
    for asset in assets:
        name = f"{asset.pk:07d}-{Path(asset.original_name).name}"
        with asset.original.open("rb") as src, open(target / name, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        records.append(_bag_record(asset, name))
    (target / "metadatos.json").write_text(
        json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    bag = bagit.make_bag(
        str(target),
        {
            "Source-Organization": "H. Ayuntamiento de Chapultepec, Unidad de Comunicación Social",
            "External-Description": f"Archivo Pregón: {label}",
        },
        checksums=["sha256", "sha512"],
    )
    bag = _declare_bagit_1_0(bag)
    bag.validate()
    for record in records:  # the bag's own manifest must agree with our fixity record
        if bag.entries[f"data/{record['archivo']}"]["sha256"] != record["sha256"]:
            raise ValueError(f"El original de #{record['id']} no coincide con su SHA-256.")
    return {"bolsa": str(target), "archivos": len(records)}


def _declare_bagit_1_0(bag: bagit.Bag) -> bagit.Bag:
    """bagit-python writes «BagIt-Version: 0.97»; the bag is built the RFC 8493 way
    (UTF-8 tag files, payload manifests for SHA-256 and SHA-512), so declare 1.0 and
    recompute the tag manifests that cover bagit.txt."""
    declaration = Path(bag.path) / "bagit.txt"
    declaration.write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    bag = bagit.Bag(bag.path)
    bag.save()
    return bag


def verify_bag(path: str) -> dict[str, Any]:
    """Validate an exported bag with the bagit library: every payload file against
    its manifests, nothing missing, nothing added. Names the exact files."""
    try:
        bag = bagit.Bag(path)
    except bagit.BagError as exc:
        return {"valida": False, "version": "", "problemas": [f"No es una bolsa BagIt: {exc}"]}
    try:
        bag.validate()
    except bagit.BagError as exc:
        problems = _bag_problems(exc)
        problems += [p for p in _bag_inventory(bag) if p not in problems]
        return {
            "valida": False,
            "version": _bag_version(path),
            "problemas": problems or [f"La bolsa no es válida: {exc}"],
        }
    files = len(bag.payload_entries()) if hasattr(bag, "payload_entries") else len(bag.entries)
    return {"valida": True, "version": bag.version, "archivos": files, "problemas": []}


def _bag_version(path: str) -> str:
    try:
        text = (Path(path) / "bagit.txt").read_text("utf-8")
    except OSError:
        return ""
    return next((line.split(":", 1)[1].strip() for line in text.splitlines()
                 if line.startswith("BagIt-Version")), "")  # fmt: skip


def _bag_problems(exc: bagit.BagError) -> list[str]:
    problems = []
    for detail in getattr(exc, "details", None) or []:
        if isinstance(detail, bagit.ChecksumMismatch):
            problems.append(
                f"ALTERADO {detail.path}: {detail.algorithm} esperado {detail.expected}, "
                f"calculado {detail.found}"
            )
        elif isinstance(detail, bagit.FileMissing):
            problems.append(f"FALTA {detail.path}")
        elif isinstance(detail, bagit.UnexpectedFile):
            problems.append(f"SOBRA {detail.path} (no está en el manifiesto)")
        else:
            problems.append(str(detail))
    return problems


def _bag_inventory(bag: bagit.Bag) -> list[str]:
    """Files the manifests name that are gone, and files nobody listed: the quick
    Payload-Oxum check stops bagit before it names them."""
    missing, extra = bag.compare_manifests_with_fs()
    return [f"FALTA {p}" for p in sorted(missing)] + [
        f"SOBRA {p} (no está en el manifiesto)" for p in sorted(extra)
    ]


def _bag_record(asset: Asset, name: str) -> dict[str, Any]:
    return {
        "archivo": name,
        "id": asset.pk,
        "sha256": asset.sha256,
        "tipo": asset.kind,
        "mime": asset.mime_type,
        "nombre_original": asset.original_name,
        "titulo": asset.title,
        "pie": asset.caption,
        "credito": asset.credit,
        "palabras_clave": asset.keywords,
        "fecha_captura": asset.captured_at.isoformat() if asset.captured_at else None,
        "camara": asset.camera,
        "gps": [asset.gps_lat, asset.gps_lon] if asset.has_gps else None,
        "actividad": str(asset.activity) if asset.activity_id else None,
        "area": asset.area.short_name if asset.area else None,
        "derechos": asset.get_rights_display(),
        "contiene_menores": asset.contains_minors,
    }
