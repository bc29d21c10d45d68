"""Audience figures: per-account daily metrics, per-post snapshots and portal visits.

Portal visits are stored already aggregated (per day and page) plus one row per
daily visitor hash, so no raw IP address or user agent is ever kept."""

from django.conf import settings
from django.db import models

from pregon.publishing.models import ChannelAccount


class MetricSource(models.TextChoices):
    CSV = "csv", "Archivo exportado"
    API = "api", "API de estadísticas"
    DEMO = "demo", "Demostración"


class AccountMetric(models.Model):
    account = models.ForeignKey(
        ChannelAccount, on_delete=models.CASCADE, related_name="metrics", verbose_name="cuenta"
    )
    date = models.DateField("fecha")
    followers = models.PositiveIntegerField("seguidores", null=True, blank=True)
    follows_gained = models.PositiveIntegerField("nuevos seguidores", null=True, blank=True)
    follows_lost = models.PositiveIntegerField("seguidores perdidos", null=True, blank=True)
    reach = models.PositiveIntegerField("alcance", null=True, blank=True)
    views = models.PositiveIntegerField("visualizaciones", null=True, blank=True)
    engagements = models.PositiveIntegerField("interacciones", null=True, blank=True)
    extra = models.JSONField("otras cifras", default=dict, blank=True)
    source = models.CharField(max_length=8, choices=MetricSource.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["account", "date"]
        constraints = [
            models.UniqueConstraint(fields=["account", "date"], name="analytics_account_day")
        ]
        verbose_name = "cifra diaria de cuenta"
        verbose_name_plural = "cifras diarias de cuenta"

    def __str__(self) -> str:
        return f"{self.account} · {self.date}"


class PostMetric(models.Model):
    """Latest snapshot of one remote post's figures. The post is identified by
    (account, remote_id); `selectors.deliveries_for` links it to our Delivery."""

    account = models.ForeignKey(
        ChannelAccount, on_delete=models.CASCADE, related_name="post_metrics", verbose_name="cuenta"
    )
    remote_id = models.CharField("id de la publicación en la red", max_length=100)
    # Filled on import when one of our deliveries has this remote id on this account.
    delivery = models.ForeignKey(
        "publishing.Delivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="metrics",
        verbose_name="entrega",
    )
    permalink = models.URLField("enlace", max_length=500, blank=True)
    text = models.TextField("texto", blank=True)
    post_type = models.CharField("tipo", max_length=60, blank=True)
    published_at = models.DateTimeField("publicada", null=True, blank=True)
    snapshot_at = models.DateTimeField("cifras al")
    views = models.PositiveIntegerField("visualizaciones", null=True, blank=True)
    reach = models.PositiveIntegerField("alcance", null=True, blank=True)
    reactions = models.PositiveIntegerField("reacciones / me gusta", default=0)
    comments = models.PositiveIntegerField("comentarios", default=0)
    shares = models.PositiveIntegerField("compartidos", default=0)
    saves = models.PositiveIntegerField("guardados", default=0)
    clicks = models.PositiveIntegerField("clics", default=0)
    extra = models.JSONField("otras cifras", default=dict, blank=True)
    source = models.CharField(max_length=8, choices=MetricSource.choices)

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["account", "remote_id"], name="analytics_post_remote")
        ]
        # The dashboards, reports and home panel read some accounts' posts of a period;
        # the goals read every account's posts of a period.
        indexes = [
            models.Index(fields=["account", "published_at"], name="analytics_post_published"),
            models.Index(fields=["published_at"], name="analytics_post_published_at"),
        ]
        verbose_name = "cifras de publicación"
        verbose_name_plural = "cifras de publicaciones"

    def __str__(self) -> str:
        return f"{self.account} · {self.remote_id}"

    @property
    def interactions(self) -> int:
        return self.reactions + self.comments + self.shares + self.saves


class Purpose(models.TextChoices):
    PROGRAMS = "programas", "Programas de atención"
    PROCEDURES = "tramites", "Trámites"
    TOPICS = "temas", "Temas informativos"
    OTHER = "otros", "Otros"


