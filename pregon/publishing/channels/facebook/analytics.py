"""A Facebook Page's figures: the daily insights asked of the Graph API and the post
export of Meta Business Suite."""

from pregon.publishing.channels.meta import META_EXPORT_COLUMNS
from pregon.publishing.channels.network import AudienceSpec, CsvLayout, InsightsSpec

INSIGHTS = InsightsSpec(
    metrics={
        "page_follows": "followers",
        "page_media_view": "views",
        "page_post_engagements": "engagements",
    },
    post_metric="post_total_media_view_unique",
)
EXPORT = CsvLayout(
    "facebook",
    "Meta Business Suite · Facebook",
    "facebook_page",
    {
        **META_EXPORT_COLUMNS,
        "owner_id": ("Page ID", "Identificador de la página", "ID de la página"),
        "owner_name": ("Page name", "Nombre de la página"),
        "text": ("Title", "Título", "Description", "Descripción"),
        "views": ("Views", "Impressions", "Visualizaciones", "Impresiones"),
        "reactions": ("Reactions", "Reacciones"),
        "engagements": (
            "Reactions, comments and shares",
            "Reacciones, comentarios y veces que se compartió",
        ),
        "clicks": ("Total clicks", "Clics totales"),
    },
    ("remote_id", "owner_id", "published_at", "reach", "reactions", "comments", "shares"),
)

# Meta retired page_fans_city / page_fans_gender_age; the followers' city is asked as
# page_follows_city (values[-1].value is {city: people}).
_RETIRED = (
    "Meta retiró {} de los seguidores de las páginas (page_fans_gender_age) "
    "en 2024 y no ofrece sustituto en la API."
)
AUDIENCE = (
    AudienceSpec("page_follows_city", "city", (("period", "day"),)),
    AudienceSpec("page_fans_gender_age", "age", retired=_RETIRED.format("la edad")),
    AudienceSpec("page_fans_gender_age", "gender", retired=_RETIRED.format("el género")),
)
