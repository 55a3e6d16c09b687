"""A year's periods (months, quarters, the year) and the percentile of a histogram: the
arithmetic of figures, apart from where they are read."""

from __future__ import annotations

from collections import Counter

YEAR = ("y",)
Period = tuple


def periods_of(year: int) -> list[Period]:
    return [*(("m", m) for m in range(1, 13)), *(("q", q) for q in range(1, 5)), YEAR]


def months_in(period: Period) -> list[int]:
    if period[0] == "m":
        return [period[1]]
    if period[0] == "q":
        return [3 * period[1] - 2, 3 * period[1] - 1, 3 * period[1]]
    return list(range(1, 13))


def percentile(hist: Counter, share: float) -> float | None:
    n = sum(hist.values())
    if not n:
        return None
    rank, seen = share * n, 0
    for bucket in sorted(hist):
        seen += hist[bucket]
        if seen >= rank:
            return float(bucket)
    return float(max(hist))
