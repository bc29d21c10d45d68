"""The plan's followers baseline, as the goals side keeps it (goals migration 0002:
one explicit figure with its date and the accounts it covers, summed). Goals is above
analytics, so it hands the baseline over through `register` (GoalsConfig.ready);
analytics compares the covered accounts' sum with it, never each account with it.
Each account on its own is compared with its own first figure of the period."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pregon.analytics import definitions as d


@dataclass(frozen=True)
class PlanBaseline:
    followers: int
    since: date | None
    scope: str  # «las cuentas del Ayuntamiento», «todas las cuentas», «la cuenta X»
    account_ids: frozenset[int]

    @property
    def key(self) -> str:
        """What the cached figures depend on."""
        ids = ",".join(str(i) for i in sorted(self.account_ids))
        return f"{self.followers}:{self.since}:{ids}"

    def growth(self, followers: int) -> float | None:
        return d.growth_rate(followers, self.followers)


_providers: list[Callable[[], PlanBaseline | None]] = []


def register(provider: Callable[[], PlanBaseline | None]) -> None:
    """Goals registers the function that reads the current plan's baseline."""
    if provider not in _providers:
        _providers.append(provider)


def plan_baseline() -> PlanBaseline | None:
    for provider in _providers:
        found = provider()
        if found is not None:
            return found
    return None
