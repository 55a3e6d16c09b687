"""The shapes reporting counts with: a branch's :class:`Tally` of cells keyed by month,
measure, dimension, category and bucket, and the facts read about each person and duo
(:mod:`duo.reporting.facts` fills them, :mod:`duo.reporting.followup_facts` too)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from duo.reporting.models import ALL, NO_BUCKET

Key = tuple[date, str, str, str, int]


def month_of(day: date) -> date:
    return day.replace(day=1)


@dataclass
class Tally:
    """Counts and sums being collected for one branch."""

    cells: dict[Key, list[float]] = field(default_factory=lambda: defaultdict(lambda: [0, 0.0]))

    def add(
        self,
        day: date,
        measure: str,
        dims: dict[str, str] | None = None,
        *,
        count: int = 1,
        total: float = 0.0,
        bucket: int = NO_BUCKET,
    ) -> None:
        """Count into the all-people row and into each of the person's dimension rows."""
        month = month_of(day)
        for dimension, category in [(ALL, ALL), *(dims or {}).items()]:
            cell = self.cells[(month, measure, dimension, category, bucket)]
            cell[0] += count
            cell[1] += total

    def set(self, day: date, measure: str, count: int) -> None:
        """A snapshot (active duos at the end of a month): one value, not a sum of events."""
        self.cells[(month_of(day), measure, ALL, ALL, NO_BUCKET)] = [count, 0.0]

    def rows(self) -> list[tuple[date, str, str, str, int, int, float]]:
        return sorted(
            (*key, int(value[0]), round(float(value[1]), 6)) for key, value in self.cells.items()
        )


@dataclass
class PersonFacts:
    role: str
    dims: dict[str, str]
    first: dict[str, datetime] = field(default_factory=dict)
    changes: list[tuple[datetime, str]] = field(default_factory=list)
    mentee_dims: dict[str, str] | None = None


@dataclass
class DuoFacts:
    mentee_id: uuid.UUID
    mentor_id: uuid.UUID
    state: str
    proposed_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    declined_by: str | None
    steps: dict[str, datetime] = field(default_factory=dict)
    id: uuid.UUID | None = None
