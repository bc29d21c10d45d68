"""Compliance rules as data that Coordinación maintains: electoral periods,
exempt categories, report dates, public servants; plus the event log and the
communication expenses behind the transparency exports."""

from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst

from pregon.compliance.text import category_label, category_slug
from pregon.core.spanish import spanish_range

# The allowed window for report-related publications around the report date.
REPORT_DAYS_BEFORE = 7
REPORT_DAYS_AFTER = 5


class Scope(models.TextChoices):
    FEDERAL = "federal", "Federal"
    ESTATAL = "estatal", "Estatal"
    LOCAL = "local", "Local (municipal)"


class ElectoralPeriodQuerySet(models.QuerySet):
    def on(self, day: date) -> "ElectoralPeriodQuerySet":
        return self.filter(start__lte=day, end__gte=day)

    def overlapping(self, start: date, end: date) -> "ElectoralPeriodQuerySet":
        return self.filter(start__lte=end, end__gte=start)


class ElectoralPeriod(models.Model):
    """A veda: from the start of campaigns to the vote day, both included
    (art. 41 constitucional: government propaganda stops until the end of the
    jornada comicial). Periods may overlap (federal and state processes)."""

    name = models.CharField("nombre", max_length=200)
    scope = models.CharField("ámbito", max_length=10, choices=Scope.choices)
    start = models.DateField("inicio (incluido)")
    end = models.DateField("fin (incluido; normalmente el día de la jornada electoral)")
    notes = models.TextField("notas", blank=True)

    objects = ElectoralPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["start", "name"]
        verbose_name = "periodo de veda electoral"
        verbose_name_plural = "periodos de veda electoral"

    def __str__(self) -> str:
        return self.name

    @property
    def date_range(self) -> str:
        return spanish_range(self.start, self.end)

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "El fin no puede ser anterior al inicio."})
        if self.start and self.end:
            for report in GovernmentReport.objects.all():
                if report.window_start <= self.end and report.window_end >= self.start:
                    raise ValidationError(
                        f"La veda se traslapa con la ventana del informe «{report}» "
                        f"({spanish_range(report.window_start, report.window_end)})."
                    )


class ExemptCategory(models.Model):
    """A category that may still be published during a veda, and why."""

    category = models.CharField(
        "categoría",
        max_length=60,
        unique=True,
        help_text="Clave de la categoría, p. ej. salud, educacion, proteccion_civil.",
    )
    reason = models.CharField("motivo de la excepción", max_length=300)
    authorization = models.CharField("referencia de la autorización", max_length=300, blank=True)
    is_active = models.BooleanField("vigente", default=True)

    class Meta:
        ordering = ["category"]
        verbose_name = "categoría exenta"
        verbose_name_plural = "categorías exentas"

    def __str__(self) -> str:
        return category_label(self.category)

    def save(self, *args, **kwargs) -> None:
        # Stored as a slug so matching is one comparison, whatever was typed.
        self.category = category_slug(self.category)
        super().save(*args, **kwargs)

    def get_category_display(self) -> str:
        """«Protección civil», not the stored key «proteccion_civil»."""
        return capfirst(category_label(self.category))


