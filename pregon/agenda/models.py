import math
from datetime import timedelta

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from pregon.accounts.models import Area
from pregon.core import versions


class ActivityType(models.TextChoices):
    EVENTO_PUBLICO = "evento_publico", "Evento público"
    AUDIENCIA_PUBLICA = "audiencia_publica", "Audiencia pública"
    REUNION_TRABAJO = "reunion_trabajo", "Reunión de trabajo"
    CABILDO_ORDINARIA = "cabildo_ordinaria", "Sesión de cabildo ordinaria"
    CABILDO_EXTRAORDINARIA = "cabildo_extraordinaria", "Sesión de cabildo extraordinaria"
    CABILDO_SOLEMNE = "cabildo_solemne", "Sesión de cabildo solemne"
    GIRA = "gira", "Gira"
    INAUGURACION_OBRA = "inauguracion_obra", "Inauguración de obra"
    CAMPANA = "campana", "Campaña"
    OTRO = "otro", "Otro"


CABILDO_TYPES = (
    ActivityType.CABILDO_ORDINARIA,
    ActivityType.CABILDO_EXTRAORDINARIA,
    ActivityType.CABILDO_SOLEMNE,
)


class ActivityStatus(models.TextChoices):
    PROPUESTA = "propuesta", "Propuesta"
    CONFIRMADA = "confirmada", "Confirmada"
    REPROGRAMADA = "reprogramada", "Reprogramada"
    REALIZADA = "realizada", "Realizada"
    CANCELADA = "cancelada", "Cancelada"


class Tier(models.TextChoices):
    A = "A", "A · cobertura completa"
    B = "B", "B · foto y canales principales"
    C = "C", "C · mención"


