"""Ingest benchmark: 24-MP JPEGs with EXIF + GPS → SHA-256, metadata, both derivatives, dHash.

Runs Pregón's real `asset_ingest` (files stored, rows written, search indexed) in
N worker processes against a throw-away SQLite database and media folder, and,
in the same run, a plain Pillow pipeline doing the same work on the same files.

    .venv/bin/python benchmarks/archive_ingest.py [--photos 24] [--workers 2]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import resource
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_photos(folder: Path, count: int) -> list[Path]:
    """Realistic-ish 6000×4000 camera JPEGs: smooth scene + sensor noise, EXIF and GPS."""
    import pyvips
    from PIL import Image

    x = pyvips.Image.xyz(6000, 4000)
    scene = (x[0] * 0.03).sin() * 60 + (x[1] * 0.02).cos() * 50 + 120
    # Independent sensor noise per band: ≈ 7.7 MB at Q92, the size of a real 24-MP
    # camera JPEG (entropy decoding, which depends on file size, dominates the cost).
    noise = [pyvips.Image.gaussnoise(6000, 4000, sigma=14) for _ in range(3)]
    bands = [scene + noise[0], scene * 0.8 + noise[1], scene * 0.6 + noise[2]]
    base = bands[0].bandjoin(bands[1:]).copy_memory()
    paths = []
    for i in range(count):
        # A small exposure shift (clipping would shrink the files below a real camera's
        # size); the EXIF date below makes every file's hash unique anyway.
        rgb = (base + (i % 4) * 2).cast("uchar").copy(interpretation="srgb")
        exif = Image.Exif()
        exif[271], exif[272], exif[274] = "Canon", "Canon EOS R6", 1
        exif[306] = f"2026:03:{1 + i % 28:02d} 10:{i % 60:02d}:00"
        gps = exif.get_ifd(0x8825)
        gps.update({1: "N", 2: (19.0, 11.0, 42.5), 3: "W", 4: (99.0, 34.0, 12.0)})
        blob = exif.tobytes()  # Pillow already adds the APP1 "Exif" header
        rgb.set_type(pyvips.GValue.blob_type, "exif-data", blob)
        path = folder / f"IMG_{i:04d}.JPG"
        rgb.jpegsave(str(path), Q=92)
        paths.append(path)
    return paths


def _django(db_path: str, media: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["PREGON_MEDIA_ROOT"] = media
    os.environ["PREGON_TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
    import django

    django.setup()


_barrier = None


def _init(barrier) -> None:
    global _barrier
    _barrier = barrier


def _ready() -> float:
    """Every worker loaded (Django, libvips): start the clock together."""
    if _barrier is not None:
        _barrier.wait()
    return time.time()


def pregon_worker(args) -> tuple:
    paths, db_path, media = args
    _django(db_path, media)
    from pregon.archive.services import asset_ingest

    began = _ready()
    cpu = _cpu()
    for path in paths:
        asset_ingest(file_path_or_uploaded_file=path, original_name=Path(path).name)
    return len(paths), _peak_mb(), _cpu() - cpu, began, time.time()


def _cpu() -> float:
    """CPU seconds of this process, all threads (libvips works in its own threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> int:
    """This process's own peak resident memory. Linux's VmHWM belongs to the process
    image; ru_maxrss would also carry the parent's peak across fork + exec (the
    parent holds the generated photos in memory)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def pillow_worker(args) -> tuple:
    """The same work with plain Pillow: hash, EXIF/GPS, upright, 1440 + 400 px, dHash."""
    paths, out = args
    from PIL import Image, ImageOps

    began = _ready()
    cpu = _cpu()
    for path in paths:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        with Image.open(path) as im:
            exif = im.getexif()
            _ = (exif.get(271), exif.get(272), exif.get_ifd(0x8825).get(2))
            im = ImageOps.exif_transpose(im).convert("RGB")
            preview = im.copy()
            preview.thumbnail((1440, 1440), Image.Resampling.LANCZOS)
            thumb = preview.copy()
            thumb.thumbnail((400, 400), Image.Resampling.LANCZOS)
            for name, img in (("p", preview), ("t", thumb)):
                buf = io.BytesIO()
                img.save(buf, "JPEG", quality=82)
                Path(out, f"{digest}-{name}.jpg").write_bytes(buf.getvalue())
            small = thumb.convert("L").resize((9, 8), Image.Resampling.LANCZOS).tobytes()
            _ = sum(1 << i for i in range(64) if small[i + i // 8] > small[i + i // 8 + 1])
    return len(paths), _peak_mb(), _cpu() - cpu, began, time.time()


def timed(worker, jobs) -> tuple[float, int, int, float, float]:
    """Wall seconds once the workers are loaded, photos, peak MB of the largest worker,
    CPU seconds of all workers, and wall seconds including process start-up."""
    start = time.perf_counter()
    # "spawn", not fork: the parent has already started libvips' thread pool (it made
    # the photos), and a forked child of a threaded libvips can deadlock.
    context = get_context("spawn")
    barrier = context.Barrier(len(jobs))
    with context.Pool(len(jobs), initializer=_init, initargs=(barrier,)) as pool:
        results = pool.map(worker, jobs, chunksize=1)
    with_startup = time.perf_counter() - start
    steady = max(r[4] for r in results) - min(r[3] for r in results)
    photos, peak, cpu = (
        sum(r[0] for r in results),
        max(r[1] for r in results),
        sum(r[2] for r in results),
    )
    return steady, photos, peak, cpu, with_startup


def report(name: str, wall: float, n: int, mem: int, cpu: float, with_startup: float) -> None:
    per = cpu / n
    cores = os.cpu_count() or 1
    print(f"{name:28} reloj {n / wall:6.2f} fotos/s ({n / with_startup:.2f} con el arranque) | "
          f"CPU {per * 1000:4.0f} ms/foto → {cores / per:5.1f} fotos/s en {cores} núcleos "
          f"libres | pico {mem} MB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pregon-bench-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "in").mkdir()
        (tmp_path / "pillow").mkdir()
        print(f"Generando {args.photos} fotos de 24 MP…", flush=True)
        photos = make_photos(tmp_path / "in", args.photos)
        size = sum(p.stat().st_size for p in photos) / len(photos) / 1e6
        db = str(tmp_path / "bench.sqlite3")
        _django(db, str(tmp_path / "media"))
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        shares = [[str(p) for p in photos[i :: args.workers]] for i in range(args.workers)]
        load_before = os.getloadavg()[0]
        pregon = timed(pregon_worker, [(s, db, str(tmp_path / "media")) for s in shares])
        pillow = timed(pillow_worker, [(s, str(tmp_path / "pillow")) for s in shares])
    print(f"Fotos: {args.photos} × 6000×4000 JPEG (≈{size:.1f} MB), {args.workers} procesos, "
          f"{os.cpu_count()} núcleos; carga del sistema {load_before:.1f} → "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    report("Pregón (pyvips, fin a fin):", *pregon)
    report("Pillow simple:", *pillow)
    print("Meta: ≥ 12 fotos/s y ≤ 200 MB por proceso. «Reloj» depende de la carga de la")
    print("máquina compartida; «CPU» es el costo propio por foto (todos los hilos).")


if __name__ == "__main__":
    main()
