"""Benchmarks: the figures that show duo is fast enough (`make bench`).

Speed is shown here, not asserted in tests: timings on a shared CI machine are noise, a
benchmark run is a measurement someone reads.

A *figure* is a function registered with :func:`figure` that measures one thing and returns
a :class:`Measurement` (or a bare number). Every figure has:

``value``
    the measurement, in ``unit``: for times, the *median* of N runs (``p95`` beside it), not
    the best run: the best run hides the cost a coordinator meets on an ordinary request.
``baseline``
    the same work done the plainest way, measured **in the same run, interleaved** with the
    figure (A B A B ...: :func:`interleaved`), so that whatever else the machine is doing
    weighs on both alike. Each figure's docstring says what its baseline is (matching:
    scipy's solver alone on the same matrix; pages: a bare Flask route rendering a template
    of the same size).
``ratio``
    ``value / baseline``: below 1 means the figure beats its baseline.
``goal`` / ``ratio_goal``
    bounds written as ``"< 2"``, ``"<= 2"``, ``"> 10"`` or ``">= 10"``, on the value (in
    ``unit``) and on the ratio; ``pass`` says whether both hold (``None`` without a goal).
    A figure that raises is reported as failed with its error, and the run goes on.

Figures are found by importing every module of this package (a consumer: capabilities never
import it). Adding a figure is therefore: write a function, decorate it, put it in a module
here.
"""

from __future__ import annotations

import importlib
import json
import math
import operator
import pkgutil
import statistics
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Figure",
    "Measurement",
    "Result",
    "Skipped",
    "Stats",
    "discover",
    "interleaved",
    "figure",
    "format_table",
    "registry",
    "run",
    "write_json",
]

_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class Measurement:
    """What a figure function returns: its value and, optionally, its baseline."""

    value: float
    baseline: float | None = None
    p95: float | None = None
    baseline_p95: float | None = None
    note: str | None = None

    @classmethod
    def in_ms(cls, ours: Stats, baseline: Stats, note: str | None = None) -> Measurement:
        """Timings of ours against its baseline, in milliseconds."""
        return cls(
            ours.median * 1000,
            baseline.median * 1000,
            p95=ours.p95 * 1000,
            baseline_p95=baseline.p95 * 1000,
            note=note,
        )


class Skipped(Exception):
    """Raised by a figure that cannot run here (e.g. PostgreSQL only): shown, not failed."""


@dataclass(frozen=True)
class Stats:
    """Median and 95th percentile of repeated timings (seconds)."""

    median: float
    p95: float
    samples: tuple[float, ...]

    @classmethod
    def of(cls, samples: Iterable[float]) -> Stats:
        values = tuple(samples)
        ordered = sorted(values)
        rank = max(0, math.ceil(0.95 * len(ordered)) - 1)
        return cls(statistics.median(ordered), ordered[rank], values)

    def scaled(self, factor: float) -> Stats:
        return Stats(
            self.median * factor, self.p95 * factor, tuple(v * factor for v in self.samples)
        )


def interleaved(
    work: Callable[[], Any], baseline: Callable[[], Any], *, rounds: int = 15, warmup: int = 2
) -> tuple[Stats, Stats]:
    """Time ``work`` and ``baseline`` alternately (A B A B ...), after untimed warm-ups.

    Alternating, rather than N of one then N of the other, is what makes the ratio honest on
    a shared machine: a burst of load from elsewhere slows both sides of the same round.
    """
    for _ in range(warmup):
        work()
        baseline()
    a: list[float] = []
    b: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        a.append(time.perf_counter() - start)
        start = time.perf_counter()
        baseline()
        b.append(time.perf_counter() - start)
    return Stats.of(a), Stats.of(b)


@dataclass(frozen=True)
class Figure:
    """A registered benchmark figure."""

    name: str
    unit: str
    goal: str | None
    func: Callable[[], Measurement | float]
    ratio_goal: str | None = None

    def check(self, value: float, ratio: float | None = None) -> bool | None:
        """Whether ``value`` (and ``ratio``) meet the goals; ``None`` without a goal."""
        verdicts = []
        if self.goal is not None:
            op, bound = parse_goal(self.goal)
            verdicts.append(_OPERATORS[op](value, bound))
        if self.ratio_goal is not None:
            op, bound = parse_goal(self.ratio_goal)
            verdicts.append(ratio is not None and _OPERATORS[op](ratio, bound))
        return all(verdicts) if verdicts else None


@dataclass(frozen=True)
class Result:
    """One row of the table and of ``bench.json``."""

    figure: str
    value: float
    unit: str
    baseline: float | None
    ratio: float | None
    goal: str | None
    passed: bool | None
    p95: float | None = None
    baseline_p95: float | None = None
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "value": _round(self.value),
            "unit": self.unit,
            "baseline": None if self.baseline is None else _round(self.baseline),
            "ratio": None if self.ratio is None else _round(self.ratio),
            "goal": self.goal,
            "pass": self.passed,
            "p95": None if self.p95 is None else _round(self.p95),
            "baseline_p95": None if self.baseline_p95 is None else _round(self.baseline_p95),
            "note": self.note,
        }


