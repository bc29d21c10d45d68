"""The home page's panels are kept per person and per app: a write recomputes the
panels of the apps that watch what was written, not every panel. (A delivery going
out every few minutes used to recompute the goals and audiences too, each time, for
everyone who opened the home page.)"""

from collections import Counter

import pytest

from pregon.core import panels
from pregon.publishing.models import Category, ChannelKind, Theme, ThemeTarget


@pytest.fixture
def computed(monkeypatch):
    """How many times each app's panels were computed."""
    counts: Counter = Counter()
    for module in panels.home_modules():
        real = module.panels

        def counting(request, real=real, name=module.__name__):
            counts[name] += 1
            return real(request)

        monkeypatch.setattr(module, "panels", counting)
    return counts


def test_a_write_recomputes_only_the_apps_that_watch_it(client, mariana, computed):
    client.force_login(mariana)  # Coordinación: every app's panels
    assert client.get("/").status_code == 200
    first = dict(computed)
    assert first["pregon.publishing.home"] == first["pregon.analytics.home"] == 1
    computed.clear()

    theme = Theme.objects.create(name="Agua", category=Category.SALUD)
    ThemeTarget.objects.create(theme=theme, channel=ChannelKind.FACEBOOK_PAGE, count=1)
    page = client.get("/").content.decode()
    # The cadence is publishing's panel and one of the goals' sources; not the audiences'.
    assert set(computed) == {"pregon.publishing.home", "pregon.goals.home"}
    assert "Agua" in page  # the new theme, behind, is shown at once


def test_each_person_gets_their_own_panels(client, mariana, jorge, computed):
    client.force_login(mariana)
    client.get("/")
    client.force_login(jorge)
    client.get("/")
    assert computed["pregon.publishing.home"] == 2  # not Mariana's, served to Jorge
