from django.db import models

from pregon.accounts.models import Area


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


class ActivityStatus(models.TextChoices):
    PROPUESTA = "propuesta", "Propuesta"
    CONFIRMADA = "confirmada", "Confirmada"
    REALIZADA = "realizada", "Realizada"
    CANCELADA = "cancelada", "Cancelada"


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "actividad"
        verbose_name_plural = "actividades"

    def __str__(self) -> str:
        return self.title
