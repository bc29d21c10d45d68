"""What Meta's two networks (Facebook Pages, Instagram) share beyond the Graph API:
the columns every Meta Business Suite post export has."""

META_EXPORT_COLUMNS = {
    "remote_id": ("Post ID", "Identificador de la publicación", "ID de la publicación"),
    "published_at": ("Publish time", "Hora de publicación"),
    "permalink": ("Permalink", "Enlace permanente"),
    "post_type": ("Post type", "Tipo de publicación"),
    "period": ("Date", "Fecha"),
    "reach": ("Reach", "Alcance"),
    "comments": ("Comments", "Comentarios"),
    "shares": ("Shares", "Veces que se compartió", "Compartidos"),
}
