from django.apps import AppConfig

READ = ["archive.view_asset", "archive.view_clipping"]
UPLOAD = ["archive.add_asset", "archive.change_asset"]
CLIPPINGS = ["archive.add_clipping", "archive.change_clipping"]


class ArchiveConfig(AppConfig):
    name = "pregon.archive"
    verbose_name = "Archivo y hemeroteca"
    # Navigation entries: (group, place in it, label, url name, permission or None).
    nav: tuple = (
        ("archivo", 1, "Archivo", "archive:index", "archive.view_asset"),
        ("archivo", 2, "Hemeroteca", "archive:clippings", "archive.view_clipping"),
    )
    role_permissions = {
        "coordinacion": [*READ, *UPLOAD, *CLIPPINGS, "archive.delete_asset"],
        "redaccion": [*READ, *UPLOAD, *CLIPPINGS],
        "fotografia": [*READ, *UPLOAD],
        "diseno": [*READ, *UPLOAD],
        "enlace": [*READ, "archive.add_asset"],
        "presidencia": READ,
        "consulta": READ,
    }
