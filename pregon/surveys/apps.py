from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "pregon.surveys"
    verbose_name = "Encuestas"
    # Navigation entries: (group, place in it, label, url name, permission or None).
    nav: tuple = (("medir", 2, "Encuestas", "surveys:list", "surveys.view_survey"),)
    role_permissions = {
        "coordinacion": [
            "surveys.view_survey",
            "surveys.add_survey",
            "surveys.change_survey",
            "surveys.delete_survey",
            "surveys.view_results",
        ],
        "presidencia": ["surveys.view_survey", "surveys.view_results"],
        "consulta": ["surveys.view_survey", "surveys.view_results"],
        "redaccion": ["surveys.view_survey", "surveys.view_results"],
    }

    def ready(self) -> None:
        from pregon.core import public_cache  # noqa: PLC0415 - loads auth models: registry first

        # What the public answering page shows.
        public_cache.watch("surveys.Survey", "surveys.Question")
