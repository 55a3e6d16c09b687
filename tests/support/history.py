"""A branch's history written with explicit dates, for reporting, HQ and privacy tests.

Rows are created in the real tables (people, their history, duos and theirs) in the branch's
scope, dated as the test says, so that the counts the rollups must hold are known. The dates
stand in :data:`REPORT_YEAR`, a year the clock has left behind, never in a fixed year.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from duo.core.db import utcnow
from duo.core.tenancy.context import tenant_scope
from duo.duos import states as duo_states
from duo.duos.models import Duo, DuoStateChange
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person, Profile, StateChange

#: The year the histories stand in: two years before the real one, so that every dated step
#: of a cohort (up to some fifteen months after its sign-ups, in a month up to June) is over
#: on the day the suite runs, in January as in December, and the year is one the reports and
#: filters offer.
REPORT_YEAR = utcnow().year - 2


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

    # Steps 7-8: what the duos' check-ins, outcomes and survey answers hold.

    def meetings(self, branch: str, duo: Duo, weeks: int, minutes: int, *, both: bool = False):
        """``weeks`` check-ins of the mentor saying they met (and the mentee too if ``both``)."""
        from duo.duos.models import DuoCheckIn

        with tenant_scope(self.tenants[branch].id):
            first = duo.started_at.date()
            for week in range(weeks):
                monday = first + timedelta(days=7 * week - first.weekday())
                for person in (duo.mentor_id, duo.mentee_id) if both else (duo.mentor_id,):
                    self.db.session.add(
                        DuoCheckIn(
                            duo_id=duo.id,
                            week_start=monday,
                            kind="link",
                            at=duo.started_at + timedelta(days=7 * week),
                            by_person_id=person,
                            met=True,
                            minutes=minutes if person == duo.mentor_id else minutes // 2,
                        )
                    )
            self.db.session.flush()

    def outcome(
        self,
        branch: str,
        duo: Duo,
        months_after: int,
        status: str,
        *,
        contract: str | None = None,
        job_started: Any = None,
    ) -> None:
        from duo.evaluation.models import Outcome

        with tenant_scope(self.tenants[branch].id):
            self.db.session.add(
                Outcome(
                    duo_id=duo.id,
                    person_id=duo.mentee_id,
                    months_after=months_after,
                    status=status,
                    contract_type=contract,
                    hours_per_week=30 if status == "job" else None,
                    job_started_on=job_started,
                    recorded_at=duo.ended_at + timedelta(days=30 * months_after + 1),
                )
            )
            self.db.session.flush()

    def lost(self, branch: str, duo: Duo, months_after: int = 0) -> None:
        """An outcome ask that was sent, reminded and never answered."""
        from duo.evaluation.models import OutcomeAsk

        with tenant_scope(self.tenants[branch].id):
            moment = duo.ended_at + timedelta(days=30 * months_after)
            self.db.session.add(
                OutcomeAsk(
                    duo_id=duo.id,
                    person_id=duo.mentee_id,
                    months_after=months_after,
                    due_on=moment.date(),
                    sent_at=moment,
                    reminded_at=moment + timedelta(days=7),
                    lost_at=moment + timedelta(days=30),
                )
            )
            self.db.session.flush()

    def answer(self, branch: str, duo: Duo, party: str, key: str, value: str) -> None:
        from duo.evaluation.models import EvaluationAnswer

        with tenant_scope(self.tenants[branch].id):
            self.db.session.add(
                EvaluationAnswer(
                    duo_id=duo.id,
                    party=party,
                    question_key=key,
                    question_version=1,
                    value=value,
                    answered_at=duo.ended_at + timedelta(days=3),
                )
            )
            self.db.session.flush()


@pytest.fixture
def history(db, tenants) -> History:
    return History(db, tenants)
