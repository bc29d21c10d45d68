"""What gunicorn's master does once before forking the web workers (pregon/wsgi.py,
`--preload`): load what every worker would otherwise load at its first requests. A
worker replaced after its share of requests then answers at once (a first request
cost ≈ 0.5 s: the URLconf with the API's schemas), and the workers share that
memory instead of each holding its own copy."""

from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver

TEMPLATE_SUFFIXES = {".html", ".xml", ".txt", ".ics"}


def warm() -> None:
    get_resolver().reverse_dict  # noqa: B018 - read for its side effect: the URLconf loaded
    _compile_templates(Path(settings.BASE_DIR) / "templates")


def _compile_templates(root: Path) -> None:
    """Into the cached loader (≈ 0.1 s for all of them), so no worker parses one."""
    for path in sorted(root.rglob("*")):
        if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
            continue
        try:
            get_template(path.relative_to(root).as_posix())
        except (TemplateDoesNotExist, TemplateSyntaxError):
            continue  # a page that uses it reports the error, as without the warm-up
