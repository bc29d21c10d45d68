"""Writes: plans and indicators, audited."""

from pregon.accounts.models import User
from pregon.core.audit import log_action
from pregon.goals.forms import IndicatorForm, PlanForm
from pregon.goals.models import Indicator, Plan


def plan_save(*, form: PlanForm, user: User) -> Plan:
    created = form.instance.pk is None
    plan = form.save()
    log_action(plan, "goals.plan_created" if created else "goals.plan_changed", user=user)
    return plan


def indicator_save(*, form: IndicatorForm, user: User) -> Indicator:
    created = form.instance.pk is None
    indicator = form.save()
    verb = "goals.indicator_created" if created else "goals.indicator_changed"
    log_action(indicator, verb, user=user, data={"changed": form.changed_data})
    return indicator


def indicator_delete(*, indicator: Indicator, user: User) -> None:
    log_action(indicator, "goals.indicator_deleted", user=user, data={"code": indicator.code})
    indicator.delete()
