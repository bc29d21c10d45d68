"""The answer every compliance rule gives: one `Verdict`, combinable with `combine`."""

from dataclasses import dataclass, field
from datetime import date

OK = "ok"
FLAG = "flag"
BLOCK = "block"
_RANK = {OK: 0, FLAG: 1, BLOCK: 2}


@dataclass(frozen=True)
class Match:
    """A public servant named in a text: `text[start:end] == matched_text`."""

    servant_id: int
    servant_name: str
    servant_title: str
    matched_text: str
    start: int
    end: int


@dataclass(frozen=True)
class Verdict:
    """allowed is False only for severity "block"; a "flag" is allowed but must be
    looked at by a person at review. `rules` holds one code per message."""

    severity: str = OK
    messages: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()  # names of the electoral periods involved
    until: date | None = None  # first day the item may go out
    exemption_reason: str = ""
    matches: tuple[Match, ...] = field(default=())
    levels: tuple[str, ...] = ()  # the severity of each message, same order

    def entries(self) -> list[tuple[str, str, str]]:
        """(rule, severity, message) for each message this verdict carries."""
        levels = self.levels or (self.severity,) * len(self.messages)
        return list(zip(self.rules, levels, self.messages, strict=False))

    @property
    def allowed(self) -> bool:
        return self.severity != BLOCK

    @property
    def blocked(self) -> bool:
        return self.severity == BLOCK

    @property
    def flagged(self) -> bool:
        return self.severity == FLAG

    @property
    def message(self) -> str:
        return " ".join(self.messages)

    def as_dict(self) -> dict:
        return {
            "allowed": self.allowed,
            "severity": self.severity,
            "messages": list(self.messages),
            "rules": list(self.rules),
            "periods": list(self.periods),
            "until": self.until.isoformat() if self.until else None,
            "exemption_reason": self.exemption_reason,
            "matches": [
                {
                    "servant": m.servant_name,
                    "title": m.servant_title,
                    "matched_text": m.matched_text,
                    "start": m.start,
                    "end": m.end,
                }
                for m in self.matches
            ],
        }


def ok(message: str = "", rule: str = "", **extra) -> Verdict:
    if not message:
        return Verdict(OK, **extra)
    return Verdict(OK, (message,), (rule,), levels=(OK,), **extra)


def flag(message: str, rule: str, **extra) -> Verdict:
    return Verdict(FLAG, (message,), (rule,), levels=(FLAG,), **extra)


def block(message: str, rule: str, **extra) -> Verdict:
    return Verdict(BLOCK, (message,), (rule,), levels=(BLOCK,), **extra)


def combine(*verdicts: Verdict) -> Verdict:
    """The worst severity wins; messages, rules, periods and matches add up; the
    latest `until` is the day every blocking rule has lifted."""
    if not verdicts:
        return Verdict()
    untils = [v.until for v in verdicts if v.until]
    return Verdict(
        severity=max((v.severity for v in verdicts), key=_RANK.__getitem__),
        messages=tuple(m for v in verdicts for m in v.messages),
        rules=tuple(r for v in verdicts for r in v.rules),
        periods=tuple(dict.fromkeys(p for v in verdicts for p in v.periods)),
        until=max(untils) if untils else None,
        exemption_reason=" ".join(v.exemption_reason for v in verdicts if v.exemption_reason),
        matches=tuple(m for v in verdicts for m in v.matches),
        levels=tuple(level for v in verdicts for _, level, _ in v.entries()),
    )
