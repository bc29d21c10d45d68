from django.apps import AppConfig

PIECES = ["design.view_renderedpiece"]
MAKE = [*PIECES, "design.add_renderedpiece", "design.view_brandkit", "design.attach_renderedpiece"]


class DesignConfig(AppConfig):
    name = "pregon.design"
    verbose_name = "Imagen institucional"
    # Navigation entries: (group, place in it, label, url name, permission or None).
    nav: tuple = (("publicar", 5, "Diseño", "design:index", "design.view_renderedpiece"),)
    role_permissions = {
        "*": PIECES,
        "diseno": [*MAKE, "design.add_brandkit"],
        "coordinacion": [*MAKE, "design.add_brandkit"],
        "redaccion": MAKE,
    }
