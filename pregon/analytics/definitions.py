"""Every audience figure is defined once, here, and the same text is shown next to it
on the dashboards and in reports."""

from dataclasses import dataclass

LIKES_BAND = (50, 200)  # plan: typical likes per post
MIN_POSTS = 5  # a group of fewer posts is shown, marked as too few to trust


@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    text: str


DEFINITIONS = {
    d.key: d
    for d in (
        Definition(
            "interactions",
            "Interacciones",
            "Reacciones o «me gusta» + comentarios + veces compartida + guardados de una "
            "publicación.",
        ),
        Definition(
            "engagement_reach",
            "Tasa de interacción por alcance",
            "Interacciones ÷ personas alcanzadas × 100, por publicación; el promedio pondera "
            "por alcance (suma de interacciones ÷ suma de alcance).",
        ),
        Definition(
            "engagement_followers",
            "Tasa de interacción por seguidores",
            "Interacciones promedio por publicación ÷ seguidores al final del periodo × 100.",
        ),
        Definition(
            "growth",
            "Crecimiento de seguidores",
            "(Seguidores al final del periodo − seguidores al inicio) ÷ seguidores al inicio "
            "× 100: cada cuenta frente a su propia primera cifra del periodo (con varias "
            "cuentas, se suman las de las cuentas con cifras). La línea base del plan es una "
            "sola cifra que Coordinación fija en Metas, con su fecha y las cuentas que cubre, "
            "y se compara con la suma de esas cuentas.",
        ),
        Definition(
            "avg_interactions",
            "Interacciones promedio por publicación",
            f"Suma de interacciones ÷ número de publicaciones del periodo. Referencia del plan: "
            f"{LIKES_BAND[0]}–{LIKES_BAND[1]} «me gusta» por publicación.",
        ),
        Definition(
            "engagement_post",
            "Tasa de interacción de una publicación propia",
            "Interacciones ÷ alcance × 100 de cada publicación que Pregón envió; si la red no "
            "dio el alcance (X), ÷ seguidores de la cuenta ese día × 100. Día y hora de "
            "publicación en hora de la Ciudad de México.",
        ),
        Definition(
            "engagement_group",
            "Tasa media de un grupo de publicaciones",
            f"Media de las tasas de sus publicaciones (n), con su intervalo de confianza al "
            f"95 % (t de Student, sobre las publicaciones). Poco confiable: menos de "
            f"{MIN_POSTS} publicaciones o un intervalo más ancho que la propia cifra. Las "
            f"mejores horas se ordenan por el extremo bajo del intervalo, para que una sola "
            f"publicación afortunada no gane.",
        ),
        Definition(
            "home_share",
            "Público en el municipio y sus vecinos",
            "Personas que la red ubica en el municipio (o en él y los municipios vecinos) ÷ "
            "todas las personas que lista con ciudad conocida × 100. Instagram lista sólo las "
            "45 ciudades principales, así que el porcentaje es sobre ellas.",
        ),
        Definition(
            "visits",
            "Visitas al portal",
            "Páginas vistas por personas (GET con respuesta correcta, sin imágenes, estilos ni "
            "scripts, sin robots conocidos), de las bitácoras del servidor o del contador del "
            "portal.",
        ),
        Definition(
            "visitors",
            "Visitantes únicos diarios",
            "Combinaciones distintas de dirección IP y navegador en un día, contadas con una "
            "huella cifrada con una sal que cambia cada día; no se guarda ninguna IP.",
        ),
    )
}


def percent(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def engagement_rate_by_reach(interactions: int, reach: int) -> float | None:
    return percent(interactions, reach)


def engagement_rate_by_followers(avg_interactions: float, followers: int) -> float | None:
    return percent(avg_interactions, followers)


def growth_rate(current: int, baseline: int) -> float | None:
    return percent(current - baseline, baseline)


def average_interactions(total: int, posts: int) -> float | None:
    return round(total / posts, 1) if posts else None
