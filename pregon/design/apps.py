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

    def ready(self) -> None:
        # Imported here: models load only after the app registry is ready.
        from pregon.design.selectors import drawn_pieces  # noqa: PLC0415 - models load after ready
        from pregon.publishing.verdict import register_design_source  # noqa: PLC0415 - idem

        # The words a design draws count for «may this go out?» (publishing's verdict).
        register_design_source(drawn_pieces)
