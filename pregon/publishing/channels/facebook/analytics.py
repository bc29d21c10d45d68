"""A Facebook Page's figures: the daily insights asked of the Graph API and the post
export of Meta Business Suite."""

from pregon.publishing.channels.meta import META_EXPORT_COLUMNS
from pregon.publishing.channels.network import CsvLayout, InsightsSpec

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
