from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_save

EDIT = [
    "bulletins.view_bulletin",
    "bulletins.add_bulletin",
    "bulletins.change_bulletin",
    "bulletins.delete_bulletin",
    "bulletins.distribute_bulletin",
    "bulletins.view_mediacontact",
    "bulletins.add_mediacontact",
    "bulletins.change_mediacontact",
    "bulletins.delete_mediacontact",
    "bulletins.view_livetransmission",
    "bulletins.add_livetransmission",
    "bulletins.change_livetransmission",
    "bulletins.view_scheduledbroadcast",
    "bulletins.add_scheduledbroadcast",
    "bulletins.change_scheduledbroadcast",
]
READ = [
    "bulletins.view_bulletin",
    "bulletins.view_livetransmission",
    "bulletins.view_scheduledbroadcast",
]
# Who runs the stream (OBS in the session hall) sees the ingest address and key.
STREAM = [
    "bulletins.add_scheduledbroadcast",
    "bulletins.change_scheduledbroadcast",
    "bulletins.run_broadcast",
]


class BulletinsConfig(AppConfig):
    name = "pregon.bulletins"
    verbose_name = "Boletines y sala de prensa"
    # Navigation entries: (group, place in it, label, url name, permission or None).
    nav: tuple = (
        ("publicar", 3, "Boletines", "bulletins:list", "bulletins.view_bulletin"),
        (
            "administrar",
            2,
            "Directorio de medios",
            "bulletins:directory",
            "bulletins.view_mediacontact",
        ),
        (
            "publicar",
            4,
            "Transmisiones",
            "bulletins:transmissions",
            "bulletins.view_livetransmission",
        ),
    )
    role_permissions = {
        "coordinacion": [*EDIT, *STREAM, "bulletins.approve_bulletin"],
        "redaccion": EDIT,
        "diseno": READ,
        "fotografia": [*READ, *STREAM],
        "enlace": READ,
        "presidencia": READ,
        "consulta": [*READ, "bulletins.view_mediacontact"],
    }

    def ready(self) -> None:
        # These modules load models, which exist only once the app registry is ready.
        from pregon.bulletins import tasks  # noqa: PLC0415 - see above
        from pregon.bulletins.live import activity_saved  # noqa: PLC0415 - see above
        from pregon.core import periodic, public_cache  # noqa: PLC0415 - see above

        post_save.connect(
            activity_saved, sender="agenda.Activity", dispatch_uid="bulletins.follow_activity"
        )
        post_save.connect(
            tasks.activity_saved,
            sender="agenda.Activity",
            dispatch_uid="bulletins.broadcasts_follow_activity",
        )
        # What the press room, its feeds and sitemap show (the brand and the blackout too).
        public_cache.watch(
            "bulletins.Bulletin",
            "bulletins.BulletinPhoto",
            "bulletins.LiveTransmission",
            "agenda.Activity",
            "accounts.Area",
            "compliance.ElectoralPeriod",
            "compliance.ExemptCategory",
            "compliance.ComplianceSettings",
            "design.BrandKit",
        )
        periodic.register(
            "bulletins.resume_distributions",
            timedelta(minutes=1),
            "pregon.bulletins.tasks.resume_distributions",
        )
        periodic.register(
            "bulletins.prepare_transmissions",
            timedelta(minutes=5),
            "pregon.bulletins.tasks.prepare_transmissions",
        )
        periodic.register(
            "bulletins.follow_broadcasts",
            timedelta(minutes=5),
            "pregon.bulletins.tasks.follow_broadcasts",
        )
