"""A network's decisions live in its package: outside pregon/publishing/channels/<net>/
no code names a network by its kind. The check greps the application code (Python and
templates) for the kind as a value («"instagram"», «'x'») and as an enum member
(«ChannelKind.INSTAGRAM»); migrations are history and are not read.

Prose is not a decision and is not checked: docstrings and Spanish texts that mention
Facebook or Instagram by name, the design formats named after a network («Instagram
cuadrado»), settings such as PREGON_INSTAGRAM_HASHTAG_LIMIT. Stylesheets and icons
(static/) are keyed by kind and are not read either: a network without them is drawn
with the generic styles.

ALLOWED lists every other place, each with why. Moving one of them into its package
must also remove it here: the test fails on an allowance no longer needed."""

import re
from pathlib import Path

from pregon.publishing.channels.registry import NETWORK_PACKAGES, networks

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = ROOT / "pregon" / "publishing" / "channels"

# (file, kind): why it may name that network.
ALLOWED = {
    # Same word, another meaning.
    ("pregon/agenda/models.py", "manual"): "an activity typed in by hand, not imported",
    ("pregon/publishing/engine.py", "manual"): "the engine's outcome «left for a person»",
    ("pregon/design/render/__init__.py", "x"): "«1080x1080».split('x'): a size",
    ("pregon/goals/models.py", "facebook_page"): "an example in a help text",
}


def _files() -> list[Path]:
    found = []
    for folder, pattern in ((ROOT / "pregon", "*.py"), (ROOT / "templates", "*.html")):
        found += [p for p in folder.rglob(pattern) if "migrations" not in p.parts]
    return found


def _package_of(path: Path) -> str | None:
    """The network package a file belongs to, if any."""
    try:
        return path.relative_to(CHANNELS).parts[0]
    except ValueError:
        return None


def _mentions() -> set[tuple[str, str]]:
    own = {package.rsplit(".", 1)[1] for package in NETWORK_PACKAGES}
    found = set()
    for path in _files():
        text = path.read_text(encoding="utf-8")
        package = _package_of(path)
        for kind in networks():
            value = re.compile(rf"[\"']{re.escape(kind)}[\"']|ChannelKind\.{kind.upper()}\b")
            if value.search(text) and package not in own:
                found.add((str(path.relative_to(ROOT)), kind))
    return found


def test_no_network_is_named_outside_its_package():
    unexpected = _mentions() - set(ALLOWED)
    assert not unexpected, f"Decisions about a network outside its package: {sorted(unexpected)}"


def test_every_allowance_is_still_needed():
    assert set(ALLOWED) <= _mentions(), sorted(set(ALLOWED) - _mentions())


def test_the_registry_names_each_package_once():
    text = (CHANNELS / "registry.py").read_text(encoding="utf-8")
    for package in NETWORK_PACKAGES:
        assert text.count(f'"{package}"') == 1
    assert {p.name for p in CHANNELS.iterdir() if (p / "__init__.py").exists()} == {
        package.rsplit(".", 1)[1] for package in NETWORK_PACKAGES
    }
