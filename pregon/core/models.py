from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """Who did what to which object, and when. The backbone of accountability."""

    created_at = models.DateTimeField("fecha", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="usuario",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField("acción", max_length=100, db_index=True)
    object_type = models.CharField("tipo de objeto", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("id del objeto", max_length=64, blank=True)
    object_repr = models.CharField("objeto", max_length=200, blank=True)
    data = models.JSONField("datos", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "registro de auditoría"
        verbose_name_plural = "bitácora de auditoría"
        permissions = [("browse_audit", "Consultar la bitácora de auditoría")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"


class WorkerHeartbeat(models.Model):
    """Each worker process writes here every few seconds; /healthz reads it."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.last_seen:%H:%M:%S})"


class PeriodicJob(models.Model):
    """When a periodic job next runs; claimed with a conditional update so that
    several workers on several machines enqueue it once."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