class PurposeRule(models.Model):
    """A URL prefix and the purpose of the pages under it; longest prefix wins."""

    prefix = models.CharField("prefijo de la URL", max_length=300, unique=True)
    purpose = models.CharField("propósito", max_length=12, choices=Purpose.choices)

    class Meta:
        ordering = ["prefix"]
        verbose_name = "regla de propósito"
        verbose_name_plural = "reglas de propósito"

    def __str__(self) -> str:
        return f"{self.prefix} → {self.get_purpose_display()}"


class PageVisitDay(models.Model):
    date = models.DateField("fecha")
    path = models.CharField("página", max_length=500)
    purpose = models.CharField("propósito", max_length=12, choices=Purpose.choices)
    visits = models.PositiveIntegerField("visitas", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["date", "path"], name="analytics_page_day")]
        verbose_name = "visitas a una página en un día"

    def __str__(self) -> str:
        return f"{self.date} {self.path}"


class DailyVisitor(models.Model):
    """One visitor on one day: a salted hash of IP + user agent that changes daily."""

    date = models.DateField("fecha")
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["date", "visitor"], name="analytics_visitor_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.visitor[:8]}"


class DailySalt(models.Model):
    date = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.date)


class ImportState(models.TextChoices):
    PENDING = "pendiente", "En espera"
    RUNNING = "en_proceso", "Procesando"
    DONE = "terminada", "Terminada"
    FAILED = "fallida", "Falló"


class WebLogImport(models.Model):
    """Progress of one access log, keyed by a fingerprint of its first bytes, so an
    interrupted import resumes and a repeated one adds nothing. A log uploaded from the
    dashboard waits in `staged` until the worker imports it."""

    fingerprint = models.CharField(max_length=64, unique=True)
    name = models.CharField("archivo", max_length=300)
    state = models.CharField(
        "estado", max_length=12, choices=ImportState.choices, default=ImportState.DONE
    )
    size = models.PositiveBigIntegerField("tamaño (bytes)", default=0)
    position = models.PositiveBigIntegerField("bytes leídos", default=0)
    error = models.TextField("error", blank=True)
    staged = models.FileField(
        "bitácora recibida", upload_to="audiencias/bitacoras/", max_length=300, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="subida por",
    )
    lines_done = models.PositiveBigIntegerField("líneas procesadas", default=0)
    visits = models.PositiveBigIntegerField("visitas", default=0)
    bots = models.PositiveBigIntegerField("bots", default=0)
    skipped = models.PositiveBigIntegerField("omitidas (recursos, errores)", default=0)
    malformed = models.PositiveBigIntegerField("líneas mal formadas", default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "importación de bitácora web"

    def __str__(self) -> str:
        return self.name

    @property
    def percent(self) -> int:
        if self.state == ImportState.DONE:
            return 100
        return min(99, round(100 * self.position / self.size)) if self.size else 0


class AudienceBreakdown(models.Model):
    """Who follows (or engages with) an account on one day, split by one dimension
    (age, gender, city...), as the network's insights API gave it: {value: people}.
    When the API refuses the metric (retired, not offered for this account), the row
    keeps its answer in `unavailable` so the page says so instead of showing zeros."""

    account = models.ForeignKey(
        ChannelAccount, on_delete=models.CASCADE, related_name="audience", verbose_name="cuenta"
    )
    date = models.DateField("fecha")
    metric = models.CharField("cifra", max_length=60)
    breakdown = models.CharField("desglose", max_length=20)
    counts = models.JSONField("personas por valor", default=dict, blank=True)
    unavailable = models.CharField("la red no la ofrece", max_length=500, blank=True)
    source = models.CharField(max_length=8, choices=MetricSource.choices)

    class Meta:
        ordering = ["account", "-date", "metric", "breakdown"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "date", "metric", "breakdown"], name="analytics_audience_day"
            )
        ]
        verbose_name = "desglose de audiencia"
        verbose_name_plural = "desgloses de audiencia"

    def __str__(self) -> str:
        return f"{self.account} · {self.date} · {self.metric}/{self.breakdown}"
