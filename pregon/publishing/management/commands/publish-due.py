"""`pregon publish-due [--json]`: send what is due now (the worker does it every minute)."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from pregon.core.progress import ProgressBar
from pregon.publishing import engine, services


class Command(BaseCommand):
    help = "Envía las publicaciones programadas cuya hora ya llegó."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Imprime un resumen JSON."
        )

    def handle(self, *args, as_json: bool = False, **options) -> None:
        services.publications_missed()
        due = engine.due(timezone.now()).count()
        bar = ProgressBar(due, "Envíos", enabled=not as_json and self.stderr.isatty())
        counts = engine.publish_due(on_done=lambda outcome: bar.advance(note=outcome))
        bar.finish()
        self._report(dict(counts), due, as_json)

    def _report(self, counts: dict, due: int, as_json: bool) -> None:
        if as_json:
            self.stdout.write(_dumps({"due": due, **counts}))
            return
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "nada"
        self.stdout.write(f"Envíos vencidos: {due}. {summary}.")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
