"""The shapes reporting counts with: a branch's :class:`Tally` of cells keyed by month,
measure, dimension, category and bucket, and the facts read about each person and duo
(:mod:`duo.reporting.facts` fills them, :mod:`duo.reporting.followup_facts` too).

A refresh counts a couple of hundred thousand events, each into the all-people row and
into one row per dimension of the person: counting every event five times was the largest
part of a refresh. The tally therefore counts each event once, under the person's whole
set of dimensions, and spreads those (far fewer) sums over the dimension rows at the end.
Most events are a plain count (:meth:`Tally.count`), kept apart from the sums of a total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from duo.reporting.models import ALL, NO_BUCKET

Key = tuple[date, str, str, str, int]
#: A person's reporting dimensions as ``(dimension, category)`` pairs, in a fixed order.
Dims = tuple[tuple[str, str], ...]


def month_of(day: date) -> date:
    return day.replace(day=1)


def dims_of(**categories: str) -> Dims:
    """Dimensions written as keywords: ``dims_of(reason="declined")``."""
    return tuple(categories.items())


@dataclass
class Tally:
    """Counts and sums being collected for one branch."""

    events: dict[tuple[date, str, Dims, int], list[float]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0.0])
    )
    counts: dict[tuple[date, str, Dims], int] = field(default_factory=lambda: defaultdict(int))
    snapshots: dict[Key, list[float]] = field(default_factory=dict)
    _months: dict[date, date] = field(default_factory=dict)

    def add(
        self,
        day: date,
        measure: str,
        dims: Dims = (),
        *,
        count: int = 1,
        total: float = 0.0,
        bucket: int = NO_BUCKET,
    ) -> None:
        """Count into the all-people row and into each of the person's dimension rows."""
        month = self._months.get(day)
        if month is None:
            month = self._months[day] = month_of(day)
        cell = self.events[(month, measure, dims, bucket)]
        cell[0] += count
        cell[1] += total

    def count(self, day: date, measure: str, dims: Dims = ()) -> None:
        """One event, counted like :meth:`add` with no total and no bucket."""
        month = self._months.get(day)
        if month is None:
            month = self._months[day] = month_of(day)
        self.counts[(month, measure, dims)] += 1

    def set(self, day: date, measure: str, count: int) -> None:
        """A snapshot (active duos at the end of a month): one value, not a sum of events."""
        self.snapshots[(month_of(day), measure, ALL, ALL, NO_BUCKET)] = [count, 0.0]

    def cells(self) -> dict[Key, list[float]]:
        """Every row: each event sum counted into the all-people row and its dimension rows."""
        cells: dict[Key, list[float]] = defaultdict(lambda: [0, 0.0])
        for (month, measure, dims), count in self.counts.items():
            for dimension, category in ((ALL, ALL), *dims):
                cells[(month, measure, dimension, category, NO_BUCKET)][0] += count
        for (month, measure, dims, bucket), (count, total) in self.events.items():
            for dimension, category in ((ALL, ALL), *dims):
                cell = cells[(month, measure, dimension, category, bucket)]
                cell[0] += count
                cell[1] += total
        cells.update(self.snapshots)
        return cells

    def rows(self) -> list[tuple[date, str, str, str, int, int, float]]:
        """Sorted (by month first); counts are whole numbers and totals floats as added."""
        return sorted(
            (*key, count, round(total, 6)) for key, (count, total) in self.cells().items()
        )


@dataclass(slots=True)
class PersonFacts:
    role: str
    dims: Dims
    #: Each funnel stage reached: (when first, as read; its local day).
    first: dict[str, tuple[Any, date]] = field(default_factory=dict)
    #: The counted steps of the person's history in order: (local day, state reached).
    changes: list[tuple[date, str]] = field(default_factory=list)
    #: ``dims`` without the audience: what a duo is counted by (its mentee's dimensions).
    duo_dims: Dims = ()


@dataclass(slots=True)
class DuoFacts:
    """A duo as read for counting; ids and moments as :mod:`duo.reporting.reading` gives them."""

    mentee_id: Any
    mentor_id: Any
    state: str
    proposed_at: Any
    started_at: Any
    ended_at: Any
    declined_by: str | None
    steps: dict[str, Any] = field(default_factory=dict)
    id: Any = None
    #: The mentee's dimensions (``PersonFacts.duo_dims``), filled in once all is read.
    dims: Dims = ()
    #: Branch-local days of the start and of the end of the accompaniment (ended or
    #: stopped after a start), worked out once for the measures that all count by them.
    start_day: date | None = None
    finished_day: date | None = None
