"""One branch's story, played through the platform's own functions in the order it happened.

The cast (:mod:`duo.consumers.demo.cast`) says who takes part; this module says *when* and *how*,
and does every step with the function a coordinator's click or a candidate's sign-up would
call: :func:`duo.sessions.signup.sign_up`, :func:`duo.sessions.domain.record_attendance`,
:func:`duo.intake.interview.record_intake` (which lets the branch's eligibility rules decide),
:func:`duo.eligibility.decisions.override`, the training's ``create_cycle`` / ``enrol`` /
``record_attendance`` (which make mentors *trained*), the matching session's
``start_session`` / ``run_session`` / ``accept`` and the duo's
:func:`duo.duos.lifecycle.transition`. No state or timestamp is written by hand: the steps
run on the story's clock (:func:`duo.core.clock.frozen`), so the domain's own checks ("this
session has already taken place", "attendance can be recorded from the day of the session
on") hold at every step, and the history reads as it would have.

The timeline, counted back from the branch's today (D), days moved off weekends, holidays
and closing days for information sessions:

==========================  =========================================================
two years ago               information session, training cycle, matching session
                            (D-580); the duo runs six months, is *evaluated*, and its
                            mentee tells their situation at the end, 3, 6 and 12
                            months after
last year                   information session, training cycle, matching session
                            (D-230); the duo signs its agreement, runs six months and
                            ends a month ago: *evaluation to do*; another (D-225) is
                            *stopped* after two months (the mentee found a job)
this year's training        information session, intakes, a training cycle that ends
                            around D-42: mentors *trained*
D-40, D-33, D-12            sessions for mentees, for mentors, for both: mentees become
                            eligible (waiting since 10, 5, 1 weeks), mentors in training
D-30                        matching session: a duo that is now *active*
D-25, D-20, D-16            matching sessions: a duo *declined* by the mentor after its
                            first meeting; one *confirmed* (the mentor's signature to
                            come); one whose first meeting was held (a decision pending)
D-24 on                     the current training cycle: the sessions held are recorded
                            (one mentor missed one) except the last, the rest to come
D-3                         a session for mentees, attendance not recorded yet; a
                            matching session proposes a duo (*first meeting to plan*)
D+8, D+12, D+19             the upcoming sessions (:func:`duo.sessions.demo.seed_sessions`)
                            with their first registrations
==========================  =========================================================
"""

from __future__ import annotations

import random
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from duo.consumers.demo import data, parts
from duo.consumers.demo.chapters.duos import DECLINED, DuosChapter
from duo.consumers.demo.chapters.intake import IntakeChapter
from duo.consumers.demo.chapters.sessions import SessionPlan, SessionsChapter
from duo.consumers.demo.chapters.training import TrainingChapter
from duo.consumers.demo.parts import CYCLE_OF_PART, DUO_PROPOSED_SESSIONS, SESSION_OF_PART
from duo.consumers.demo.personas import Branch, Persona
from duo.core import clock as platform_clock
from duo.core.db import db, utcnow
from duo.core.tenancy.models import Tenant
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.people.models import MENTOR, Person
from duo.sessions.demo import seed_sessions
from duo.sessions.models import FOR_BOTH, FOR_MENTEES, FOR_MENTORS, InfoSession, Registration
from duo.training import planning
from duo.training.models import TrainingCycle


