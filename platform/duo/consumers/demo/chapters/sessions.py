"""Information sessions in the story: planned, signed up for, attended; candidates met after.

It reads the story's state and clock helpers (``tenant``, ``at``, ``moment``, ``person``...)
from :class:`~duo.consumers.demo.story.BranchStory`, which it is mixed into.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from duo.consumers.demo import parts
from duo.consumers.demo.parts import NO_INTAKE
from duo.consumers.demo.personas import Persona
from duo.people import states
from duo.sessions import domain as sessions
from duo.sessions.signup import SignupRequest, sign_up


@dataclass(frozen=True)
class SessionPlan:
    key: str
    day: date
    at: time
    audience: str
    language: str
    capacity: int
    record_attendance: bool = True


class SessionsChapter:
    """Plans and runs the information sessions and the sign-ups."""

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
