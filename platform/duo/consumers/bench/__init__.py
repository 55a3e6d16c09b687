"""Benchmarks: the figures that show duo is fast enough (`make bench`).

Speed is shown here, not asserted in tests: timings on a shared CI machine are noise, a
benchmark run is a measurement someone reads.

A *figure* is a function registered with :func:`figure` that measures one thing and returns
a :class:`Measurement` (or a bare number). Every figure has:

``value``
    the measurement, in ``unit`` (for times: the best of N runs with ``time.perf_counter``,
    because the minimum is the run least disturbed by the rest of the machine).
``baseline``
    a reference for the same figure in the same unit, or ``None``; each figure's docstring
    says what its baseline is (for matching: the naive pure-Python way of doing the work).
``ratio``
    ``value / baseline``: below 1 means the figure beats its baseline (0.01 = 100x faster).
``goal``
    the bound the value must meet, written as ``"< 2"``, ``"<= 2"``, ``"> 10"`` or ``">= 10"``
    in ``unit``; ``pass`` says whether it does (``None`` when there is no goal).

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
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Figure",
    "Measurement",
    "Result",
    "best_of",
    "discover",
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


@dataclass(frozen=True)
class Figure:
    """A registered benchmark figure."""

    name: str
    unit: str
    goal: str | None
    func: Callable[[], Measurement | float]

    def check(self, value: float) -> bool | None:
        """Whether ``value`` meets the goal; ``None`` without a goal."""
        if self.goal is None:
            return None
        op, bound = parse_goal(self.goal)
        return _OPERATORS[op](value, bound)


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

    def as_json(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "value": _round(self.value),
            "unit": self.unit,
            "baseline": None if self.baseline is None else _round(self.baseline),
            "ratio": None if self.ratio is None else _round(self.ratio),
            "goal": self.goal,
            "pass": self.passed,
        }


_REGISTRY: dict[str, Figure] = {}


def parse_goal(goal: str) -> tuple[str, float]:
    """Split ``"< 2"`` into ``("<", 2.0)``; raise ValueError on anything else."""
    text = goal.strip()
    for op in ("<=", ">=", "<", ">"):
        if text.startswith(op):
            return op, float(text[len(op) :].strip())
    raise ValueError(f"goal must look like '< 2', '<= 2', '> 2' or '>= 2', got {goal!r}")


def figure(name: str, unit: str, goal: str | None = None) -> Callable[[Callable], Callable]:
    """Register the decorated function as the figure ``name`` (names are unique)."""
    if goal is not None:
        op, bound = parse_goal(goal)
        goal = f"{op} {bound:g}"

    def register(func: Callable[[], Measurement | float]) -> Callable[[], Measurement | float]:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.func is not func:
            same = (existing.func.__module__, existing.func.__qualname__) == (
                func.__module__,
                func.__qualname__,
            )
            if not same:
                raise ValueError(f"benchmark figure {name!r} is registered twice")
        _REGISTRY[name] = Figure(name, unit, goal, func)
        return func

    return register


def registry() -> dict[str, Figure]:
    """The registered figures, by name, in registration order."""
    return dict(_REGISTRY)


def best_of(func: Callable[[], Any], repeat: int = 5, warmup: int = 1) -> float:
    """Best wall-clock time of ``repeat`` calls, in seconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        func()
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def discover() -> None:
    """Import every figure module of this package (``duo.consumers.bench.*``)."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


def run(names: Iterable[str] | None = None, *, match: str | None = None) -> list[Result]:
    """Run the chosen figures (all by default) and return their results in order."""
    chosen = list(_REGISTRY.values())
    if names is not None:
        wanted = set(names)
        chosen = [f for f in chosen if f.name in wanted]
    if match:
        chosen = [f for f in chosen if match.lower() in f.name.lower()]
    results = []
    for fig in chosen:
        outcome = fig.func()
        measured = outcome if isinstance(outcome, Measurement) else Measurement(float(outcome))
        value = float(measured.value)
        baseline = None if measured.baseline is None else float(measured.baseline)
        ratio = value / baseline if baseline else None
        results.append(
            Result(fig.name, value, fig.unit, baseline, ratio, fig.goal, fig.check(value))
        )
    return results


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
    """A plain-text table: figure, value, unit, baseline, ratio, goal, pass."""
    header = ("figure", "value", "unit", "baseline", "ratio", "goal", "pass")
    rows = [
        tuple(_cell(v) for v in (r.figure, r.value, r.unit, r.baseline, r.ratio, r.goal, r.passed))
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
