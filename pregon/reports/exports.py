"""The three output formats, named once for the views and the command."""

from collections.abc import Callable

from pregon.reports import render

FORMATS: dict[str, tuple[Callable, str, str]] = {
    "html": (lambda *a: render.to_html(*a).encode(), "text/html; charset=utf-8", "html"),
    "pdf": (render.to_pdf, "application/pdf", "pdf"),
    "xlsx": (
        render.to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}


def export(fmt: str, figures: dict, conclusions: str = "", issued=None) -> bytes:
    return FORMATS[fmt][0](figures, conclusions, issued)


def filename(figures: dict, fmt: str) -> str:
    return f"evaluacion-{figures['period']['key']}.{FORMATS[fmt][2]}"