class GovernmentReport(models.Model):
    """The annual government report (informe de gobierno) and its window."""

    title = models.CharField("título", max_length=200, default="Informe de gobierno")
    date = models.DateField("fecha del informe")
    territory_note = models.CharField(
        "ámbito territorial",
        max_length=300,
        default="Solo dentro del territorio del municipio",
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = "informe de gobierno"
        verbose_name_plural = "informes de gobierno"

    def __str__(self) -> str:
        return f"{self.title} {self.date.year}" if self.date else self.title

    @property
    def window_start(self) -> date:
        return self.date - timedelta(days=REPORT_DAYS_BEFORE)

    @property
    def window_end(self) -> date:
        return self.date + timedelta(days=REPORT_DAYS_AFTER)

    def clean(self) -> None:
        if not self.date:
            return
        clash = ElectoralPeriod.objects.overlapping(self.window_start, self.window_end).first()
        if clash:
            raise ValidationError(
                {
                    "date": f"La ventana del informe "
                    f"({spanish_range(self.window_start, self.window_end)}) se traslapa con "
                    f"la veda «{clash}» ({clash.date_range})."
                }
            )


class PublicServant(models.Model):
    name = models.CharField("nombre completo", max_length=200)
    title = models.CharField("cargo", max_length=200)
    aliases = models.TextField("otras formas de nombrarle", blank=True, help_text="Una por línea.")
    is_active = models.BooleanField("en funciones", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "servidor público"
        verbose_name_plural = "servidores públicos"

    def __str__(self) -> str:
        return f"{self.name} ({self.title})"

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]


class ComplianceSettings(models.Model):
    """One row: switches Coordinación flips for the whole office."""

    press_room_blackout_mode = models.BooleanField(
        "modo veda en sala de prensa",
        default=True,
        help_text="Durante una veda, la sala de prensa y los canales RSS ocultan lo no "
        "exento y muestran un aviso.",
    )
    press_room_notice = models.TextField(
        "aviso en la sala de prensa",
        default="En cumplimiento de la veda electoral, este sitio solo muestra información "
        "de salud, educación, protección civil y de las autoridades electorales.",
    )

    class Meta:
        verbose_name = "ajustes de cumplimiento"
        verbose_name_plural = "ajustes de cumplimiento"

    def __str__(self) -> str:
        return "Ajustes de cumplimiento"

    @classmethod
    def current(cls) -> "ComplianceSettings":
        found, _ = cls.objects.get_or_create(pk=1)
        return found


class EventKind(models.TextChoices):
    BLOCKED = "blocked", "Bloqueado"
    FLAGGED = "flagged", "Señalado"
    EXEMPTED = "exempted", "Exento"
    OVERRIDDEN = "overridden", "Autorizado pese a la regla"


class ComplianceEvent(models.Model):
    """What a rule did to which object. Written by `services.record_event`."""

    kind = models.CharField("tipo", max_length=12, choices=EventKind.choices, db_index=True)
    app_label = models.CharField("módulo", max_length=50)
    object_id = models.CharField("id del objeto", max_length=64, blank=True)
    object_label = models.CharField("objeto", max_length=300)
    rule = models.CharField("regla", max_length=40, db_index=True)
    message = models.TextField("mensaje")
    item_date = models.DateTimeField("fecha prevista de salida", null=True, blank=True)
    created_at = models.DateTimeField("registrado", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="usuario",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "evento de cumplimiento"
        verbose_name_plural = "eventos de cumplimiento"
        permissions = [
            ("view_dashboard", "Consultar la página de cumplimiento"),
            ("manage_rules", "Editar las reglas de cumplimiento y los gastos"),
            ("export_transparency", "Exportar los formatos de transparencia"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.object_label}"

    RULE_NAMES = {
        "veda": "Veda electoral",
        "veda_exenta": "Veda: categoría exenta",
        "promocion_personal": "Promoción personalizada",
        "informe": "Ventana del informe",
        "menores": "Menores de edad",
        "texto_alternativo": "Texto alternativo",
        "subtitulos": "Subtítulos de video",
        "contraste": "Contraste",
    }

    @property
    def rule_name(self) -> str:
        return self.RULE_NAMES.get(self.rule, self.rule)

    @property
    def module_name(self) -> str:
        """The Spanish name of the module the item belongs to."""
        try:
            return str(apps.get_app_config(self.app_label).verbose_name)
        except LookupError:
            return self.app_label


class CommunicationProgramme(models.Model):
    """The annual social communication programme (formato 23a)."""

    year = models.PositiveIntegerField("ejercicio", unique=True)
    name = models.CharField("denominación del documento", max_length=300)
    approved_on = models.DateField("fecha de aprobación")
    url = models.URLField("hipervínculo al programa", blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "programa anual de comunicación social"
        verbose_name_plural = "programas anuales de comunicación social"

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class MediaType(models.TextChoices):
    INTERNET = "internet", "Internet"
    RADIO = "radio", "Radio"
    TELEVISION = "television", "Televisión"
    IMPRESOS = "impresos", "Medios impresos"
    ESPECTACULARES = "espectaculares", "Espectaculares"
    COMPLEMENTARIOS = "complementarios", "Medios complementarios"
    CINE = "cine", "Cine"
    OTROS = "otros", "Otros"


class Procurement(models.TextChoices):
    LICITACION = "licitacion", "Licitación pública"
    INVITACION = "invitacion", "Invitación a cuando menos tres personas"
    ADJUDICACION = "adjudicacion", "Adjudicación directa"
    TIEMPOS_OFICIALES = "tiempos_oficiales", "Tiempos oficiales (sin costo)"


class CampaignKind(models.TextChoices):
    CAMPANA = "campana", "Campaña"
    AVISO = "aviso", "Aviso institucional"


class CommunicationExpenseQuerySet(models.QuerySet):
    def in_quarter(self, year: int, quarter: int) -> "CommunicationExpenseQuerySet":
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
        return self.filter(start_date__lte=end, end_date__gte=start)

    def contracted(self) -> "CommunicationExpenseQuerySet":
        return self.exclude(procurement_method=Procurement.TIEMPOS_OFICIALES)

    def official_airtime(self) -> "CommunicationExpenseQuerySet":
        return self.filter(procurement_method=Procurement.TIEMPOS_OFICIALES)


class CommunicationExpense(models.Model):
    """One contracted communication service (or one use of official airtime)."""

    campaign = models.CharField("campaña o aviso institucional", max_length=300)
    campaign_kind = models.CharField(
        "tipo", max_length=10, choices=CampaignKind.choices, default=CampaignKind.CAMPANA
    )
    requesting_area = models.CharField("área solicitante", max_length=200, blank=True)
    media_type = models.CharField("tipo de medio", max_length=20, choices=MediaType.choices)
    unit_description = models.CharField(
        "descripción de unidad", max_length=200, blank=True, help_text="p. ej. spot de 30 s"
    )
    supplier = models.CharField("proveedor (razón social)", max_length=300)
    supplier_rfc = models.CharField("RFC del proveedor", max_length=13, blank=True)
    contract_number = models.CharField("número de contrato", max_length=100, blank=True)
    contract_date = models.DateField("fecha de firma del contrato", null=True, blank=True)
    procurement_method = models.CharField(
        "procedimiento de contratación", max_length=20, choices=Procurement.choices
    )
    amount = models.DecimalField("monto total (MXN)", max_digits=14, decimal_places=2)
    amount_paid = models.DecimalField(
        "monto pagado al periodo (MXN)", max_digits=14, decimal_places=2, default=0
    )
    start_date = models.DateField("inicio de los servicios")
    end_date = models.DateField("término de los servicios")
    invoice_number = models.CharField("número de factura", max_length=100, blank=True)
    invoice_file = models.FileField(
        "factura (PDF o XML)", upload_to="cumplimiento/facturas/%Y/", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunicationExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "campaign"]
        verbose_name = "gasto de comunicación social"
        verbose_name_plural = "gastos de comunicación social"

    def __str__(self) -> str:
        return f"{self.campaign} · {self.supplier}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "El término no puede ser anterior al inicio."})
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": "El monto no puede ser negativo."})