class Campaign(models.Model):
    name = models.CharField("nombre", max_length=200, unique=True)
    description = models.TextField("descripción", blank=True)
    starts_on = models.DateField("inicio", null=True, blank=True)
    ends_on = models.DateField("fin", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "campaña"
        verbose_name_plural = "campañas"

    def __str__(self) -> str:
        return self.name


# What a calendar view reads is bounded by the longest activity stored: those that
# overlap a period all start at most that long before it, so the index on `starts_at`
# answers a range of weeks, not every activity of every earlier year. Measured, not
# imposed: a two-month exhibition or an imported «Vacaciones» is kept and shown; it
# only widens the range every view reads. Recomputed after any activity is written.
SPAN_SCOPE = "agenda-spans"
SHORTEST_BOUND = timedelta(days=1)


def longest_span() -> timedelta:
    """How long the longest stored activity lasts (at least a day)."""

    def compute() -> timedelta:
        # In the database's own date arithmetic: Django's duration expression on SQLite
        # calls back into Python for every row (110 ms at ten years, against 7 ms).
        if connection.vendor == "sqlite":
            sql = "SELECT MAX(julianday(ends_at) - julianday(starts_at)) * 86400 FROM {}"
        else:
            sql = "SELECT EXTRACT(EPOCH FROM MAX(ends_at - starts_at)) FROM {}"
        with connection.cursor() as cursor:
            cursor.execute(sql.format(connection.ops.quote_name(Activity._meta.db_table)))
            (seconds,) = cursor.fetchone()
        return max(timedelta(seconds=math.ceil(float(seconds or 0))), SHORTEST_BOUND)

    return versions.cached("agenda:longest-span", (SPAN_SCOPE,), 3600, compute)


class ActivityQuerySet(models.QuerySet):
    """Domain words for reading activities; the goals app counts with these."""

    def active(self) -> "ActivityQuerySet":
        return self.exclude(status=ActivityStatus.CANCELADA)

    def public(self) -> "ActivityQuerySet":
        """What may appear in public feeds: public and not cancelled."""
        return self.filter(is_public=True).active()

    def upcoming(self, now=None) -> "ActivityQuerySet":
        return self.filter(ends_at__gte=now or timezone.now())

    def between(self, start, end) -> "ActivityQuerySet":
        """Activities that overlap the half-open interval [start, end)."""
        return self.filter(
            starts_at__gte=start - longest_span(), starts_at__lt=end, ends_at__gt=start
        )

    def published(self) -> "ActivityQuerySet":
        # The publishing app adds Publication.activity (related_name="publications");
        # until it exists nothing counts as published.
        if not _has_publications():
            return self.none()
        # EXISTS, not a join and DISTINCT: counting the period's activities then reads
        # each one once, not every column of every (activity, publication) pair.
        publication = self.model._meta.get_field("publications").related_model
        publications = publication._default_manager.filter(  # type: ignore[union-attr]
            activity=models.OuterRef("pk"), status="publicada"
        )
        return self.filter(models.Exists(publications))

    def unpublished(self) -> "ActivityQuerySet":
        if not _has_publications():
            return self.all()
        return self.exclude(pk__in=self.model.objects.published().values("pk"))


def _has_publications() -> bool:
    return hasattr(Activity, "publications")


class Activity(models.Model):
    """An activity of the administration: an *acción* of the government."""

    title = models.CharField("título", max_length=300)
    description = models.TextField("descripción", blank=True)
    starts_at = models.DateTimeField("inicio", db_index=True)
    ends_at = models.DateTimeField("fin")
    all_day = models.BooleanField("todo el día", default=False)
    place = models.CharField("lugar", max_length=300, blank=True)
    latitude = models.DecimalField("latitud", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        "longitud", max_digits=9, decimal_places=6, null=True, blank=True
    )
    area = models.ForeignKey(
        Area, verbose_name="área", on_delete=models.PROTECT, related_name="activities"
    )
    type = models.CharField(
        "tipo", max_length=30, choices=ActivityType.choices, default=ActivityType.EVENTO_PUBLICO
    )
    with_mayor = models.BooleanField("con la Presidenta Municipal", default=False)
    expected_attendance = models.PositiveIntegerField("asistencia esperada", null=True, blank=True)
    is_public = models.BooleanField("pública", default=True)
    public_interest = models.BooleanField("de interés público", default=False)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="campaña",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    stream_url = models.URLField("transmisión en vivo", blank=True)
    status = models.CharField(
        "estado", max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PROPUESTA
    )
    # iCalendar identity: UID plus RECURRENCE-ID (blank for single events), so a
    # re-import updates the same rows instead of duplicating them.
    ical_uid = models.CharField("UID iCalendar", max_length=255, blank=True, db_index=True)
    ical_recurrence_id = models.CharField("RECURRENCE-ID", max_length=40, blank=True)
    priority_score = models.IntegerField("puntaje", default=0)
    priority_tier = models.CharField(
        "nivel", max_length=1, choices=Tier.choices, default=Tier.C, db_index=True
    )
    priority_terms = models.JSONField("explicación del puntaje", default=list, blank=True)
    priority_override = models.CharField(
        "nivel asignado manualmente", max_length=1, choices=Tier.choices, blank=True
    )
    priority_override_reason = models.TextField("motivo del ajuste", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registró",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "actividad"
        verbose_name_plural = "actividades"
        permissions = [
            ("import_ics", "Importar calendarios iCalendar"),
            ("override_priority", "Ajustar manualmente el nivel de prioridad"),
            ("view_priority_queue", "Ver la cola de publicación"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ical_uid", "ical_recurrence_id"],
                condition=~Q(ical_uid=""),
                name="agenda_activity_unique_ical_identity",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tier(self) -> str:
        """The effective tier: a manual override wins over the computed one."""
        return self.priority_override or self.priority_tier

    @property
    def is_cabildo(self) -> bool:
        return self.type in CABILDO_TYPES


class ImportedCalendarEvent(models.Model):
    """What an imported calendar said about one UID, kept so that exports give it back:
    the calendar it came from and, for a recurring event, its master VEVENT (DTSTART,
    RRULE, RDATE, EXDATE) as iCalendar text. Activities hold the occurrences."""

    uid = models.CharField("UID iCalendar", max_length=255, unique=True)
    source = models.CharField("calendario de origen", max_length=200, blank=True)
    master = models.TextField("VEVENT maestro", blank=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "evento importado"
        verbose_name_plural = "eventos importados"

    def __str__(self) -> str:
        return f"{self.uid} ({self.source or 'sin origen'})"


class ActivityChange(models.Model):
    """History of status changes and reschedulings (reprogramada keeps the old dates)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField("estado anterior", max_length=12, blank=True)
    to_status = models.CharField("estado nuevo", max_length=12)
    old_starts_at = models.DateTimeField("inicio anterior", null=True, blank=True)
    old_ends_at = models.DateTimeField("fin anterior", null=True, blank=True)
    reason = models.TextField("motivo", blank=True)
    # What changed, for changes that are not just a status: {field: [before, after]}.
    changed_fields = models.JSONField("campos modificados", default=dict, blank=True)
    source = models.CharField(
        "origen",
        max_length=12,
        choices=[("manual", "Manual"), ("ics", "Importación iCalendar")],
        default="manual",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "cambio de actividad"
        verbose_name_plural = "cambios de actividades"

    def __str__(self) -> str:
        return f"{self.activity} → {self.to_status}"


class Criterion(models.TextChoices):
    WITH_MAYOR = "with_mayor", "Con la Presidenta Municipal"
    TYPE = "type", "Tipo de actividad"
    ATTENDANCE = "attendance", "Asistencia esperada de al menos"
    PUBLIC_INTEREST = "public_interest", "Interés público"
    CAMPAIGN = "campaign", "Parte de una campaña"
    NOVELTY = "novelty", "Primera de su tipo en el mes"
    AREA = "area", "Área"


class PriorityRuleSet(models.Model):
    """The active rule set scores activities; thresholds map scores to tiers."""

    name = models.CharField("nombre", max_length=120, unique=True)
    is_active = models.BooleanField("activo", default=True)
    tier_a_min = models.IntegerField("puntaje mínimo para nivel A", default=60)
    tier_b_min = models.IntegerField("puntaje mínimo para nivel B", default=30)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "reglas de prioridad"
        verbose_name_plural = "reglas de prioridad"

    def __str__(self) -> str:
        return self.name


class PriorityRule(models.Model):
    """One weighted term: `criterion` (+ `value` for type, area, attendance) → points."""

    rule_set = models.ForeignKey(PriorityRuleSet, on_delete=models.CASCADE, related_name="rules")
    criterion = models.CharField("criterio", max_length=20, choices=Criterion.choices)
    value = models.CharField(
        "valor", max_length=60, blank=True, help_text="Tipo, siglas del área o número de personas."
    )
    points = models.IntegerField("puntos")

    class Meta:
        ordering = ["criterion", "value"]
        verbose_name = "regla de prioridad"
        verbose_name_plural = "reglas de prioridad"

    def __str__(self) -> str:
        return f"{self.get_criterion_display()} {self.value}".strip()


class CoverageKind(models.TextChoices):
    FOTOGRAFIA = "fotografia", "Fotografía"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"
    TRANSMISION = "transmision", "Transmisión en vivo"
    DISENO = "diseno", "Diseño"
    REDACCION = "redaccion", "Redacción"


class CoverageStatus(models.TextChoices):
    PLANEADA = "planeada", "Planeada"
    ASIGNADA = "asignada", "Asignada"
    CUBIERTA = "cubierta", "Cubierta"
    CANCELADA = "cancelada", "Cancelada"


class CoverageAssignment(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name="actividad", on_delete=models.CASCADE, related_name="coverage"
    )
    kind = models.CharField("tipo de cobertura", max_length=12, choices=CoverageKind.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="responsable",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coverage_assignments",
    )
    status = models.CharField(
        "estado", max_length=10, choices=CoverageStatus.choices, default=CoverageStatus.PLANEADA
    )
    notes = models.TextField("notas", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["activity__starts_at", "kind"]
        verbose_name = "asignación de cobertura"
        verbose_name_plural = "asignaciones de cobertura"
        permissions = [
            ("request_coverage", "Solicitar cobertura"),
            ("mark_covered", "Marcar una cobertura como cubierta"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.activity}"
