"""`.env.example` lists exactly the variables settings.py reads."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_matches_settings():
    source = (ROOT / "pregon" / "settings.py").read_text()
    read = set(re.findall(r'env(?:bool|int)?\(\s*"([A-Z0-9_]+)"', source))
    read |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z0-9_]+)"', source))
    # A network's own settings are declared in its package (channels/<net>/conf.py).
    for conf in (ROOT / "pregon" / "publishing" / "channels").glob("*/conf.py"):
        read |= set(re.findall(r"^\s+(PREGON_[A-Z0-9_]+)=", conf.read_text(), re.M))
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", example, re.M))
    assert read - documented == set(), "variables leídas pero no documentadas en .env.example"
    assert documented - read == set(), "variables documentadas que settings.py no lee"
