"""Interval estimates at 95 % confidence, shared by the surveys (proportions) and the
audience pages (mean engagement of a group of posts). One place for the formulas.

Proportions use the Wilson score interval (good with small n and with p near 0 or 1,
unlike the normal approximation). A mean of a few observations uses Student's t:
with five posts the normal quantile would understate the interval by a third."""

import math
from collections.abc import Sequence

Z95 = 1.959963984540054
# Two-sided 95 % quantiles of Student's t by degrees of freedom (1–30); beyond, Z95.
T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for successes/n, as proportions in [0, 1]."""
    if n <= 0:
        return (0.0, 0.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def mean_interval(values: Sequence[float]) -> tuple[float, float, float] | None:
    """(mean, low, high) of the mean of `values` at 95 % (Student's t); None with fewer
    than two values, where no interval can be estimated."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    quantile = T95[n - 2] if n - 1 <= len(T95) else Z95
    half = quantile * math.sqrt(variance / n)
    return mean, mean - half, mean + half
