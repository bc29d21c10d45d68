"""`pregon search QUERY [--json]`: the same Spanish search as the web and the API."""

import json

from django.core.management.base import BaseCommand

from pregon.archive import search


class Command(BaseCommand):
    help = "Busca en el archivo y la hemeroteca (sin importar acentos ni plurales)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("query", nargs="+", metavar="CONSULTA")
        parser.add_argument("--kind", default="")
        parser.add_argument("--year", default="")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--relevance", action="store_true", help="Ordena por relevancia.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, query, **options) -> None:
        results = search.run(
            " ".join(query),
            {"kind": options["kind"], "year": options["year"]},
            order="relevancia" if options["relevance"] else "recientes",
            limit=options["limit"],
        )
        hits = [search.hit_dict(h) for h in results.hits]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"total": results.total, "total_minimo": results.capped, "resultados": hits},
                    ensure_ascii=False,
                )
            )
            return
        total = f"Más de {results.bound}" if results.capped else str(results.total)
        self.stdout.write(f"{total} resultados")
        for hit in hits:
            self.stdout.write(
                f"  [{hit['clase']}] #{hit['id']} {hit['fecha'] or ''} {hit['titulo']}"
            )
