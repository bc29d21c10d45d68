"""Priority (jerarquización): the active rule set scores an activity term by term.
Pure functions over plain values, so the explanation is exactly what was summed."""

from dataclasses import dataclass

from pregon.agenda.models import Activity, ActivityType, Criterion, PriorityRule, Tier


@dataclass
class Term:
    label: str
    points: int


def _matches(rule: PriorityRule, activity: Activity, novelty: bool) -> bool:
    criterion = rule.criterion
    if criterion == Criterion.WITH_MAYOR:
        return activity.with_mayor
    if criterion == Criterion.TYPE:
        return activity.type == rule.value
    if criterion == Criterion.ATTENDANCE:
        wanted = int(rule.value) if rule.value.isdigit() else 0
        return (activity.expected_attendance or 0) >= wanted
    if criterion == Criterion.PUBLIC_INTEREST:
        return activity.public_interest
    if criterion == Criterion.CAMPAIGN:
        return activity.campaign_id is not None
    if criterion == Criterion.NOVELTY:
        return novelty
    if criterion == Criterion.AREA:
        return activity.area.short_name.upper() == rule.value.strip().upper()
    return False


def rule_label(rule: PriorityRule) -> str:
    if rule.criterion == Criterion.TYPE:
        return f"Tipo: {dict(ActivityType.choices).get(rule.value, rule.value)}"
    if rule.criterion == Criterion.ATTENDANCE:
        return f"Asistencia esperada de {rule.value} personas o más"
    if rule.criterion == Criterion.AREA:
        return f"Área: {rule.value}"
    return rule.get_criterion_display()


def score(activity: Activity, rules: list[PriorityRule], novelty: bool) -> tuple[int, list[Term]]:
    terms = [Term(rule_label(r), r.points) for r in rules if _matches(r, activity, novelty)]
    return sum(t.points for t in terms), terms


def tier_for(total: int, tier_a_min: int, tier_b_min: int) -> str:
    if total >= tier_a_min:
        return Tier.A
    if total >= tier_b_min:
        return Tier.B
    return Tier.C
