from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SHARED = Path("/work/shared/testdata")


@pytest.fixture
def accounts(db):
    """The demo channels whose exports the samples imitate."""
    from pregon.publishing.models import ChannelAccount, ChannelKind

    make = ChannelAccount.objects.create
    return {
        "fb": make(
            name="Facebook · Ayuntamiento",
            kind=ChannelKind.FACEBOOK_PAGE,
            handle="AyuntamientoChapultepec",
            external_id="1002003004",
        ),
        "ig": make(
            name="Instagram · @lauraamaliag", kind=ChannelKind.INSTAGRAM, handle="@lauraamaliag"
        ),
        "x": make(name="X · @Lauramaliagm", kind=ChannelKind.X, handle="@Lauramaliagm"),
    }


@pytest.fixture
def export():
    return lambda name: DATA / "exports" / name


@pytest.fixture
def weblog():
    return lambda name: DATA / "weblogs" / name
