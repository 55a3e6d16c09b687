"""A branch's history written with explicit dates, for reporting tests.

Rows are created in the real tables (people, their history, duos and theirs) in the branch's
scope, dated as the test says, so that the counts the rollups must hold are known.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from duo.core.tenancy.context import tenant_scope
from duo.duos import states as duo_states
from duo.duos.models import Duo, DuoStateChange
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person, Profile, StateChange


def at(year: int, month: int, day: int = 10) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


class History:
    def __init__(self, db: Any, tenants: dict[str, Any]) -> None:
        self.db = db
        self.tenants = tenants

    def person(
        self,
        branch: str,
        role: str = MENTEE,
        *,
        signed_up: datetime,
        steps: list[tuple[str, datetime]] = (),
        birth_year: int | None = None,
        sector: str | None = None,
        first_name: str = "Amina",
        email: str | None = None,
    ) -> Person:
        tenant = self.tenants[branch]
        with tenant_scope(tenant.id):
            person = Person(
                role=role,
                first_name=first_name,
                last_name=f"T{uuid.uuid4().hex[:6]}",
                email=email or f"{uuid.uuid4().hex[:10]}@example.org",
                locale=tenant.default_locale,
                birth_year=birth_year,
                state=states.REGISTERED,
                created_at=signed_up,
                state_changed_at=signed_up,
            )
            self.db.session.add(person)
            self.db.session.flush()
            if sector is not None:
                facts = {"target_sector": sector} if role == MENTEE else {"sectors": [sector]}
                self.db.session.add(Profile(person_id=person.id, languages={}, **facts))
            previous = states.REGISTERED
            self.db.session.add(
                StateChange(person_id=person.id, from_state=None, to_state=previous, at=signed_up)
            )
            for state, moment in steps:
                self.db.session.add(
                    StateChange(person_id=person.id, from_state=previous, to_state=state, at=moment)
                )
                previous = state
            person.state = previous
            self.db.session.flush()
        return person

    def duo(
        self,
        branch: str,
        mentee: Person,
        mentor: Person,
        *,
        proposed: datetime,
        started: datetime | None = None,
        ended: datetime | None = None,
        stopped: datetime | None = None,
        evaluated: datetime | None = None,
        declined_by: str | None = None,
    ) -> Duo:
        steps = [(duo_states.PROPOSED, proposed)]
        if started:
            steps += [(duo_states.FIRST_MEETING, started - timedelta(days=7))]
            steps += [(duo_states.CONFIRMED, started - timedelta(days=1))]
            steps += [(duo_states.ACTIVE, started)]
        if ended:
            steps.append((duo_states.ENDED, ended))
        if evaluated:
            steps.append((duo_states.EVALUATED, evaluated))
        if stopped:
            steps.append((duo_states.STOPPED, stopped))
        with tenant_scope(self.tenants[branch].id):
            duo = Duo(
                mentee_id=mentee.id,
                mentor_id=mentor.id,
                state=steps[-1][0],
                proposed_at=proposed,
                state_changed_at=steps[-1][1],
                started_at=started,
                ended_at=ended or stopped,
                stop_reason="moved away" if stopped else None,
                declined_by=declined_by,
            )
            self.db.session.add(duo)
            self.db.session.flush()
            previous = None
            for state, moment in steps:
                self.db.session.add(
                    DuoStateChange(duo_id=duo.id, from_state=previous, to_state=state, at=moment)
                )
                previous = state
            self.db.session.flush()
        return duo

    def cohort(self, branch: str, n: int, year: int, month: int, *, sector: str = "care") -> list:
        """``n`` mentees and ``n`` mentors who went all the way through one duo each."""
        duos = []
        for i in range(n):
            day = 1 + i % 20
            mentee = self.person(
                branch,
                MENTEE,
                signed_up=at(year, month, day),
                birth_year=year - 24,
                sector=sector,
                steps=[
                    (states.ATTENDED, at(year, month, day) + timedelta(days=5)),
                    (states.INTAKE_DONE, at(year, month, day) + timedelta(days=10)),
                    (states.ELIGIBLE, at(year, month, day) + timedelta(days=11)),
                    (states.MATCHED, at(year, month, day) + timedelta(days=11 + 7 * (i % 6))),
                    (states.IN_DUO, at(year, month, day) + timedelta(days=60)),
                ],
            )
            mentor = self.person(
                branch,
                MENTOR,
                signed_up=at(year, month, day),
                birth_year=year - 62,
                steps=[
                    (states.INTAKE_DONE, at(year, month, day) + timedelta(days=3)),
                    (states.ELIGIBLE, at(year, month, day) + timedelta(days=4)),
                    (states.IN_TRAINING, at(year, month, day) + timedelta(days=5)),
                    (states.TRAINED, at(year, month, day) + timedelta(days=30)),
                    (states.MATCHED, at(year, month, day) + timedelta(days=11 + 7 * (i % 6))),
                    (states.IN_DUO, at(year, month, day) + timedelta(days=60)),
                ],
            )
            start = at(year, month, day) + timedelta(days=60)
            duos.append(
                self.duo(
                    branch,
                    mentee,
                    mentor,
                    proposed=at(year, month, day) + timedelta(days=11 + 7 * (i % 6)),
                    started=start,
                    ended=start + timedelta(days=190),
                    evaluated=start + timedelta(days=200),
                )
            )
        return duos
