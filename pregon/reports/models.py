from django.conf import settings
from django.db import models
from django.urls import reverse


class IssuedReport(models.Model):
    """An evaluation as issued: its figures are frozen here, so later data changes
    (late imports, corrections) never alter what was reported."""

    period = models.CharField("periodo", max_length=10, db_index=True)
    label = models.CharField("nombre del periodo", max_length=100)
    plan = models.ForeignKey(
        "goals.Plan",
        verbose_name="plan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued_reports",
    )
    figures = models.JSONField("cifras")
    conclusions = models.TextField("conclusiones de Coordinación", blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="emitido por",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField("emitido el")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = "evaluación emitida"
        verbose_name_plural = "evaluaciones emitidas"

    def __str__(self) -> str:
        return f"Evaluación {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("reports:issued", args=[self.pk])
