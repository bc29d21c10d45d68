"""A template loader for the networks' own templates: «networks/<kind>/<file>» is
<file> in that network's package folder, so a network's preview lives beside it."""

from collections.abc import Iterator

from django.template import Origin
from django.template.loaders.filesystem import Loader as FilesystemLoader

from pregon.publishing.channels.registry import networks

PREFIX = "networks/"


class Loader(FilesystemLoader):
    def get_template_sources(self, template_name: str) -> Iterator[Origin]:
        if not template_name.startswith(PREFIX):
            return
        kind, _, filename = template_name.removeprefix(PREFIX).partition("/")
        network = networks().get(kind)
        if network is None or not filename or "/" in filename or filename.startswith("."):
            return
        yield Origin(name=str(network.folder / filename), template_name=template_name, loader=self)
