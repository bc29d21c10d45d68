"""Archive and hemeroteca: originals kept untouched, derivatives, clippings."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AssetKind(models.TextChoices):
    FOTO = "foto", "Foto"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"
    DOCUMENTO = "documento", "Documento"
    DISENO = "diseno", "Diseño"


class AssetStatus(models.TextChoices):
    RECIBIDO = "recibido", "Recibido"
    PROCESANDO = "procesando", "Procesando"
    LISTO = "listo", "Listo"
    ERROR = "error", "Error al procesar"


class Rights(models.TextChoices):
    LIBRE = "libre", "Uso libre"
    RESTRINGIDO = "restringido", "Uso restringido"
    VENCE = "vence", "Uso libre hasta una fecha"


def original_upload_to(instance: Asset, filename: str) -> str:
    # Content-addressed path: the original is never renamed nor overwritten.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"archivo/originales/{instance.sha256[:2]}/{instance.sha256}.{ext}"


def derivative_upload_to(instance: Asset, filename: str) -> str:
    return f"archivo/derivados/{instance.sha256[:2]}/{filename}"


class Asset(models.Model):
    """One file of the archive. `original` is stored once and never modified."""

    kind = models.CharField("tipo", max_length=12, choices=AssetKind.choices)
    original = models.FileField("original", upload_to=original_upload_to, max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    size = models.BigIntegerField("tamaño (bytes)", default=0)
    mime_type = models.CharField("tipo MIME", max_length=100, blank=True)
    original_name = models.CharField("nombre original", max_length=300)
    width = models.PositiveIntegerField("ancho", null=True, blank=True)
    height = models.PositiveIntegerField("alto", null=True, blank=True)
    duration = models.FloatField("duración (s)", null=True, blank=True)
    codecs = models.CharField("códecs", max_length=200, blank=True)
    orientation = models.PositiveSmallIntegerField("orientación EXIF", default=1)
    captured_at = models.DateTimeField("fecha de captura", null=True, blank=True)
    camera = models.CharField("cámara", max_length=200, blank=True)
    gps_lat = models.FloatField("latitud", null=True, blank=True)
    gps_lon = models.FloatField("longitud", null=True, blank=True)
    title = models.CharField("título", max_length=300, blank=True)
    caption = models.TextField("pie de foto / descripción", blank=True)
    credit = models.CharField("crédito / autor", max_length=200, blank=True)
    keywords = models.JSONField("palabras clave", default=list, blank=True)
    alt_text = models.TextField("texto alternativo", blank=True)
    people = models.JSONField("personas", default=list, blank=True)
    place = models.CharField("lugar", max_length=300, blank=True)
    activity = models.ForeignKey(
        "agenda.Activity",
        verbose_name="actividad",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
    )
    area = models.ForeignKey(
        "accounts.Area",
        verbose_name="área",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
    )
    campaign = models.ForeignKey(
        "agenda.Campaign",
        verbose_name="campaña",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
    )
    rights = models.CharField(
        "derechos", max_length=12, choices=Rights.choices, default=Rights.LIBRE
    )
    rights_expires_on = models.DateField("uso libre vence el", null=True, blank=True)
    rights_note = models.CharField("nota de derechos", max_length=300, blank=True)
    contains_minors = models.BooleanField("contiene menores", default=False)
    minors_consent = models.BooleanField("consentimiento de tutores", default=False)
    minors_consent_record = models.CharField(
        "registro del consentimiento", max_length=300, blank=True
    )
    captions = models.FileField(
        "subtítulos (WebVTT)", upload_to=derivative_upload_to, max_length=300, blank=True
    )
    no_captions_reason = models.CharField(
        "motivo para no llevar subtítulos",
        max_length=300,
        blank=True,
        help_text="Por ejemplo: «sin voz, solo música». Un video sin subtítulos ni motivo "
        "no puede publicarse.",
    )
    thumbnail = models.FileField(
        "miniatura", upload_to=derivative_upload_to, max_length=300, blank=True
    )
    preview = models.FileField(
        "vista previa", upload_to=derivative_upload_to, max_length=300, blank=True
    )
    phash = models.CharField("huella perceptual", max_length=16, blank=True, db_index=True)
    status = models.CharField(
        "estado", max_length=12, choices=AssetStatus.choices, default=AssetStatus.RECIBIDO
    )
    status_message = models.CharField("mensaje de estado", max_length=500, blank=True)
    metadata = models.JSONField("metadatos leídos", default=dict, blank=True)
    last_verified_at = models.DateTimeField("última verificación", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="subido por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("recibido", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "archivo"
        verbose_name_plural = "archivos"
        indexes = [
            models.Index(fields=["kind", "-captured_at"]),
            models.Index(fields=["-captured_at"]),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name

    @property
    def has_gps(self) -> bool:
        return self.gps_lat is not None and self.gps_lon is not None

    @property
    def is_video(self) -> bool:
        return self.kind == AssetKind.VIDEO

    @property
    def public_use_blocked(self) -> bool:
        """Minors without a consent record never go to public channels."""
        return self.contains_minors and not self.minors_consent


class MediaType(models.TextChoices):
    IMPRESO = "impreso", "Impreso"
    RADIO = "radio", "Radio"
    TELEVISION = "television", "Televisión"
    DIGITAL = "digital", "Digital"
    REDES = "redes", "Redes sociales"


class Tone(models.TextChoices):
    POSITIVO = "positivo", "Positivo"
    NEUTRO = "neutro", "Neutro"
    NEGATIVO = "negativo", "Negativo"


class Clipping(models.Model):
    """A piece of press coverage (hemeroteca)."""

    outlet = models.CharField("medio", max_length=200)
    media_type = models.CharField("tipo de medio", max_length=12, choices=MediaType.choices)
    date = models.DateField("fecha")
    section = models.CharField("sección", max_length=200, blank=True)
    page = models.CharField("página", max_length=20, blank=True)
    author = models.CharField("autor", max_length=200, blank=True)
    headline = models.CharField("titular", max_length=400)
    summary = models.TextField("resumen", blank=True)
    tone = models.CharField("tono", max_length=10, choices=Tone.choices, default=Tone.NEUTRO)
    url = models.URLField("enlace", max_length=500, blank=True)
    capture = models.ForeignKey(
        Asset,
        verbose_name="captura",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clippings",
    )
    duration_seconds = models.PositiveIntegerField("duración (s)", null=True, blank=True)
    area_cm2 = models.PositiveIntegerField("superficie (cm²)", null=True, blank=True)
    ad_value = models.DecimalField(
        "valor publicitario equivalente (MXN)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    is_own_bulletin = models.BooleanField("es boletín propio", default=False)
    topics = models.JSONField("temas", default=list, blank=True)
    activity = models.ForeignKey(
        "agenda.Activity",
        verbose_name="actividad",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clippings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "nota de prensa"
        verbose_name_plural = "notas de prensa"

    def __str__(self) -> str:
        return f"{self.outlet}: {self.headline}"


class SearchEntry(models.Model):
    """Denormalised, normalised text of an asset or clipping for full-text search.

    One row per searchable object; the FTS5 table (SQLite) or the GIN index
    (PostgreSQL) is built over `text`, which holds already-normalised words
    (see search.normalize) so both backends match the same way.
    """

    ASSET = "asset"
    CLIPPING = "clipping"
    object_type = models.CharField(max_length=10)
    object_id = models.BigIntegerField()
    text = models.TextField(blank=True)
    # Denormalised filter/facet columns.
    kind = models.CharField(max_length=12, blank=True)
    date = models.DateTimeField(null=True, blank=True)
    area_id = models.BigIntegerField(null=True, blank=True)
    activity_id = models.BigIntegerField(null=True, blank=True)
    campaign_id = models.BigIntegerField(null=True, blank=True)
    tone = models.CharField(max_length=10, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    has_gps = models.BooleanField(default=False)
    contains_minors = models.BooleanField(default=False)
    # Newest-first key: capture/publication second << 20 | low bits of the object id
    # (see search.sort_key). It is also the FTS5 rowid on SQLite, so "newest first"
    # is the full-text index's own order and a LIMIT stops the walk early.
    sort_key = models.BigIntegerField(null=True, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="archive_search_obj")
        ]
        indexes = [models.Index(fields=["kind", "sort_key"], name="archive_search_kind_key")]

    def __str__(self) -> str:
        return f"{self.object_type} #{self.object_id}"


class IngestItemStatus(models.TextChoices):
    PENDIENTE = "pendiente", "En cola"
    PROCESANDO = "procesando", "Procesando"
    LISTO = "listo", "Listo"
    RECHAZADO = "rechazado", "Rechazado"


class IngestItem(models.Model):
    """One uploaded file waiting for (or done with) the background worker."""

    batch = models.CharField("lote", max_length=40, db_index=True)
    staged = models.FileField("archivo recibido", upload_to="archivo/entrada/", max_length=300)
    original_name = models.CharField("nombre original", max_length=300)
    status = models.CharField(
        "estado",
        max_length=12,
        choices=IngestItemStatus.choices,
        default=IngestItemStatus.PENDIENTE,
    )
    message = models.CharField("mensaje", max_length=500, blank=True)
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.ForeignKey(
        "agenda.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area = models.ForeignKey(
        "accounts.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "archivo en proceso"
        verbose_name_plural = "archivos en proceso"

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
