"""Brand kits (versioned, one active) and the pieces rendered from templates."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from pregon.design.render import SIZES, TEMPLATES, Brand

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Escriba el color como #rrggbb (ej. #7a1f3d).")


class BrandKitQuerySet(models.QuerySet):
    def active(self) -> "BrandKit | None":
        return self.filter(is_active=True).first()


class BrandKit(models.Model):
    """One version of the institutional image. Editing creates a new version;
    older versions stay for the record and can be reactivated."""

    version = models.PositiveIntegerField("versión", unique=True)
    administration = models.CharField("administración", max_length=200)
    motto = models.CharField("lema", max_length=200)
    footer = models.CharField("domicilio y teléfono", max_length=300)
    legend = models.CharField("leyenda oficial del año", max_length=300, blank=True)
    logo = models.FileField("logotipo (SVG o PNG)", upload_to="diseno/marca/", max_length=300)
    coat_of_arms = models.FileField(
        "escudo (SVG o PNG)", upload_to="diseno/marca/", max_length=300, blank=True
    )
    color_primary = models.CharField("color primario", max_length=7, validators=[hex_colour])
    color_secondary = models.CharField("color secundario", max_length=7, validators=[hex_colour])
    color_text = models.CharField("color de texto", max_length=7, validators=[hex_colour])
    color_background = models.CharField("color de fondo", max_length=7, validators=[hex_colour])
    font_family = models.CharField(
        "tipografía",
        max_length=40,
        default="montserrat",
        choices=[("montserrat", "Montserrat (SIL OFL 1.1, incluida)")],
    )
    is_active = models.BooleanField("activo", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("creado", auto_now_add=True)

    objects = BrandKitQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = "kit de marca"
        verbose_name_plural = "kits de marca"
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="design_one_active_kit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.administration} (v{self.version})"

    def to_brand(self) -> Brand:
        return Brand(
            administration=self.administration,
            motto=self.motto,
            footer=self.footer,
            legend=self.legend,
            primary=self.color_primary,
            secondary=self.color_secondary,
            text=self.color_text,
            background=self.color_background,
            logo=_read(self.logo),
            coat_of_arms=_read(self.coat_of_arms),
        )


def _read(field) -> bytes | None:
    if not field:
        return None
    with field.open("rb") as fh:
        return fh.read()


class DesignPhoto(models.Model):
    """A photo uploaded for a campaign piece, kept so previews need not re-upload it."""

    image = models.FileField("foto", upload_to="diseno/fotos/", max_length=300)
    original_name = models.CharField("nombre original", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("subida", auto_now_add=True)

    class Meta:
        verbose_name = "foto para diseño"
        verbose_name_plural = "fotos para diseño"

    def __str__(self) -> str:
        return self.original_name


def drawn_texts(data: dict) -> list[str]:
    """The words a piece prints, from its template data (the focal point is not text)."""
    return [str(v) for k, v in data.items() if not k.startswith("foco") and v]


class RenderedPiece(models.Model):
    """A piece rendered at one size, with the data and kit that produced it."""

    template = models.CharField(
        "plantilla", max_length=20, choices=[(k, t.label) for k, t in TEMPLATES.items()]
    )
    size = models.CharField("tamaño", max_length=12, choices=list(SIZES.items()))
    data = models.JSONField("datos", default=dict)
    photo = models.ForeignKey(
        DesignPhoto, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="foto"
    )
    image = models.FileField("imagen", upload_to="diseno/piezas/%Y/%m/", max_length=300)
    kit = models.ForeignKey(BrandKit, on_delete=models.PROTECT, verbose_name="kit de marca")
    campaign = models.ForeignKey(
        "agenda.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="design_pieces",
        verbose_name="campaña",
    )
    activity = models.ForeignKey(
        "agenda.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="design_pieces",
        verbose_name="actividad",
    )
    asset = models.ForeignKey(
        "archive.Asset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="design_pieces",
        verbose_name="en el archivo",
    )
    contrast_ratio = models.FloatField(
        "contraste mínimo",
        null=True,
        blank=True,
        help_text="El par texto/fondo con menos contraste de la pieza (WCAG AA pide 4.5:1).",
    )
    batch = models.CharField("exportación", max_length=32, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("creada", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "pieza gráfica"
        verbose_name_plural = "piezas gráficas"
        permissions = [("attach_renderedpiece", "Adjuntar piezas a publicaciones")]

    def __str__(self) -> str:
        title = self.data.get("titulo") or self.data.get("cifra") or self.data.get("cita") or ""
        return f"{self.get_template_display()} {self.size}: {title[:60]}"
