"""Years of a large municipality's data: the builder lives in pregon/core/scale.py and
`pregon demo --scale 10` runs it on top of the demo; this name stays for the
benchmarks and the query-budget tests."""

from pregon.core.scale import Sizes, build

__all__ = ["Sizes", "build"]
