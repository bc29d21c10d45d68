"""Bulletins and their numbering, the press directory, e-mail distribution and live
transmissions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pregon.core.crypto import EncryptedTextField
from pregon.publishing.models import Category


class BulletinKind(models.TextChoices):
    BOLETIN = "boletin", "Boletín"
    COMUNICADO = "comunicado", "Comunicado"
    AVISO = "aviso", "Aviso"
    TARJETA = "tarjeta", "Tarjeta informativa"


class BulletinStatus(models.TextChoices):
    BORRADOR = "borrador", "Borrador"
    EN_REVISION = "en_revision", "En revisión"
    APROBADO = "aprobado", "Aprobado"


class BulletinQuerySet(models.QuerySet):
    def approved(self) -> "BulletinQuerySet":
        """What the public press room may show (before the veda filter)."""
        return self.filter(status=BulletinStatus.APROBADO, number__isnull=False)


def bulletin_label(kind: str, number: int | None, year: int | None) -> str:
    """ "Boletín 045/2023" (or "Boletín (sin número)" before approval); `kind` is the
    kind's label. Bulletin.label, and the staff list from its columns."""
    if not number:
        return f"{kind} (sin número)"
    return f"{kind} {number:03d}/{year}"


class Bulletin(models.Model):
    kind = models.CharField(
        "tipo", max_length=12, choices=BulletinKind.choices, default=BulletinKind.BOLETIN
    )
    year = models.PositiveSmallIntegerField("año", null=True, blank=True, db_index=True)
    number = models.PositiveIntegerField("número", null=True, blank=True)
    dated = models.DateField("fecha", default=timezone.localdate)
    title = models.CharField("título", max_length=300)
    balazos = models.JSONField("balazos", default=list, blank=True)
    body = models.TextField("cuerpo")
    press_contact = models.CharField("contacto de prensa", max_length=300, blank=True)
    category = models.CharField(
        "categoría", max_length=30, choices=Category.choices, default=Category.INSTITUCIONAL
    )
    area = models.ForeignKey(
        "accounts.Area",
        verbose_name="área",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bulletins",
    )
    activity = models.ForeignKey(
        "agenda.Activity",
        verbose_name="actividad",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bulletins",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="autor", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "estado",
        max_length=12,
        choices=BulletinStatus.choices,
        default=BulletinStatus.BORRADOR,
        db_index=True,
    )
    submitted_at = models.DateTimeField("enviado a revisión", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="aprobado por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("aprobado el", null=True, blank=True, db_index=True)
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
    publication = models.ForeignKey(
        "publishing.Publication",
        verbose_name="publicación",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bulletins",
    )
    # Title, balazos and body folded for the press room's search (text.search_text).
    search_text = models.TextField("texto de búsqueda", blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-created_at"]
        verbose_name = "boletín"
        verbose_name_plural = "boletines"
        permissions = [
            ("approve_bulletin", "Puede aprobar boletines"),
            ("distribute_bulletin", "Puede enviar boletines a medios"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "number"],
                condition=Q(number__isnull=False),
                name="bulletins_unique_number_per_year_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} · {self.title}" if self.number else self.title

    @property
    def label(self) -> str:
        return bulletin_label(self.get_kind_display(), self.number, self.year)

    @property
    def is_editable(self) -> bool:
        return self.status != BulletinStatus.APROBADO


class BulletinCounter(models.Model):
    """The last number given per (year, kind); locked while a number is taken."""

    year = models.PositiveSmallIntegerField("año")
    kind = models.CharField("tipo", max_length=12, choices=BulletinKind.choices)
    last = models.PositiveIntegerField("último número", default=0)

    class Meta:
        verbose_name = "consecutivo"
        verbose_name_plural = "consecutivos"
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="bulletins_one_counter")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class BulletinPhoto(models.Model):
    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.CASCADE, related_name="photos", verbose_name="boletín"
    )
    asset = models.ForeignKey(
        "archive.Asset", on_delete=models.PROTECT, related_name="+", verbose_name="foto"
    )
    caption = models.CharField("pie de foto", max_length=500, blank=True)
    credit = models.CharField("crédito", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("orden", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "foto de boletín"
        verbose_name_plural = "fotos de boletín"

    def __str__(self) -> str:
        return self.caption or str(self.asset)


class MediaList(models.Model):
    name = models.CharField("nombre", max_length=200, unique=True)
    description = models.CharField("descripción", max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "lista de medios"
        verbose_name_plural = "listas de medios"

    def __str__(self) -> str:
        return self.name


class OutletType(models.TextChoices):
    PRENSA = "prensa", "Prensa escrita"
    RADIO = "radio", "Radio"
    TV = "television", "Televisión"
    DIGITAL = "digital", "Medio digital"
    AGENCIA = "agencia", "Agencia"
    CORRESPONSAL = "corresponsal", "Corresponsal"


class MediaContact(models.Model):
    outlet = models.CharField("medio", max_length=200)
    person = models.CharField("nombre", max_length=200)
    role = models.CharField("cargo", max_length=200, blank=True)
    email = models.EmailField("correo electrónico", unique=True)
    phone = models.CharField("teléfono", max_length=40, blank=True)
    media_type = models.CharField(
        "tipo de medio", max_length=14, choices=OutletType.choices, default=OutletType.DIGITAL
    )
    coverage_area = models.CharField("cobertura", max_length=200, blank=True)
    lists = models.ManyToManyField(MediaList, blank=True, related_name="contacts")
    unsubscribed_at = models.DateTimeField("dado de baja el", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["outlet", "person"]
        verbose_name = "contacto de prensa"
        verbose_name_plural = "directorio de medios"

    def __str__(self) -> str:
        return f"{self.person} ({self.outlet})"


class Distribution(models.Model):
    """One send of a bulletin to some lists; one DistributionRecipient per person."""

    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.CASCADE, related_name="distributions", verbose_name="boletín"
    )
    lists = models.ManyToManyField(MediaList, related_name="+", verbose_name="listas")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField("terminado", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "envío a medios"
        verbose_name_plural = "envíos a medios"

    def __str__(self) -> str:
        return f"{self.bulletin.label} · {self.created_at:%Y-%m-%d %H:%M}"


class RecipientStatus(models.TextChoices):
    PENDIENTE = "pendiente", "Pendiente"
    ENVIANDO = "enviando", "Enviando"
    ENVIADO = "enviado", "Enviado"
    INCIERTO = "incierto", "Resultado incierto"
    FALLIDO = "fallido", "Fallido"
    OMITIDO = "omitido", "Omitido (dado de baja)"


class DistributionRecipient(models.Model):
    """The per-recipient delivery log. Claimed with a conditional UPDATE before the
    message is handed to SMTP, so a retry never writes to someone twice."""

    distribution = models.ForeignKey(
        Distribution, on_delete=models.CASCADE, related_name="recipients"
    )
    contact = models.ForeignKey(MediaContact, on_delete=models.CASCADE, related_name="receipts")
    email = models.EmailField("correo")
    status = models.CharField(
        "estado",
        max_length=10,
        choices=RecipientStatus.choices,
        default=RecipientStatus.PENDIENTE,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField("intentos", default=0)
    claimed_by = models.CharField("tomado por", max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField("enviado el", null=True, blank=True)
    error = models.TextField("error", blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "destinatario"
        verbose_name_plural = "destinatarios"
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "contact"], name="bulletins_one_receipt_per_contact"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_status_display()}"


class LiveTransmission(models.Model):
    """The announcements and recording of a streamed session (cabildo, audiencia
    pública, reunión de trabajo)."""

    activity = models.OneToOneField(
        "agenda.Activity",
        on_delete=models.CASCADE,
        related_name="transmission",
        verbose_name="actividad",
    )
    session_name = models.CharField("nombre de la sesión", max_length=300, blank=True)
    announce_day = models.ForeignKey(
        "publishing.Publication", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    announce_hour = models.ForeignKey(
        "publishing.Publication", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    live_post = models.ForeignKey(
        "publishing.Publication", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recording_asset = models.ForeignKey(
        "archive.Asset",
        verbose_name="grabación (archivo)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recording_url = models.URLField("grabación (enlace)", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-activity__starts_at"]
        verbose_name = "transmisión en vivo"
        verbose_name_plural = "transmisiones en vivo"

    def __str__(self) -> str:
        return self.session_name or str(self.activity)


class SessionType(models.TextChoices):
    """The kind of session an acta records (Ley Orgánica Municipal del Estado de México)."""

    ORDINARIA = "ordinaria", "Ordinaria"
    EXTRAORDINARIA = "extraordinaria", "Extraordinaria"
    SOLEMNE = "solemne", "Solemne"
    AUDIENCIA = "audiencia_publica", "Audiencia pública"


class BroadcastState(models.TextChoices):
    """The states of channels/live.py's LiveState, plus Pregón's own before and after
    the network: waiting for the worker, and refused by the network."""

    PENDIENTE = "pendiente", "Por crear en la red"
    PROGRAMADA = "programada", "Programada"
    EN_VIVO = "en_vivo", "En vivo"
    TERMINADA = "terminada", "Terminada"
    CANCELADA = "cancelada", "Cancelada"
    FALLIDA = "fallida", "No se pudo programar"


class BroadcastAction(models.TextChoices):
    """What the worker still has to tell the network (one at a time, safe to rerun)."""

    NINGUNA = "", "Nada"
    PROGRAMAR = "programar", "Programar"
    ACTUALIZAR = "actualizar", "Cambiar la hora"
    CANCELAR = "cancelar", "Cancelar"


class ScheduledBroadcast(models.Model):
    """A live broadcast a network scheduled for a session, on one channel account.
    The stream key is a secret: encrypted at rest, shown only to who runs the stream."""

    activity = models.ForeignKey(
        "agenda.Activity",
        on_delete=models.CASCADE,
        related_name="broadcasts",
        verbose_name="actividad",
    )
    account = models.ForeignKey(
        "publishing.ChannelAccount",
        on_delete=models.PROTECT,
        related_name="broadcasts",
        verbose_name="cuenta",
    )
    session_type = models.CharField(
        "tipo de sesión", max_length=20, choices=SessionType.choices, blank=True
    )
    session_number = models.PositiveIntegerField("número de sesión", null=True, blank=True)
    title = models.CharField("título", max_length=254)
    planned_start = models.DateTimeField("inicio programado en la red")
    state = models.CharField(
        "estado",
        max_length=12,
        choices=BroadcastState.choices,
        default=BroadcastState.PENDIENTE,
        db_index=True,
    )
    pending = models.CharField(
        "pendiente en la red",
        max_length=12,
        choices=BroadcastAction.choices,
        default=BroadcastAction.PROGRAMAR,
        blank=True,
    )
    remote_id = models.CharField("id en la red", max_length=200, blank=True)
    watch_url = models.URLField("enlace para ver", max_length=500, blank=True)
    ingest_url = models.CharField("servidor de ingesta", max_length=500, blank=True)
    stream_key = EncryptedTextField("clave de transmisión", blank=True)
    extra = models.JSONField("datos de la red", default=dict, blank=True)
    # A worker talking to the network about it (a stale claim is taken over).
    claimed_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField("estado leído el", null=True, blank=True)
    error = models.TextField("último error", blank=True)
    recording_asset = models.ForeignKey(
        "archive.Asset",
        verbose_name="grabación (archivo)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recording_url = models.URLField("grabación (enlace)", max_length=500, blank=True)
    duration_seconds = models.FloatField("duración (s)", null=True, blank=True)
    recorded_at = models.DateTimeField("grabación guardada el", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity__starts_at", "pk"]
        verbose_name = "transmisión programada"
        verbose_name_plural = "transmisiones programadas"
        permissions = [("run_broadcast", "Puede ver la clave y operar la transmisión")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "account"], name="bulletins_one_broadcast_per_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.account}"

    @property
    def session_label(self) -> str:
        """«Sesión ordinaria núm. 45», as the acta names it."""
        if self.session_type == SessionType.AUDIENCIA:
            label = "Audiencia pública"
        elif self.session_type:
            label = f"Sesión {self.get_session_type_display().lower()}"
        else:
            label = "Sesión"
        return f"{label} núm. {self.session_number}" if self.session_number else label

    @property
    def duration_label(self) -> str:
        """«2 h 05 min», «12 min 30 s» or «45 s»."""
        if self.duration_seconds is None:
            return ""
        total = round(self.duration_seconds)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        if hours:
            return f"{hours} h {minutes:02d} min"
        return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
