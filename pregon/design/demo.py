"""Demo: the Chapultepec brand kit and a few sample pieces (idempotent)."""

from typing import TextIO

from pregon.accounts.models import User
from pregon.design import services
from pregon.design.models import RenderedPiece

SAMPLES = [
    (
        "aviso",
        "1080x1350",
        {
            "etiqueta": "AVISO",
            "titulo": "Suspensión temporal del servicio de agua en la colonia Centro",
            "texto": "El jueves de 9:00 a 15:00 h habrá trabajos de mantenimiento en la red. "
            "Le pedimos almacenar agua con anticipación.",
        },
    ),
    (
        "evento",
        "1080x1080",
        {
            "titulo": "Jornada de limpieza comunitaria",
            "fecha": "Sábado 12 de octubre",
            "hora": "9:00 h",
            "lugar": "Jardín Principal de Chapultepec",
            "texto": "Trae guantes, gorra y agua. ¡Te esperamos!",
        },
    ),
    (
        "cifra",
        "1200x630",
        {
            "cifra": "12,500",
            "descripcion": "toneladas de residuos recolectadas este año",
            "fuente": "Dirección de Servicios Públicos",
        },
    ),
    (
        "cita",
        "1080x1350",
        {
            "cita": "Un municipio limpio, ordenado y en paz se construye entre todas y todos.",
            "autor": "Laura Amalia González Martínez",
            "cargo": "Presidenta Municipal",
        },
    ),
]


def load(stdout: TextIO) -> None:
    designer = User.objects.filter(username="diseno").first()
    kit = services.brandkit_default(designer)
    made = 0
    for template, size, data in SAMPLES:
        if RenderedPiece.objects.filter(template=template, size=size, data=data).exists():
            continue
        services.piece_create(template=template, data=data, size=size, user=designer)
        made += 1
    stdout.write(f"  diseño: kit de marca v{kit.version} activo, {made} piezas de ejemplo nuevas\n")
