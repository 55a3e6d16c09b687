"""What a branch's past is made of (:mod:`duo.consumers.demo.past` draws it): the sizes
of the branches, the shares the draws aim at (the organisation's published figures, from
the seeds), and the rows it writes, table by table."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from duo.duos.models import Duo, DuoCheckIn, DuoStateChange
from duo.evaluation.models import EvaluationAnswer, Outcome, OutcomeAsk
from duo.people.models import Person, Profile, StateChange

#: Duos started in a full year, and the month the branch opened (the demo's past begins in
#: 2019 at the earliest). A branch not listed (onboarded later) gets a small default.
SIZES: dict[str, tuple[int, date]] = {
    "brussels": (95, date(2019, 1, 1)),
    "liege": (42, date(2019, 1, 1)),
    "antwerp": (38, date(2019, 1, 1)),
    "ghent": (30, date(2019, 1, 1)),
    "mechelen": (16, date(2020, 3, 1)),
    "paris": (62, date(2019, 1, 1)),
    "lille": (30, date(2019, 9, 1)),
    "marseille": (26, date(2020, 1, 1)),
    "lyon": (24, date(2021, 1, 1)),
    "rotterdam": (50, date(2021, 9, 1)),
}
DEFAULT_SIZE = 18

#: Shares the draws aim at (from the seeds' published figures).
DECLINED_AT_FIRST_MEETING = 0.04
STOPPED_BEFORE_AGREEMENT = 0.03
REACH_SIX_MONTHS = 0.89
MENTOR_AGAIN = 0.8
LOST_TO_FOLLOW_UP = 0.08
#: Of the mentees with a known outcome: a job, else an internship or a training.
JOB, INTERNSHIP_OR_TRAINING = 0.52, 0.20
#: Survey items: the share agreeing (agree questions) or saying yes.
AGREEMENT = {
    "autonomy": 0.90,
    "career_plan": 0.68,
    "network": 0.77,
    "self_confidence": 0.90,
    "codes": 0.65,
    "find_opportunities": 0.85,
    "seize_opportunities": 0.85,
    "expectations_met": 0.86,
    "objectives_reached": 0.72,
    "coaching_skills": 0.84,
    "professional_development": 0.61,
    "useful_to_society": 0.96,
    "mentor_again": 0.90,
    "keeps_in_touch": 0.80,
}
#: How much of a year's size each calendar year saw (2020: the pandemic).
YEAR_FACTOR = {2019: 0.85, 2020: 0.65, 2021: 0.85, 2022: 0.95, 2023: 1.0, 2024: 1.05, 2025: 1.1}
FOLLOW_UP_POINTS = (0, 3, 6, 12)
MENTOR_FIRST_NAMES = (
    "Anne", "Marc", "Sophie", "Luc", "Hilde", "Pierre", "Greet", "Jean", "Martine", "Koen",
    "Isabelle", "Dirk", "Françoise", "Henk", "Monique", "Philippe",
)  # fmt: skip
MENTOR_LAST_NAMES = (
    "Dubois", "Peeters", "Janssens", "Martin", "Maes", "Lambert", "Willems", "Leroy",
    "De Smet", "Claes", "Bernard", "Visser", "Jacobs", "Moreau",
)  # fmt: skip


def at(day: date, rng: random.Random) -> datetime:
    """A moment on ``day`` during office hours (UTC, near enough to the branch's day)."""
    return datetime.combine(day, time(8 + rng.randint(0, 8), rng.randint(0, 59)), tzinfo=UTC)


@dataclass
class Rows:
    """What one branch's past writes, table by table."""

    people: list[dict] = field(default_factory=list)
    profiles: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    duos: list[dict] = field(default_factory=list)
    duo_changes: list[dict] = field(default_factory=list)
    check_ins: list[dict] = field(default_factory=list)
    asks: list[dict] = field(default_factory=list)
    outcomes: list[dict] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)

    def tables(self) -> Iterator[tuple[Any, list[dict]]]:
        yield Person, self.people
        yield Profile, self.profiles
        yield StateChange, self.changes
        yield Duo, self.duos
        yield DuoStateChange, self.duo_changes
        yield DuoCheckIn, self.check_ins
        yield OutcomeAsk, self.asks
        yield Outcome, self.outcomes
        yield EvaluationAnswer, self.answers

    @property
    def count(self) -> int:
        return sum(len(rows) for _model, rows in self.tables())


@dataclass
class Mentor:
    id: uuid.UUID
    free_from: date
    state_at: datetime
