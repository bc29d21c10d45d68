"""Interval estimates for survey results, 95 % confidence.

Proportions use the Wilson score interval (good with small n and with p near 0
or 1, unlike the normal approximation). NPS is a difference of two multinomial
proportions: var(p̂₁ − p̂₂) = (p₁ + p₂ − (p₁ − p₂)²) / n, normal approximation."""

import math

from pregon.core.stats import Z95, wilson

__all__ = ["METHOD", "Z95", "csat", "nps", "proportion", "wilson"]

METHOD = (
    "Intervalos de confianza al 95 %: puntuación de Wilson para proporciones "
    "(incluido CSAT); para NPS, aproximación normal con la varianza de la diferencia "
    "de dos proporciones multinomiales, (p₉₋₁₀ + p₀₋₆ − (p₉₋₁₀ − p₀₋₆)²) / n."
)


def proportion(successes: int, n: int) -> dict:
    """Count, percentage and Wilson interval (percentages) of successes/n."""
    low, high = wilson(successes, n)
    return {
        "count": successes,
        "n": n,
        "percent": 100 * successes / n if n else 0.0,
        "ci_low": 100 * low,
        "ci_high": 100 * high,
    }


def csat(scores: list[int]) -> dict:
    """CSAT = share of 4 and 5 on a 1–5 scale, with its Wilson interval."""
    satisfied = sum(1 for s in scores if s >= 4)
    result = proportion(satisfied, len(scores))
    return {"score": result["percent"], **result}


def nps(scores: list[int], z: float = Z95) -> dict:
    """NPS = % promoters (9–10) − % detractors (0–6), interval in NPS points."""
    n = len(scores)
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    if n == 0:
        return {
            "n": 0,
            "score": 0.0,
            "promoters": 0,
            "passives": 0,
            "detractors": 0,
            "ci_low": 0.0,
            "ci_high": 0.0,
        }
    p_p, p_d = promoters / n, detractors / n
    variance = (p_p + p_d - (p_p - p_d) ** 2) / n
    half = z * math.sqrt(max(variance, 0.0))
    return {
        "n": n,
        "score": 100 * (p_p - p_d),
        "promoters": promoters,
        "passives": n - promoters - detractors,
        "detractors": detractors,
        "ci_low": max(-100.0, 100 * (p_p - p_d - half)),
        "ci_high": min(100.0, 100 * (p_p - p_d + half)),
    }
