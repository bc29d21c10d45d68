"""An Instagram account's figures: the daily insights asked of the Graph API and the
post export of Meta Business Suite."""

from pregon.publishing.channels.meta import META_EXPORT_COLUMNS
from pregon.publishing.channels.network import AudienceSpec, CsvLayout, InsightsSpec

INSIGHTS = InsightsSpec(
    metrics={"follower_count": "follows_gained", "reach": "reach", "views": "views"},
    total_value=frozenset({"views"}),
    # follower_count is followers gained per day; the total is a field of the account.
    followers_field="followers_count",
)
EXPORT = CsvLayout(
    "instagram",
    "Meta Business Suite · Instagram",
    "instagram",
    {
        **META_EXPORT_COLUMNS,
        "owner_id": ("Account ID", "Identificador de la cuenta", "ID de la cuenta"),
        "owner_name": ("Account username", "Nombre de usuario de la cuenta"),
        "text": ("Description", "Descripción"),
        "views": ("Views", "Impressions", "Visualizaciones", "Impresiones"),
        "reactions": ("Likes", "Me gusta"),
        "saves": ("Saves", "Veces que se guardó", "Guardados"),
        "follows": ("Follows", "Seguimientos"),
    },
    ("remote_id", "owner_id", "published_at", "reach", "reactions", "comments"),
)

# Lifetime demographics, asked with metric_type=total_value, a timeframe (this_week or
# this_month since v20) and one breakdown per request.
AUDIENCE = tuple(
    AudienceSpec(
        metric,
        dimension,
        (
            ("period", "lifetime"),
            ("metric_type", "total_value"),
            ("timeframe", "this_month"),
            ("breakdown", dimension),
        ),
    )
    for metric in ("follower_demographics", "engaged_audience_demographics")
    for dimension in ("city", "age", "gender")
)
