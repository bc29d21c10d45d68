"""Indicator computation: the source registry gives numbers, the formula kind turns
them into the indicator's value, and the target is scaled to the period asked for."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from pregon.goals import sources
from pregon.goals.models import BaselineScope, FormulaKind, Indicator, Source
from pregon.goals.periods import FREQUENCY_MONTHS, Period

TWO = Decimal("0.01")
Formula = Callable[[Decimal | None, Decimal | None, Decimal | None], Decimal | None]


def _count(num, den, baseline):
    return num


def _ratio(num, den, baseline):
    return None if num is None or not den else Decimal(100) * num / den


def _growth(num, den, baseline):
    return None if num is None or not baseline else Decimal(100) * (num - baseline) / baseline


def _average(num, den, baseline):
    return None if num is None or not den else num / den


FORMULAS: dict[str, Formula] = {
    FormulaKind.COUNT: _count,
    FormulaKind.RATIO: _ratio,
    FormulaKind.GROWTH: _growth,
    FormulaKind.AVERAGE: _average,
}


@dataclass
class Result:
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    target: Decimal

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.value >= self.target

    @property
    def gap(self) -> Decimal | None:
        """How far below the target (positive = missing), None without data."""
        return None if self.value is None else (self.target - self.value).quantize(TWO)


def dec(value) -> Decimal | None:
    """Model fields hold Decimals once read back; a fresh instance may hold ints."""
    return None if value is None else Decimal(str(value))


def round2(value) -> Decimal | None:
    return None if value is None else dec(value).quantize(TWO, rounding=ROUND_HALF_UP)


def target_for(indicator: Indicator, period: Period) -> Decimal:
    """Counts scale with the length of the period (720 a year → 360 a semester);
    ratios, growth and averages keep their target."""
    if indicator.formula_kind != FormulaKind.COUNT:
        return dec(indicator.target)
    months = FREQUENCY_MONTHS[indicator.frequency]
    return round2(dec(indicator.target) * period.months / months)


def baseline_for(indicator: Indicator) -> Decimal | None:
    """The baseline as set: for followers it covers the accounts of `baseline_scope`
    (the value is summed over the same accounts, see `source_filters`)."""
    return dec(indicator.baseline)


def source_filters(indicator: Indicator) -> dict:
    """The indicator's filters, plus the accounts its followers baseline covers."""
    filters = dict(indicator.filters or {})
    if indicator.numerator != Source.FOLLOWERS:
        return filters
    if indicator.baseline_scope == BaselineScope.INSTITUTIONAL:
        filters["institutional"] = True
    elif indicator.baseline_scope == BaselineScope.ACCOUNT:
        filters["account"] = indicator.baseline_account_id or 0
    return filters


def evaluate(indicator: Indicator, start: datetime, end: datetime, target: Decimal) -> Result:
    filters = source_filters(indicator)
    num = sources.read(indicator.numerator, start, end, filters)
    den = (
        sources.read(indicator.denominator, start, end, filters) if indicator.denominator else None
    )
    value = FORMULAS[indicator.formula_kind](num, den, baseline_for(indicator))
    return Result(round2(value), num, den, target)


def evaluate_period(indicator: Indicator, period: Period) -> Result:
    start, end = period.bounds()
    return evaluate(indicator, start, end, target_for(indicator, period))
