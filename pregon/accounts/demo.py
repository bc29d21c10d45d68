"""Demo areas and one person per role. The passwords are for the demo only."""

from typing import TextIO

from pregon.accounts.models import Area, AreaKind, User
from pregon.accounts.roles import Role, group_for

AREAS = [
    ("Presidencia Municipal", "PRES", AreaKind.PRESIDENCIA),
    ("Secretaría del Ayuntamiento", "SECAY", AreaKind.DIRECCION),
    ("Tesorería Municipal", "TES", AreaKind.DIRECCION),
    ("Contraloría Municipal", "CONT", AreaKind.DIRECCION),
    ("Dirección de Obras Públicas y Desarrollo Urbano", "OPDU", AreaKind.DIRECCION),
    ("Dirección de Desarrollo Social", "DESOC", AreaKind.DIRECCION),
    ("Dirección de Desarrollo Económico", "DECO", AreaKind.DIRECCION),
    ("Dirección de Seguridad Pública", "SEGPUB", AreaKind.DIRECCION),
    ("Coordinación de Protección Civil", "PC", AreaKind.DIRECCION),
    ("Dirección de Servicios Públicos", "SERVP", AreaKind.DIRECCION),
    ("Dirección de Educación y Cultura", "EDUC", AreaKind.DIRECCION),
    ("Dirección de Medio Ambiente", "MAMB", AreaKind.DIRECCION),
    ("Unidad de Comunicación Social", "COMSOC", AreaKind.DIRECCION),
    ("Sistema Municipal para el Desarrollo Integral de la Familia", "SMDIF", AreaKind.ORGANISMO),
    (
        "Instituto Municipal de Cultura Física y Deporte de Chapultepec",
        "IMCUFIDEC",
        AreaKind.ORGANISMO,
    ),
    ("Defensoría Municipal de Derechos Humanos", "DMDH", AreaKind.AUTONOMO),
]

# username, first name, last name, role, area short name. Password: "<username>-demo-2023".
PEOPLE = [
    ("coordinacion", "Mariana", "Reyes Olvera", Role.COORDINACION, "COMSOC"),
    ("redaccion", "Jorge", "Salinas Peña", Role.REDACCION, "COMSOC"),
    ("diseno", "Fernanda", "Ortiz Luna", Role.DISENO, "COMSOC"),
    ("fotografia", "Luis", "Mendoza Cruz", Role.FOTOGRAFIA, "COMSOC"),
    ("enlace.obras", "Ricardo", "Vargas Soto", Role.ENLACE, "OPDU"),
    ("enlace.dif", "Claudia", "Jiménez Ríos", Role.ENLACE, "SMDIF"),
    ("presidencia", "Ana", "Torres Delgado", Role.PRESIDENCIA, "PRES"),
    ("consulta", "Pedro", "Castillo Rosas", Role.CONSULTA, "CONT"),
]


def demo_password(username: str) -> str:
    return f"{username}-demo-2023"


def load(stdout: TextIO) -> None:
    for name, short, kind in AREAS:
        Area.objects.update_or_create(short_name=short, defaults={"name": name, "kind": kind})
    for username, first, last, role, area in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@chapultepec.gob.mx",
                "area": Area.objects.get(short_name=area),
            },
        )
        if created:
            user.set_password(demo_password(username))
            user.save()
        user.groups.add(group_for(role))
    stdout.write(f"Áreas: {len(AREAS)}; personas de demostración: {len(PEOPLE)}.\n")


def retire(stdout: TextIO) -> None:
    """Close the demo personas (a production installation must not keep them)."""
    closed = User.objects.filter(username__in=[p[0] for p in PEOPLE], is_active=True).update(
        is_active=False
    )
    stdout.write(f"Personas de demostración desactivadas: {closed}.\n")
