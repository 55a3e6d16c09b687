"""One branch's story, played through the platform's own functions in the order it happened.

The cast (:mod:`duo.consumers.demo.cast`) says who takes part; this module says *when* and *how*,
and does every step with the function a coordinator's click or a candidate's sign-up would
call: :func:`duo.sessions.signup.sign_up`, :func:`duo.sessions.domain.record_attendance`,
:func:`duo.people.intake.record_intake` (which lets the branch's eligibility rules decide),
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
last year                   information session, training cycle, matching session
                            (D-230); the duo signs its agreement, runs six months and
                            ends a month ago: *evaluation to do*
this year's training        information session, intakes, a training cycle that ends
                            around D-42: mentors *trained*
D-40, D-33, D-12            sessions for mentees, for mentors, for both: mentees become
                            eligible (waiting since 10, 5, 1 weeks), mentors in training
D-30                        matching session: a duo that is now *active*
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

from babel.dates import format_date
from sqlalchemy import select

from duo.consumers.demo import data, parts
from duo.consumers.demo.personas import Branch, Persona
from duo.core import clock as platform_clock
from duo.core.db import db, utcnow
from duo.core.tenancy.models import Tenant
from duo.duos import agreement, first_meeting, lifecycle
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.eligibility import decisions
from duo.matching import pool
from duo.people import pipeline, states
from duo.people.intake import record_intake
from duo.people.models import MENTEE, MENTOR, Person
from duo.sessions import domain as sessions
from duo.sessions.demo import seed_sessions
from duo.sessions.models import FOR_BOTH, FOR_MENTEES, FOR_MENTORS, InfoSession, Registration
from duo.sessions.signup import SignupRequest, sign_up
from duo.training import curriculum, enrolment, planning
from duo.training.models import MODULES, TrainingCycle
from duo.training.schedule import Rhythm

#: Which information session each part came to (None: one still to come).
SESSION_OF_PART = {
    parts.DUO_ENDED: "last_year",
    parts.TRAINED: "cohort",
    parts.DUO_ACTIVE: "cohort",
    parts.POOL_EARLY: "cohort",
    parts.POOL_MID: "mentees",
    parts.WITHDRAWN: "mentees",
    parts.IN_TRAINING: "mentors",
    parts.POOL_RECENT: "recent",
    parts.WAITING_TRAINING: "recent",
    parts.NEEDS_REVIEW: "recent",
    parts.NOT_ELIGIBLE: "recent",
    parts.ATTENDED: "recent",
    parts.UNRECORDED: "last",
    parts.UPCOMING: None,
}
#: The duo's mentee came to the mentees' session (she waited for the next matching session).
DUO_PROPOSED_SESSIONS = {MENTEE: "mentees", MENTOR: "cohort"}

#: Which training cycle a mentor's part takes.
CYCLE_OF_PART = {
    parts.DUO_ENDED: "last_year",
    parts.TRAINED: "cohort",
    parts.DUO_ACTIVE: "cohort",
    parts.DUO_PROPOSED: "cohort",
    parts.IN_TRAINING: "current",
}
#: Parts whose intake interview is not held (yet).
NO_INTAKE = {parts.ATTENDED, parts.UNRECORDED, parts.UPCOMING, parts.WITHDRAWN}
#: The weekday of the mentor training, by country (Monday = 0).
TRAINING_WEEKDAY = {"be": 1, "nl": 2, "fr": 3}

CYCLE_TITLES = {
    "fr": "Formation des mentors – {month}",
    "nl": "Mentoropleiding – {month}",
    "en": "Mentor training – {month}",
}


@dataclass(frozen=True)
class SessionPlan:
    key: str
    day: date
    at: time
    audience: str
    language: str
    capacity: int
    record_attendance: bool = True


@dataclass
class BranchStory:
    """Plays one branch's story; :meth:`play` is the only entry point."""

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

    def modules(self) -> list[curriculum.Item]:
        return curriculum.modules(self.config)

    def rhythm(self) -> Rhythm:
        minutes = max((m.duration_minutes for m in self.modules()), default=180) or 180
        start = time(9, 30)
        end_minutes = min(9 * 60 + 30 + minutes, 21 * 60)
        weekday = TRAINING_WEEKDAY.get(self.tenant.country, 1)
        return Rhythm.weekly(weekday, start, time(end_minutes // 60, end_minutes % 60))

    def cycle_plan(self, start: date, capacity: int = 12) -> planning.CyclePlan:
        month = format_date(start, "MMMM y", locale=self.language)
        title = CYCLE_TITLES.get(self.language, CYCLE_TITLES["en"]).format(month=month)
        return planning.CyclePlan(
            title=title,
            kind=MODULES,
            start_date=start,
            rhythm=self.rhythm(),
            module_keys=[m.key for m in self.modules()],
            location=self.venue,
            capacity=capacity,
        )

    def cycle_ending_by(self, last_day: date) -> date:
        """A start date whose cycle (holidays skipped) is over by ``last_day``."""
        weeks = max(1, len(self.modules()))
        start = last_day - timedelta(weeks=weeks - 1)
        for _attempt in range(12):
            preview = planning.preview(self.tenant, self.cycle_plan(start), self.language)
            if preview.ok and preview.sessions and preview.sessions[-1].local_date <= last_day:
                return start
            start -= timedelta(weeks=1)
        return start

    def plan(self) -> None:
        used_sessions = {self.session_key(p) for p in self.cast} - {None}
        used_cycles = {self.cycle_key(p) for p in self.cast} - {None}
        has_modules = bool(self.modules())
        cycle_starts = {
            "last_year": self.cycle_ending_by(self.day(-240)),
            "cohort": self.cycle_ending_by(self.day(-42)),
            "current": self.day(-24),
        }
        locales = self.branch.locales
        second = locales[1] if len(locales) > 1 else locales[0]
        plans = [
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
            for key in ("last_year", "cohort", "current"):
                if key in used_cycles:
                    self.plan_cycle(key, cycle_starts[key])

        self.plan_duo(parts.DUO_ENDED, self.day(-230), until=duo_states.ENDED)
        self.plan_duo(parts.DUO_ACTIVE, self.day(-30), until=duo_states.ACTIVE)
        self.plan_duo(parts.DUO_PROPOSED, self.day(-3), until=duo_states.PROPOSED)

    # ----------------------------------------------------------------- information sessions

    def plan_info_session(self, plan: SessionPlan, seats: int) -> None:
        starts_at = self.moment(plan.day, plan.at)

        def create() -> None:
            self.info_sessions[plan.key] = sessions.create_session(
                sessions.SessionData(
                    starts_at=starts_at,
                    duration_minutes=90,
                    language=plan.language,
                    audience=plan.audience,
                    capacity=seats,
                    place=self.venue,
                ),
                tenant=self.tenant,
                by=self.coordinator,
            )

        self.at(starts_at - timedelta(days=30), create)
        if plan.record_attendance:
            self.at(starts_at + timedelta(hours=2), lambda: self.record_info_attendance(plan.key))

    def record_info_attendance(self, key: str) -> None:
        session = self.info_sessions[key]
        came = [
            reg.id
            for number, reg in self.registrations.items()
            if reg.session_id == session.id and self.people[number].state == states.REGISTERED
        ]
        sessions.record_attendance(session, came, tenant=self.tenant, by=self.coordinator)

    def signup(self, persona: Persona, session_id: Any) -> None:
        result = sign_up(
            SignupRequest(
                session_id=session_id,
                role=persona.role,
                first_name=persona.first_name,
                last_name=persona.last_name,
                email=persona.email,
                locale=persona.locale,
                consent=True,
                phone=persona.phone,
                birth_year=persona.birth_date.year,
                heard_from=persona.heard_from,
                waitlist=True,
            ),
            tenant=self.tenant,
        )
        self.people[persona.number] = result.person
        self.registrations[persona.number] = result.registration

    def plan_candidate(self, persona: Persona, plan: SessionPlan) -> None:
        signed_up = self.moment(
            plan.day - timedelta(days=self.rng.randint(2, 14)),
            time(self.rng.randint(8, 22), self.rng.randint(0, 59)),
        )
        self.at(signed_up, lambda: self.signup(persona, self.info_sessions[plan.key].id))
        if persona.part == parts.WITHDRAWN:
            withdrawn = self.moment(plan.day + timedelta(days=5), time(11, 0))
            self.at(withdrawn, lambda: self.withdraw(persona))
            return
        if persona.part in NO_INTAKE:
            return
        # Intakes are spread over the days after the session (the longest waits first).
        offset = 1 + (persona.rank * 2 + persona.number) % 6
        when = self.moment(plan.day + timedelta(days=offset), time(9 + persona.rank % 8, 0))
        self.intake_at[persona.number] = when
        self.at(when, lambda: self.intake(persona))
        if persona.part == parts.WAITING_TRAINING:
            self.at(when + timedelta(days=1), lambda: self.override(persona))

    def plan_upcoming_signup(self, persona: Persona) -> None:
        when = self.moment(
            self.day(-1 - self.rng.randint(0, 6)),
            time(self.rng.randint(8, 22), self.rng.randint(0, 59)),
        )

        def act() -> None:
            choices = sessions.upcoming_sessions(self.now, role=persona.role)
            if not choices:
                return
            self.signup(persona, choices[persona.rank % len(choices)].id)

        self.at(when, act)

    # ----------------------------------------------------------------- people

    def person(self, persona: Persona) -> Person | None:
        return self.people.get(persona.number)

    def intake(self, persona: Persona) -> None:
        person = self.person(persona)
        if person is None:
            return
        record_intake(
            person,
            persona.answers,
            consent_given=persona.consent,
            rules=decisions.rules_for(self.config, person.role),
            today=utcnow().astimezone(self.zone).date(),
            by=self.coordinator,
            locale=person.locale,
        )

    def override(self, persona: Persona) -> None:
        person = self.person(persona)
        if person is None or person.state != states.NOT_ELIGIBLE:
            return
        decisions.override(
            person,
            "eligible",
            data.text(data.NOTES["override_age"], self.language),
            decisions.rules_for(self.config, person.role),
            today=utcnow().astimezone(self.zone).date(),
            by=self.coordinator,
        )

    def withdraw(self, persona: Persona) -> None:
        person = self.person(persona)
        if person is None or person.state == states.WITHDRAWN:
            return
        pipeline.transition(
            person,
            states.WITHDRAWN,
            by=self.coordinator,
            reason=data.text(data.NOTES["withdrawn_job"], self.language),
        )

    # ----------------------------------------------------------------- training

    def plan_cycle(self, key: str, start: date) -> None:
        mentors = [p for p in self.cast if self.cycle_key(p) == key]
        plan = self.cycle_plan(start, capacity=max(12, len(mentors)))

        def create() -> None:
            self.cycles[key] = planning.create_cycle(
                self.tenant, plan, language=self.language, by=self.coordinator
            )

        self.at(self.moment(start - timedelta(days=21), time(14, 0)), create)
        for persona in mentors:
            intake = self.intake_at.get(persona.number)
            if intake is None:
                session_day = self.workday(start - timedelta(days=16))
                intake = self.moment(session_day + timedelta(days=6), time(10, 0))
            self.at(intake + timedelta(days=1, hours=5), lambda p=persona: self.enrol(key, p))

        preview = planning.preview(self.tenant, plan, self.language)
        held = [s for s in preview.sessions if s.ends_at_utc < self.now]
        if key == "current" and held:
            held = held[:-1]  # the last one held: attendance still to record (a to-do)
        for planned in held:
            self.at(
                planned.ends_at_utc + timedelta(minutes=30),
                lambda index=planned.index, k=key, group=mentors: self.training_attendance(
                    k, index, group
                ),
            )

    def enrol(self, key: str, persona: Persona) -> None:
        person = self.person(persona)
        cycle = self.cycles.get(key)
        if person is None or cycle is None or person.state != states.ELIGIBLE:
            return
        enrolment.enrol(cycle, person, by=self.coordinator)

    def training_attendance(self, key: str, index: int, group: list[Persona]) -> None:
        cycle = self.cycles.get(key)
        if cycle is None:
            return
        session = next((s for s in cycle.sessions if s.index == index), None)
        if session is None:
            return
        enrolled = {p.id for p in enrolment.participants(session)}
        present = []
        for persona in group:
            person = self.person(persona)
            if person is None or person.id not in enrolled:
                continue
            # In the current cycle, the second mentor missed the second module (catch-up).
            if key == "current" and index == 1 and persona.rank == 1:
                continue
            present.append(person.id)
        enrolment.record_attendance(session, present, by=self.coordinator)

    # ----------------------------------------------------------------- duos

    def pair(self, part: str) -> tuple[Persona, Persona] | None:
        mentee = next((p for p in self.cast if p.part == part and p.role == MENTEE), None)
        mentor = next((p for p in self.cast if p.part == part and p.role == MENTOR), None)
        if mentee is None or mentor is None:
            return None
        return mentee, mentor

    def plan_duo(self, part: str, held_on: date, *, until: str) -> None:
        """A matching session on ``held_on`` proposes the duo of ``part``; then, as far as
        ``until``: its first meeting, the agreement, and its end after the programme's
        duration (at the latest 20 days ago)."""
        pair = self.pair(part)
        if pair is None:
            return
        mentee, mentor = pair
        proposed = self.moment(held_on, time(10, 0))
        self.at(proposed, lambda: self.match(part, mentee, mentor))
        if until == duo_states.PROPOSED:
            return
        first_meeting = held_on + timedelta(days=7)
        meeting_at = self.moment(first_meeting, time(15, 0))
        self.at(proposed + timedelta(days=3), lambda: self.plan_meeting(part, meeting_at))
        self.at(self.moment(first_meeting, time(17, 0)), lambda: self.decide(part))
        signed = first_meeting + timedelta(days=3)
        self.at(self.moment(signed, time(16, 0)), lambda: self.sign(part))
        if until == duo_states.ENDED:
            ends_on = lifecycle.add_months(signed, self.branch.duration_months)
            ended = min(ends_on, self.day(-20))
            self.at(self.moment(ended, time(16, 0)), lambda: self.move_duo(part, duo_states.ENDED))

    def match(self, part: str, mentee: Persona, mentor: Persona) -> None:
        mentee_person, mentor_person = self.person(mentee), self.person(mentor)
        if mentee_person is None or mentor_person is None:
            return
        if mentee_person.state != states.ELIGIBLE or mentor_person.state != states.TRAINED:
            return
        session = pool.start_session(self.tenant, by=self.coordinator)
        run = pool.run_session(session, self.tenant)
        suggested = [(p.mentee_id, p.mentor_id) for p in run.suggestion.pairs]
        duos = pool.accept(
            session,
            [(mentee_person.id, mentor_person.id)],
            self.tenant,
            by=self.coordinator,
            suggested=suggested,
        )
        pool.close_session(session, by=self.coordinator)
        self.duos[part] = duos[0]

    def _duo_people(self, part: str) -> tuple[Duo, Person, Person] | None:
        duo = self.duos.get(part)
        pair = self.pair(part)
        if duo is None or pair is None:
            return None
        mentee, mentor = self.person(pair[0]), self.person(pair[1])
        if mentee is None or mentor is None:
            return None
        return duo, mentee, mentor

    def plan_meeting(self, part: str, at: datetime) -> None:
        duo = self.duos.get(part)
        if duo is None or duo.state != duo_states.PROPOSED:
            return
        meeting = first_meeting.MeetingPlan(
            at=at, place=self.tenant.display_name(), coordinator_id=self.coordinator.id
        )
        first_meeting.plan(duo, meeting, by=self.coordinator, tenant=self.tenant)

    def decide(self, part: str) -> None:
        """Both say yes through their links (as people do: no staff user)."""
        found = self._duo_people(part)
        if found is None or found[0].state != duo_states.FIRST_MEETING:
            return
        duo, mentee, mentor = found
        first_meeting.decide(duo, "mentee", True, tenant=self.tenant, by_person=mentee)
        first_meeting.decide(duo, "mentor", True, tenant=self.tenant, by_person=mentor)

    def sign(self, part: str) -> None:
        """Mentee and mentor sign through their links, the coordinator countersigns."""
        found = self._duo_people(part)
        if found is None or found[0].state != duo_states.CONFIRMED:
            return
        duo, mentee, mentor = found
        for party, person in (("mentee", mentee), ("mentor", mentor)):
            agreement.sign(
                duo,
                party,
                full_name=person.full_name,
                accepted=True,
                tenant=self.tenant,
                expected_name=person.full_name,
                person=person,
            )
        agreement.sign(
            duo,
            agreement.COORDINATOR,
            full_name=self.coordinator.name,
            accepted=True,
            tenant=self.tenant,
            expected_name=self.coordinator.name,
            by=self.coordinator,
        )

    def move_duo(self, part: str, to: str, **kwargs: Any) -> None:
        duo = self.duos.get(part)
        if duo is None or not duo_states.allowed(duo.state, to):
            return
        lifecycle.transition(duo, to, by=self.coordinator, tenant=self.tenant, **kwargs)

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