_REGISTRY: dict[str, Figure] = {}


def parse_goal(goal: str) -> tuple[str, float]:
    """Split ``"< 2"`` into ``("<", 2.0)``; raise ValueError on anything else."""
    text = goal.strip()
    for op in ("<=", ">=", "<", ">"):
        if text.startswith(op):
            return op, float(text[len(op) :].strip())
    raise ValueError(f"goal must look like '< 2', '<= 2', '> 2' or '>= 2', got {goal!r}")


def _normal_goal(goal: str | None) -> str | None:
    if goal is None:
        return None
    op, bound = parse_goal(goal)
    return f"{op} {bound:g}"


def figure(
    name: str, unit: str, goal: str | None = None, *, ratio_goal: str | None = None
) -> Callable[[Callable], Callable]:
    """Register the decorated function as the figure ``name`` (names are unique)."""
    goal = _normal_goal(goal)
    ratio_goal = _normal_goal(ratio_goal)

    def register(func: Callable[[], Measurement | float]) -> Callable[[], Measurement | float]:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.func is not func:
            same = (existing.func.__module__, existing.func.__qualname__) == (
                func.__module__,
                func.__qualname__,
            )
            if not same:
                raise ValueError(f"benchmark figure {name!r} is registered twice")
        _REGISTRY[name] = Figure(name, unit, goal, func, ratio_goal)
        return func

    return register


def registry() -> dict[str, Figure]:
    """The registered figures, by name, in registration order."""
    return dict(_REGISTRY)


def discover() -> None:
    """Import every figure module of this package (``duo.consumers.bench.*``)."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


#: The whole run's goal, in minutes: a bench someone waits for is a bench that gets run.
RUN_GOAL = "< 10"


def run(names: Iterable[str] | None = None, *, match: str | None = None) -> list[Result]:
    """Run the chosen figures (all by default) and return their results in order; a run
    of them all ends with a row of its own whole time."""
    chosen = list(_REGISTRY.values())
    if names is not None:
        wanted = set(names)
        chosen = [f for f in chosen if f.name in wanted]
    if match:
        chosen = [f for f in chosen if match.lower() in f.name.lower()]
    started = time.monotonic()
    results = [measure(fig) for fig in chosen]
    if names is None and not match:
        results.append(run_time(time.monotonic() - started, len(chosen)))
    return results


def run_time(seconds: float, figures: int) -> Result:
    """The row of the whole run: its time in minutes, seeding included, against
    :data:`RUN_GOAL`."""
    minutes = seconds / 60
    fig = Figure("bench run: whole time", "min", RUN_GOAL, lambda: minutes)
    return Result(
        fig.name,
        round(minutes, 2),
        fig.unit,
        None,
        None,
        _goals(fig),
        fig.check(minutes, None),
        note=f"{figures} figures, their data seeded in the run",
    )


def measure(fig: Figure) -> Result:
    """Run one figure; an error becomes a failed row with its message, not a crashed run."""
    try:
        outcome = fig.func()
    except Skipped as exc:
        note = f"skipped: {exc}"
        return Result(fig.name, math.nan, fig.unit, None, None, _goals(fig), None, note=note)
    except Exception as exc:  # a benchmark reports what broke and goes on to the next figure
        traceback.print_exc()
        note = f"error: {type(exc).__name__}: {exc}"[:200]
        return Result(fig.name, math.nan, fig.unit, None, None, _goals(fig), False, note=note)
    measured = outcome if isinstance(outcome, Measurement) else Measurement(float(outcome))
    value = float(measured.value)
    baseline = None if measured.baseline is None else float(measured.baseline)
    ratio = value / baseline if baseline else None
    return Result(
        fig.name,
        value,
        fig.unit,
        baseline,
        ratio,
        _goals(fig),
        fig.check(value, ratio),
        p95=measured.p95,
        baseline_p95=measured.baseline_p95,
        note=measured.note,
    )


def _goals(fig: Figure) -> str | None:
    parts = [fig.goal or "", f"ratio {fig.ratio_goal}" if fig.ratio_goal else ""]
    text = ", ".join(p for p in parts if p)
    return text or None


def _round(value: float) -> float:
    return float(f"{value:.6g}")


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def format_table(results: Iterable[Result]) -> str:
    """A plain-text table: figure, median, p95, unit, baseline, ratio, goal, pass, note."""
    header = ("figure", "median", "p95", "unit", "baseline", "ratio", "goal", "pass", "note")
    rows = [
        tuple(
            _cell(v)
            for v in (
                r.figure,
                r.value,
                r.p95,
                r.unit,
                r.baseline,
                r.ratio,
                r.goal,
                r.passed,
                r.note or "",
            )
        )
        for r in results
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )
    return "\n".join(lines)


def write_json(results: Iterable[Result], path: str | Path) -> Path:
    """Write the results as a JSON list to ``path``, creating its folder if missing."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = [r.as_json() for r in results]
    target.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return target
