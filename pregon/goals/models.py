from django.db import models


class Plan(models.Model):
    """A municipality's annual communication plan."""

    municipality = models.CharField("municipio", max_length=200)
    year = models.PositiveSmallIntegerField("año")
    title = models.CharField("título", max_length=200)
    objectives = models.TextField("objetivos", blank=True)

    class Meta:
        ordering = ["-year"]
        unique_together = [("municipality", "year")]
        verbose_name = "plan"
        verbose_name_plural = "planes"

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class FormulaKind(models.TextChoices):
    COUNT = "count", "Conteo"
    RATIO = "ratio", "Porcentaje (numerador ÷ denominador)"
    GROWTH = "growth", "Crecimiento desde la línea base"
    AVERAGE = "average", "Promedio"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Mensual"
    QUARTERLY = "quarterly", "Trimestral"
    SEMIANNUAL = "semiannual", "Semestral"
    ANNUAL = "annual", "Anual"


class Source(models.TextChoices):
    PUBLICATIONS_PUBLISHED = "publications_published", "Publicaciones publicadas"
    ACTIVITIES_REGISTERED = "activities_registered", "Acciones registradas (públicas)"
    ACTIVITIES_PUBLISHED = "activities_published", "Acciones con al menos una publicación"
    FOLLOWERS = "followers", "Seguidores"
    INTERACTIONS = "interactions", "Interacciones"
    POSTS_MEASURED = "posts_measured", "Publicaciones con métricas"
    PORTAL_VISITS = "portal_visits", "Visitas al portal"
    SURVEY_SCORE = "survey_score", "Satisfacción (CSAT)"
    BULLETINS_ISSUED = "bulletins_issued", "Boletines emitidos"
    CADENCE_MET = "cadence_met", "Metas de temas permanentes al día (tema × red)"
    CADENCE_TARGETS = "cadence_targets", "Metas de temas permanentes vigentes (sin las pausadas)"


class BaselineScope(models.TextChoices):
    """Which accounts a followers baseline was measured on (and the current value too)."""

    INSTITUTIONAL = "institucional", "Las cuentas del Ayuntamiento (institucionales)"
    ALL = "todas", "Todas las cuentas"
    ACCOUNT = "una", "Una cuenta"


class Indicator(models.Model):
    """One row of the plan's indicator matrix (MIR style): configured, not coded."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField("clave", max_length=20)
    name = models.CharField("nombre", max_length=200)
    description = models.TextField("descripción", blank=True)
    formula_kind = models.CharField("tipo de fórmula", max_length=10, choices=FormulaKind.choices)
    numerator = models.CharField("numerador", max_length=40, choices=Source.choices)
    denominator = models.CharField("denominador", max_length=40, choices=Source.choices, blank=True)
    filters = models.JSONField(
        "filtros",
        default=dict,
        blank=True,
        help_text='p. ej. {"channel": "facebook_page", "area": "OPDU"}',
    )
    frequency = models.CharField("frecuencia", max_length=12, choices=Frequency.choices)
    target = models.DecimalField("meta", max_digits=12, decimal_places=2)
    baseline = models.DecimalField(
        "línea base", max_digits=12, decimal_places=2, null=True, blank=True
    )
    baseline_scope = models.CharField(
        "la línea base cubre",
        max_length=13,
        choices=BaselineScope.choices,
        blank=True,
        help_text="Para seguidores: las cuentas en que se midió la línea base; el valor actual "
        "se suma sobre las mismas cuentas.",
    )
    baseline_account = models.ForeignKey(
        "publishing.ChannelAccount",
        verbose_name="cuenta de la línea base",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    baseline_date = models.DateField("fecha de la línea base", null=True, blank=True)
    unit = models.CharField("unidad", max_length=40, blank=True)
    means_of_verification = models.TextField("medio de verificación", blank=True)
    order = models.PositiveSmallIntegerField("orden", default=0)

    class Meta:
        ordering = ["plan", "order", "code"]
        unique_together = [("plan", "code")]
        verbose_name = "indicador"
        verbose_name_plural = "indicadores"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
