from django.core.management import call_command
from django.utils import timezone

from pregon.accounts.models import Area, User
from pregon.goals.models import Indicator, Plan
from pregon.publishing.models import ChannelAccount


def _counts() -> dict:
    return {
        "areas": Area.objects.count(),
        "users": User.objects.count(),
        "channels": ChannelAccount.objects.count(),
        "indicators": Indicator.objects.count(),
    }


def test_demo_is_idempotent_and_loads_the_plan(db, client):
    call_command("demo")
    first = _counts()
    call_command("demo")
    assert _counts() == first
    assert {"SMDIF", "IMCUFIDEC", "OPDU", "SEGPUB", "PC"} <= set(
        Area.objects.values_list("short_name", flat=True)
    )
    plan = Plan.objects.get(year=timezone.localdate().year)  # the plan year is this year
    targets = {i.code: int(i.target) for i in plan.indicators.all()}
    assert targets["P1"] == 720 and targets["P2"] == 180 and targets["C1"] == 80
    assert int(plan.indicators.get(code="A1").baseline) == 6900
    kinds = set(ChannelAccount.objects.values_list("kind", flat=True))
    assert {"facebook_page", "instagram", "x", "wordpress"} <= kinds
    # Documented demo password works.
    assert client.login(username="coordinacion", password="coordinacion-demo-2023")
