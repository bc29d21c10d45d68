"""Forms: the brand kit and a template's fields (built from its FieldSpec list)."""

from django import forms

from pregon.design.contrast import check_contrast
from pregon.design.flyer import LAYOUTS
from pregon.design.models import BrandKit, DesignPhoto
from pregon.design.render import SIZES, TemplateSpec
from pregon.publishing.models import Category


class BrandKitForm(forms.ModelForm):
    logo = forms.FileField(label="Logotipo (SVG o PNG)", required=False)
    coat_of_arms = forms.FileField(label="Escudo (SVG o PNG)", required=False)

    class Meta:
        model = BrandKit
        fields = [
            "administration",
            "motto",
            "footer",
            "legend",
            "color_primary",
            "color_secondary",
            "color_text",
            "color_background",
            "font_family",
        ]
        widgets = {
            f: forms.TextInput(attrs={"type": "color"})
            for f in ("color_primary", "color_secondary", "color_text", "color_background")
        }

    def contrast_warnings(self) -> list[str]:
        """Warn (without blocking) when the palette's text pairs fail WCAG AA."""
        d = self.cleaned_data
        pairs = [
            (d.get("color_text"), d.get("color_background"), "Texto sobre fondo"),
            (d.get("color_primary"), d.get("color_background"), "Títulos (primario) sobre fondo"),
        ]
        return [
            r.message
            for fg, bg, where in pairs
            if fg and bg and not (r := check_contrast(fg, bg, where=where)).ok
        ]


def piece_form_class(spec: TemplateSpec) -> type[forms.Form]:
    """A Django form with one field per template field, plus size, photo and links."""
    attrs: dict = {}
    for f in spec.fields:
        widget = forms.Textarea(attrs={"rows": 3}) if f.multiline else forms.TextInput()
        attrs[f.name] = forms.CharField(
            label=f.label,
            max_length=f.max_length,
            required=f.required,
            help_text=f.help,
            widget=widget,
            strip=True,
        )
    if spec.photo:
        attrs["foto"] = forms.ModelChoiceField(
            DesignPhoto.objects.all(), required=False, widget=forms.HiddenInput
        )
        attrs["foco_x"] = forms.FloatField(
            label="Punto focal horizontal",
            min_value=0,
            max_value=1,
            initial=0.5,
            required=False,
            widget=forms.NumberInput(attrs={"step": "0.05"}),
        )
        attrs["foco_y"] = forms.FloatField(
            label="Punto focal vertical",
            min_value=0,
            max_value=1,
            initial=0.5,
            required=False,
            widget=forms.NumberInput(attrs={"step": "0.05"}),
        )
    attrs["size"] = forms.ChoiceField(
        label="Tamaño de vista previa", choices=list(SIZES.items()), initial="1080x1350"
    )
    return type(f"{spec.slug.title()}Form", (forms.Form,), attrs)


def piece_data(spec: TemplateSpec, cleaned: dict) -> dict:
    """The JSON-able data the renderer takes (photo kept apart)."""
    data = {f.name: cleaned.get(f.name) or "" for f in spec.fields}
    if spec.photo:
        data["foco_x"] = cleaned.get("foco_x") if cleaned.get("foco_x") is not None else 0.5
        data["foco_y"] = cleaned.get("foco_y") if cleaned.get("foco_y") is not None else 0.5
    return data


class FlyerForm(forms.Form):
    url = forms.URLField(
        label="Dirección del código QR",
        initial="https://chapultepec.gob.mx/",
        assume_scheme="https",
    )
    layout = forms.ChoiceField(label="Formato", choices=list(LAYOUTS.items()), initial="carta")
    category = forms.ChoiceField(
        label="Categoría",
        choices=Category.choices,
        initial=Category.INSTITUCIONAL,
        help_text="Durante una veda electoral solo se imprimen las categorías exentas.",
    )


class PhotoForm(forms.Form):
    foto_archivo = forms.FileField(label="Fotografía (JPEG, PNG o WebP)")
