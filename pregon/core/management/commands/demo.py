"""`pregon demo`: loads Chapultepec's demo data. Idempotent: run it as often as you like.
Each app may provide `demo.load(stdout)`; apps load in INSTALLED_APPS order, and
`demo.retire(stdout)` for `pregon demo --desactivar`. `pregon demo --scale 10` then adds
ten years of a large municipality (pregon/core/scale.py), for the load benchmarks."""

import time
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from pregon.core import scale as scale_data


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
        parser.add_argument(
            "--scale",
            type=float,
            default=0,
            metavar="N",
            help=(
                "Además, N veces un año de un municipio grande (10: unas 70 000 publicaciones, "
                "300 000 archivos, 2 millones de cifras diarias), para pruebas de carga."
            ),
        )

    def handle(self, *args, desactivar: bool = False, scale: float = 0, **options) -> None:
        if desactivar:
            for module in demo_modules():
                if hasattr(module, "retire"):
                    module.retire(self.stdout)
            return
        for module in demo_modules():
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Datos de demostración listos."))
        if scale > 0:
            self._scale(scale)

    def _scale(self, scale: float) -> None:
        started = time.monotonic()
        sizes = scale_data.Sizes.for_scale(scale)
        last = [""]

        def report(line: str) -> None:
            label = line.split(":")[0]
            if label != last[0]:  # one line per table, then its total
                if last[0]:
                    self.stdout.write("")
                last[0] = label
            self.stdout.write(f"\r  {line}", ending="")
            self.stdout.flush()

        self.stdout.write(f"Datos de escala {scale:g}: {sizes}")
        scale_data.build(sizes, report)
        self.stdout.write("")
        minutes = (time.monotonic() - started) / 60
        self.stdout.write(
            self.style.SUCCESS(f"Datos de escala {scale:g} listos en {minutes:.1f} min.")
        )
