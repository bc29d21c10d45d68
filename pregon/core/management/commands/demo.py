"""`pregon demo`: loads Chapultepec's demo data. Idempotent: run it as often as you like.
Each app may provide `demo.load(stdout)`; apps load in INSTALLED_APPS order, and
`demo.retire(stdout)` for `pregon demo --desactivar`."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


def demo_modules() -> list:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("pregon."):
            continue
        try:
            modules.append(import_module(f"{config.name}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
    return modules


class Command(BaseCommand):
    help = "Carga los datos de demostración de Chapultepec (plan 2023). Se puede repetir."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--desactivar",
            action="store_true",
            help="Desactiva las cuentas de demostración (antes de abrir Pregón al público).",
        )

    def handle(self, *args, desactivar: bool = False, **options) -> None:
        if desactivar:
            for module in demo_modules():
                if hasattr(module, "retire"):
                    module.retire(self.stdout)
            return
        for module in demo_modules():
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Datos de demostración listos."))
