"""Demo archive: a few generated photos with Spanish captions and clippings for the
plan year (core.demo_clock) and the last week.

Deterministic (fixed seed) and idempotent: photos are keyed by their SHA-256 (a second
run finds them as duplicates) and clippings by outlet + date + headline.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import pyvips

from pregon.accounts.models import Area
from pregon.archive import search
from pregon.archive.models import Clipping
from pregon.archive.services import IngestError, asset_ingest
from pregon.core import demo_clock

PHOTOS = [
    ("OPDU", "Inauguración de la pavimentación de calles en San Mateo", ["obras", "calles"]),
    ("SMDIF", "Jornada de salud visual con niñas y niños de la colonia Centro", ["salud"]),
    ("PC", "Protección Civil atiende inundaciones en Santa María", ["inundaciones"]),
    ("PRES", "La Presidenta Municipal presenta el informe del primer año", ["informe"]),
]
CLIPPINGS = [
    ("El Sol de Toluca", "impreso", "positivo", "Pavimentan calles de San Mateo"),
    ("Milenio Estado de México", "digital", "neutro", "Chapultepec rinde su primer informe"),
    ("Radio Mexiquense", "radio", "negativo", "Vecinos reportan inundaciones en Santa María"),
    ("Portal Chapultepec", "digital", "positivo", "Jornada de salud visual en el Centro"),
    ("Facebook · Noticias Mexiquenses", "redes", "neutro", "Cierre de calles por obra"),
]


def _photo(path: Path, seed: int, caption: str, keywords: list[str]) -> None:
    x = pyvips.Image.xyz(1600, 1067)
    band = (x[0] * (0.004 + seed * 0.002)).sin() * 70 + (x[1] * 0.006).cos() * 50 + 120
    image = band.bandjoin([band * 0.85, band * (0.5 + seed * 0.1)]).cast("uchar")
    image = image.copy(interpretation="srgb")
    subjects = "".join(f"<rdf:li>{k}</rdf:li>" for k in keywords)
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description rdf:about="">'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{caption}</rdf:li></rdf:Alt>'
        f"</dc:description><dc:subject><rdf:Bag>{subjects}</rdf:Bag></dc:subject>"
        "<dc:creator><rdf:Seq><rdf:li>Unidad de Comunicación Social</rdf:li></rdf:Seq>"
        "</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    image.set_type(pyvips.GValue.blob_type, "xmp-data", xmp.encode())
    image.jpegsave(str(path), Q=85)


def load(stdout: TextIO) -> None:
    rng = random.Random(5)
    made = 0
    with tempfile.TemporaryDirectory(prefix="pregon-demo-") as tmp:
        for i, (short, caption, keywords) in enumerate(PHOTOS):
            path = Path(tmp) / f"demo-{i + 1}.jpg"
            _photo(path, i, caption, keywords)
            try:
                asset_ingest(
                    file_path_or_uploaded_file=path,
                    original_name=path.name,
                    area=Area.objects.filter(short_name=short).first(),
                )
                made += 1
            except IngestError as exc:
                if exc.existing is None:
                    raise
    # The plan year (so the semiannual evaluation has a hemeroteca) and the last week
    # (so today's síntesis informativa is not empty).
    today = demo_clock.today()
    last_week = {today - dt.timedelta(days=d) for d in range(7)}
    year = [demo_clock.year_start() + dt.timedelta(days=d) for d in range(1, 363, 3)]
    days = sorted({d for d in year if d < today} | last_week)
    for day in days:
        for outlet, media, tone, headline in rng.sample(CLIPPINGS, 3 if day in last_week else 2):
            _clipping(rng, day, outlet, media, tone, headline)
    stdout.write(f"  archivo: {made} fotos nuevas, notas de prensa de {len(days)} días\n")


def _clipping(
    rng: random.Random, day: dt.date, outlet: str, media: str, tone: str, headline: str
) -> None:
    clip, _ = Clipping.objects.update_or_create(
        outlet=outlet,
        date=day,
        headline=headline,
        defaults={
            "media_type": media,
            "tone": tone,
            "summary": f"{headline}. Nota registrada para la síntesis del día.",
            "ad_value": Decimal(rng.randrange(2_000, 40_000)),
        },
    )
    search.index_clipping(clip)
