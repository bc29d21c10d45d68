from django.conf import settings
from django.db import models
from django.db.models import Q

from pregon.core.crypto import EncryptedTextField
from pregon.publishing.channels import registry
from pregon.publishing.channels.network import Network

# The kinds of Pregón's own networks as an enum (ChannelKind.<KIND>), built from the
# registry. The field's choices read the registry itself, so added networks count.
ChannelKind = models.TextChoices(
    "ChannelKind", [(kind.upper(), (kind, label)) for kind, label in registry.kind_choices()]
)


class ChannelState(models.TextChoices):
    ACTIVE = "activa", "Activa"
    RECONNECT = "reconexion", "Requiere reconexión"
    DISABLED = "desactivada", "Desactivada"


class ChannelAccount(models.Model):
    """An account Pregón publishes to. Credentials are encrypted at rest and never
    shown again after saving."""

    kind = models.CharField("tipo", max_length=20, choices=registry.kind_choices)
    name = models.CharField("nombre", max_length=200, unique=True)
    handle = models.CharField("usuario o dirección pública", max_length=200, blank=True)
    external_id = models.CharField("id externo", max_length=100, blank=True)
    base_url = models.URLField("URL base (portal)", blank=True)
    credentials = EncryptedTextField("credenciales", blank=True)
    is_institutional = models.BooleanField(
        "cuenta institucional",
        default=True,
        help_text="Las cuentas personales de servidores públicos no son institucionales.",
    )
    state = models.CharField(
        "estado", max_length=12, choices=ChannelState.choices, default=ChannelState.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField("última prueba de conexión", null=True, blank=True)
    check_ok = models.BooleanField("conexión correcta", null=True, blank=True)
    check_message = models.CharField("resultado de la prueba", max_length=500, blank=True)
    # Token health (daily check): when the network says the token expires, and the
    # permissions Pregón needs that it no longer has.
    token_expires_at = models.DateTimeField("el permiso vence", null=True, blank=True)
    missing_permissions = models.JSONField("permisos que faltan", default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "cuenta de canal"
        verbose_name_plural = "cuentas de canal"

    def __str__(self) -> str:
        return self.name

    @property
    def network(self) -> Network | None:
        """This account's network package (None for a kind no longer installed)."""
        return registry.get(self.kind)

    @property
    def needs_person(self) -> bool:
        """A person publishes it by hand; the engine never sends it."""
        return bool(self.network and self.network.needs_person)


class Category(models.TextChoices):
    """Used by the compliance blackout rules: store the slug."""

    SALUD = "salud", "Salud"
    EDUCACION = "educacion", "Educación"
    PROTECCION_CIVIL = "proteccion_civil", "Protección civil"
    SEGURIDAD_PUBLICA = "seguridad_publica", "Seguridad pública"
    OBRA_PUBLICA = "obra_publica", "Obra pública"
    CULTURA = "cultura", "Cultura"
    DEPORTE = "deporte", "Deporte"
    TRAMITES = "tramites_servicios", "Trámites y servicios"
    INSTITUCIONAL = "institucional", "Institucional"
    OTRO = "otro", "Otro"


class PublicationStatus(models.TextChoices):
    BORRADOR = "borrador", "Borrador"
    EN_REVISION = "en_revision", "En revisión"
    APROBADA = "aprobada", "Aprobada"
    PROGRAMADA = "programada", "Programada"
    PUBLICADA = "publicada", "Publicada"
    FALLIDA = "fallida", "Fallida"
    CANCELADA = "cancelada", "Cancelada"


EDITABLE_STATUSES = (
    PublicationStatus.BORRADOR,
    PublicationStatus.EN_REVISION,
    PublicationStatus.APROBADA,
    PublicationStatus.PROGRAMADA,
)


class PublicationQuerySet(models.QuerySet):
    """Domain words. Published is one rule in one place: the goals app counts with it."""

    def published(self) -> "PublicationQuerySet":
        return self.filter(status=PublicationStatus.PUBLICADA)

    def published_between(self, start, end) -> "PublicationQuerySet":
        return self.published().filter(published_at__gte=start, published_at__lt=end)

    def awaiting_review(self) -> "PublicationQuerySet":
        return self.filter(status=PublicationStatus.EN_REVISION)


# What an author edits (the form and the services take the same list).
PUBLICATION_FIELDS = (
    "title",
    "text",
    "link",
    "category",
    "activity",
    "campaign",
    "area",
    "about_report",
    "theme",
)


class Publication(models.Model):
    title = models.CharField("título interno", max_length=200)
    text = models.TextField("texto base")
    link = models.URLField("enlace", blank=True, max_length=500)
    category = models.CharField(
        "categoría", max_length=30, choices=Category.choices, default=Category.INSTITUCIONAL
    )
    activity = models.ForeignKey(
        "agenda.Activity",
        verbose_name="actividad",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    campaign = models.ForeignKey(
        "agenda.Campaign",
        verbose_name="campaña",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    area = models.ForeignKey(
        "accounts.Area",
        verbose_name="área",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    theme = models.ForeignKey(
        "publishing.Theme",
        verbose_name="tema permanente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
        help_text="Si se deja vacío, el de la categoría (cuando lo hay).",
    )
    about_report = models.BooleanField(
        "difunde el informe de gobierno",
        default=False,
        help_text="Solo puede salir dentro de la ventana del informe anual "
        "(7 días antes a 5 días después).",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="autor",
        on_delete=models.PROTECT,
        related_name="publications",
    )
    status = models.CharField(
        "estado",
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.BORRADOR,
        db_index=True,
    )
    scheduled_at = models.DateTimeField("fecha de publicación", null=True, blank=True)
    submitted_at = models.DateTimeField("enviada a revisión", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="aprobada por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("aprobada el", null=True, blank=True)
    # Who last changed the content (text, channels, media): with the author, the one
    # person who may not approve this version (four eyes).
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="último cambio de contenido por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("publicada el", null=True, blank=True, db_index=True)
    missed_at = models.DateTimeField(
        "no aprobada a tiempo",
        null=True,
        blank=True,
        help_text="Cuándo se avisó al autor de que no se aprobó a tiempo.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()

    # Not columns: only the calendar's entries carry them (selectors.calendar_days).
    accounts: list["ChannelAccount"]
    thumbnail: "PublicationMedia | None"

    class Meta:
        ordering = ["-scheduled_at", "-created_at"]
        verbose_name = "publicación"
        verbose_name_plural = "publicaciones"
        permissions = [
            ("approve_publication", "Puede aprobar publicaciones"),
            ("schedule_publication", "Puede programar publicaciones"),
        ]
        indexes = [
            # A period's published publications (the goals' counts per quarter and year):
            # SQLite, without statistics, otherwise walks every publication by status.
            models.Index(fields=["status", "published_at"], name="publishing_pub_status_when"),
            # A person's drafts and publications in review (the home page's «no
            # salieron»), not every publication they ever wrote.
            models.Index(fields=["author", "status"], name="publishing_pub_author_status"),
            # The list's page of 50 in its order (everyone's, by status, an area's):
            # without them SQLite sorted every publication for each page, 11 ms at
            # 70,000 and 54 ms for «Publicada».
            models.Index(fields=["scheduled_at", "created_at"], name="publishing_pub_list"),
            models.Index(
                fields=["status", "scheduled_at", "created_at"], name="publishing_pub_list_status"
            ),
            models.Index(
                fields=["area", "scheduled_at", "created_at"], name="publishing_pub_list_area"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


def _media_path(instance: "PublicationMedia", filename: str) -> str:
    return f"publicaciones/{instance.publication_id}/{filename}"


class PublicationMedia(models.Model):
    """One image of a publication, in order. New images come from the archive
    (`asset`; uploads in the editor are ingested there first) and the engine sends the
    asset's public derivative. Rows from before the archive keep their own `file`."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="media", verbose_name="publicación"
    )
    asset = models.ForeignKey(
        "archive.Asset",
        verbose_name="archivo del acervo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publication_media",
    )
    file = models.FileField("archivo", upload_to=_media_path, max_length=300, blank=True)
    original_name = models.CharField("nombre original", max_length=255, blank=True)
    mime_type = models.CharField("tipo", max_length=50)
    width = models.PositiveIntegerField("ancho")
    height = models.PositiveIntegerField("alto")
    size_bytes = models.PositiveBigIntegerField("tamaño (bytes)")
    duration = models.FloatField("duración (s)", null=True, blank=True)
    alt_text = models.CharField("texto alternativo", max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField("orden", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "imagen de publicación"
        verbose_name_plural = "imágenes de publicación"

    def __str__(self) -> str:
        return self.original_name or self.file.name

    @property
    def is_video(self) -> bool:
        return self.mime_type.startswith("video/")

    @property
    def sent_mime_type(self) -> str:
        """Archive images go out as their JPEG public derivative, videos as MP4."""
        if self.is_video:
            return "video/mp4"
        return "image/jpeg" if self.asset_id else self.mime_type


class Variant(models.Model):
    """What one channel account receives: its own text, media and alt texts."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="variants", verbose_name="publicación"
    )
    account = models.ForeignKey(
        ChannelAccount, on_delete=models.PROTECT, related_name="variants", verbose_name="canal"
    )
    text = models.TextField("texto", blank=True)
    media = models.ManyToManyField(
        PublicationMedia, blank=True, related_name="variants", verbose_name="imágenes"
    )
    alt_texts = models.JSONField(
        "textos alternativos",
        default=dict,
        blank=True,
        help_text="Por imagen (id → texto); si falta, se usa el de la imagen.",
    )

    class Meta:
        ordering = ["account__name"]
        verbose_name = "variante"
        verbose_name_plural = "variantes"
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "account"], name="publishing_one_variant_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication} · {self.account}"

    def alt_text_for(self, media: PublicationMedia) -> str:
        return self.alt_texts.get(str(media.pk)) or media.alt_text

    def media_with_assets(self) -> list[PublicationMedia]:
        """Its photos and videos in order, each with its archive asset: those
        `load_media` kept, else one query."""
        loaded = getattr(self, "_loaded_media", None)
        if loaded is not None:
            return loaded
        return list(self.media.select_related("asset"))

    def load_media(self) -> None:
        """Read its media once for what this instance is used for next (a delivery
        reads them for the verdict and again for the post)."""
        self._loaded_media = list(self.media.select_related("asset"))


class DeliveryStatus(models.TextChoices):
    PENDIENTE = "pendiente", "Pendiente"
    ENVIANDO = "enviando", "Enviando"
    PUBLICADA = "publicada", "Publicada"
    INCIERTA = "incierta", "Resultado incierto"
    FALLIDA = "fallida", "Fallida"
    CANCELADA = "cancelada", "Cancelada"
    RETENIDA = "retenida", "Retenida por veda"


LIVE_DELIVERY_STATUSES = (
    DeliveryStatus.PENDIENTE,
    DeliveryStatus.RETENIDA,
    DeliveryStatus.ENVIANDO,
    DeliveryStatus.PUBLICADA,
    DeliveryStatus.INCIERTA,
)


class DeliveryAction(models.TextChoices):
    """What a person (web or API) may do to settle a delivery."""

    MARK_PUBLISHED = "marcar", "Marcar como publicada"
    RECHECK = "comprobar", "Comprobar en la red"
    RESEND = "reintentar", "No está publicada: enviar de nuevo"
    CLOSE_FAILED = "descartar", "Cerrar como fallida"


# The one table of which action makes sense in which status. Checking again only
# means something while the outcome is unknown; a manual delivery is marked by hand.
DELIVERY_ACTIONS: dict[str, tuple[str, ...]] = {
    DeliveryStatus.INCIERTA: (
        DeliveryAction.MARK_PUBLISHED,
        DeliveryAction.RECHECK,
        DeliveryAction.RESEND,
        DeliveryAction.CLOSE_FAILED,
    ),
    DeliveryStatus.FALLIDA: (DeliveryAction.MARK_PUBLISHED, DeliveryAction.RESEND),
}
MANUAL_PENDING_ACTIONS = (DeliveryAction.MARK_PUBLISHED, DeliveryAction.CLOSE_FAILED)


class Delivery(models.Model):
    """One variant going out to one account. Claimed with a conditional UPDATE before
    any call, so two workers never send the same delivery."""

    variant = models.ForeignKey(
        Variant, on_delete=models.CASCADE, related_name="deliveries", verbose_name="variante"
    )
    account = models.ForeignKey(
        ChannelAccount, on_delete=models.PROTECT, related_name="deliveries", verbose_name="canal"
    )
    status = models.CharField(
        "estado",
        max_length=12,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDIENTE,
        db_index=True,
    )
    scheduled_at = models.DateTimeField("enviar a partir de", db_index=True)
    attempts = models.PositiveIntegerField("intentos", default=0)
    claimed_by = models.CharField("tomada por", max_length=100, blank=True)
    claimed_at = models.DateTimeField("tomada el", null=True, blank=True)
    lease_until = models.DateTimeField(
        "proceso vivo hasta",
        null=True,
        blank=True,
        help_text="El proceso que la envía lo renueva mientras vive; vencido, otro la revisa.",
    )
    published_at = models.DateTimeField("publicada el", null=True, blank=True)
    remote_id = models.CharField("id remoto", max_length=200, blank=True, db_index=True)
    network_ref = models.CharField(
        "en proceso en la red",
        max_length=1000,
        blank=True,
        help_text="Lo que la red aún procesa (p. ej. un contenedor de Instagram), aún no público.",
    )
    remote_url = models.URLField("URL remota", max_length=500, blank=True)
    last_error = models.TextField("último error", blank=True)
    held_until = models.DateField(
        "retenida hasta",
        null=True,
        blank=True,
        help_text="Primer día en que la veda permite enviarla; el motor la revisa de nuevo.",
    )
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="resuelta por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_at", "pk"]
        verbose_name = "envío"
        verbose_name_plural = "envíos"
        permissions = [("settle_delivery", "Puede resolver envíos inciertos o fallidos")]
        indexes = [
            # This week's and month's published deliveries (cadence.board) without
            # reading every delivery ever published.
            models.Index(fields=["status", "published_at"], name="publishing_del_status_when"),
        ]
        constraints = [
            # At most one live (not cancelled, not failed) delivery per variant: a
            # second one could post the same text twice.
            models.UniqueConstraint(
                fields=["variant"],
                condition=Q(status__in=LIVE_DELIVERY_STATUSES),
                name="publishing_one_live_delivery_per_variant",
            )
        ]

    def __str__(self) -> str:
        return f"Envío {self.pk} · {self.account}"

    @property
    def actions(self) -> tuple[str, ...]:
        """The settling actions that make sense now (DELIVERY_ACTIONS)."""
        if self.account.needs_person:
            if self.status == DeliveryStatus.PENDIENTE:
                return MANUAL_PENDING_ACTIONS
            return tuple(a for a in DELIVERY_ACTIONS.get(self.status, ()) if a != "reintentar")
        return DELIVERY_ACTIONS.get(self.status, ())


class AttemptOutcome(models.TextChoices):
    OK = "ok", "Publicada"
    TRANSIENT = "transitorio", "Error transitorio"
    RATE_LIMITED = "limite", "Límite de la red"
    PERMANENT = "permanente", "Error permanente"
    RECONNECT = "reconexion", "Requiere reconexión"
    UNCERTAIN = "incierto", "Resultado incierto"
    FOUND = "encontrada", "Encontrada en la red"
    NOT_FOUND = "no_encontrada", "No está en la red"
    PROCESSING = "en_proceso", "La red lo está procesando"


class DeliveryAttempt(models.Model):
    """Every call to a network, recorded (status, duration, trimmed body)."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name="envío"
    )
    started_at = models.DateTimeField("cuándo")
    duration_ms = models.PositiveIntegerField("duración (ms)", default=0)
    http_status = models.PositiveSmallIntegerField("estado HTTP", null=True, blank=True)
    outcome = models.CharField("resultado", max_length=15, choices=AttemptOutcome.choices)
    response_text = models.TextField("respuesta (recortada)", blank=True)
    error = models.TextField("error", blank=True)
    worker = models.CharField("proceso", max_length=100, blank=True)
    calls = models.JSONField(
        "llamadas HTTP",
        default=list,
        blank=True,
        help_text="Cada llamada del intento: método, URL sin parámetros, estado, duración.",
    )

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = "intento de envío"
        verbose_name_plural = "intentos de envío"

    def __str__(self) -> str:
        return f"{self.delivery} · {self.get_outcome_display()}"


class CadencePeriod(models.TextChoices):
    WEEK = "semana", "por semana"
    MONTH = "mes", "por mes"


class Theme(models.Model):
    """A theme of the plan's permanent campaign («servicio social, salud, protección
    civil…») that must keep appearing on each network at its own cadence."""

    name = models.CharField("nombre", max_length=100, unique=True)
    category = models.CharField(
        "categoría",
        max_length=30,
        choices=Category.choices,
        blank=True,
        help_text="Las publicaciones de esta categoría llevan este tema si no se elige otro; "
        "la veda electoral lo pausa si la categoría no está exenta.",
    )
    is_active = models.BooleanField("activo", default=True)
    order = models.PositiveSmallIntegerField("orden", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "tema permanente"
        verbose_name_plural = "temas permanentes"

    def __str__(self) -> str:
        return self.name


class ThemeTarget(models.Model):
    """How often a theme must appear on one network: «2 por semana en Facebook»."""

    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="targets", verbose_name="tema"
    )
    channel = models.CharField("red", max_length=20, choices=registry.kind_choices)
    count = models.PositiveSmallIntegerField("publicaciones")
    period = models.CharField(
        "periodo", max_length=6, choices=CadencePeriod.choices, default=CadencePeriod.WEEK
    )

    class Meta:
        ordering = ["theme", "channel"]
        verbose_name = "meta de cadencia"
        verbose_name_plural = "metas de cadencia"
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "channel"], name="publishing_one_target_per_network"
            )
        ]

    def __str__(self) -> str:
        period, channel = self.get_period_display(), self.get_channel_display()
        return f"{self.theme}: {self.count} {period} en {channel}"