@dataclass
class BranchStory(SessionsChapter, IntakeChapter, TrainingChapter, DuosChapter):
    """Plays one branch's story; :meth:`play` is the only entry point.

    The steps live in the chapters it is made of (:mod:`duo.consumers.demo.chapters`);
    here: the story's state, its clock helpers, the plan and the play.
    """

    tenant: Tenant
    coordinator: Any
    cast: list[Persona]
    seed_value: int
    now: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.tenant.timezone)
        self.today = self.now.astimezone(self.zone).date()
        self.branch = Branch.of(self.tenant)
        self.language = self.branch.language
        self.rng = random.Random(self.seed_value + zlib.crc32(self.tenant.slug.encode()))
        self.config = self.tenant.config or {}
        self.venue = data.VENUES.get(self.tenant.slug) or self.tenant.display_name(self.language)
        self.events: list[tuple[datetime, int, Callable[[], None]]] = []
        self.people: dict[int, Person] = {}
        self.registrations: dict[int, Registration] = {}
        self.info_sessions: dict[str, InfoSession] = {}
        self.cycles: dict[str, TrainingCycle] = {}
        self.duos: dict[str, Duo] = {}
        self.intake_at: dict[int, datetime] = {}

    # ----------------------------------------------------------------- time

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def moment(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.zone).astimezone(ZoneInfo("UTC"))

    def workday(self, day: date) -> date:
        """The day, or the closest working day before it (no weekend, holiday, closing)."""
        for _step in range(14):
            if day.weekday() < 5 and not planning.day_notes(self.tenant, day, self.language):
                return day
            day -= timedelta(days=1)
        return day

    def at(self, when: datetime, action: Callable[[], None]) -> None:
        latest = self.now - timedelta(minutes=5)
        self.events.append((min(when, latest), len(self.events), action))

    # ----------------------------------------------------------------- plan

    def session_key(self, persona: Persona) -> str | None:
        if persona.part == parts.DUO_PROPOSED:
            return DUO_PROPOSED_SESSIONS[persona.role]
        return SESSION_OF_PART.get(persona.part)

    def cycle_key(self, persona: Persona) -> str | None:
        if persona.role != MENTOR:
            return None
        return CYCLE_OF_PART.get(persona.part)

    def plan(self) -> None:
        used_sessions = {self.session_key(p) for p in self.cast} - {None}
        used_cycles = {self.cycle_key(p) for p in self.cast} - {None}
        has_modules = bool(self.modules())
        cycle_starts = {
            "older": self.cycle_ending_by(self.day(-600)),
            "last_year": self.cycle_ending_by(self.day(-240)),
            "cohort": self.cycle_ending_by(self.day(-42)),
            "current": self.day(-24),
        }
        locales = self.branch.locales
        second = locales[1] if len(locales) > 1 else locales[0]
        plans = [
            SessionPlan(
                "older",
                self.workday(cycle_starts["older"] - timedelta(days=16)),
                time(18, 30),
                FOR_BOTH,
                locales[0],
                20,
            ),
            SessionPlan(
                "last_year",
                self.workday(cycle_starts["last_year"] - timedelta(days=16)),
                time(18, 30),
                FOR_BOTH,
                locales[0],
                20,
            ),
            SessionPlan(
                "cohort",
                self.workday(cycle_starts["cohort"] - timedelta(days=16)),
                time(18, 30),
                FOR_BOTH,
                locales[0],
                25,
            ),
            SessionPlan(
                "mentees", self.workday(self.day(-40)), time(14, 0), FOR_MENTEES, second, 15
            ),
            SessionPlan(
                "mentors", self.workday(self.day(-33)), time(18, 30), FOR_MENTORS, locales[0], 15
            ),
            SessionPlan(
                "recent", self.workday(self.day(-12)), time(10, 0), FOR_BOTH, locales[0], 20
            ),
            SessionPlan(
                "last", self.workday(self.day(-3)), time(14, 0), FOR_MENTEES, locales[0], 15, False
            ),
        ]
        sessions_by_key = {p.key: p for p in plans if p.key in used_sessions}
        expected = Counter(self.session_key(p) for p in self.cast)
        for plan in sessions_by_key.values():
            self.plan_info_session(plan, seats=max(plan.capacity, expected[plan.key] + 2))

        for persona in self.cast:
            key = self.session_key(persona)
            if key is None:
                self.plan_upcoming_signup(persona)
            else:
                self.plan_candidate(persona, sessions_by_key[key])

        if has_modules:
            for key in ("older", "last_year", "cohort", "current"):
                if key in used_cycles:
                    self.plan_cycle(key, cycle_starts[key])

        self.plan_duo(parts.DUO_EVALUATED, self.day(-580), until=duo_states.EVALUATED)
        self.plan_duo(parts.DUO_ENDED, self.day(-230), until=duo_states.ENDED)
        self.plan_duo(parts.DUO_STOPPED, self.day(-225), until=duo_states.STOPPED)
        self.plan_duo(parts.DUO_ACTIVE, self.day(-30), until=duo_states.ACTIVE)
        self.plan_duo(parts.DUO_DECLINED, self.day(-25), until=DECLINED)
        self.plan_duo(parts.DUO_CONFIRMED, self.day(-20), until=duo_states.CONFIRMED)
        self.plan_duo(parts.DUO_MEETING, self.day(-16), until=duo_states.FIRST_MEETING)
        self.plan_duo(parts.DUO_PROPOSED, self.day(-3), until=duo_states.PROPOSED)

    def person(self, persona: Persona) -> Person | None:
        return self.people.get(persona.number)

    # ----------------------------------------------------------------- play

    def play(self) -> None:
        """Plan, then run every step in time order on the story's clock; flush at the end."""
        seed_sessions(self.tenant, now=self.now)
        self.plan()
        self.events.sort(key=lambda event: (event[0], event[1]))
        if not self.events:
            return
        with platform_clock.frozen(self.events[0][0]) as clock:
            for when, _seq, action in self.events:
                clock.set(when)
                action()
        db.session.flush()


def existing_people() -> bool:
    """Whether the current branch already has anyone (the demo then leaves it alone)."""
    return db.session.execute(select(Person.id).limit(1)).first() is not None
