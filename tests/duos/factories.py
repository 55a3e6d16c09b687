"""Real people for matching and duo tests: waiting mentees and trained mentors of a branch.

Imported by the matching and duo tests as ``from duos.factories import ...`` (``tests`` is on
the path). Everything is created through the other capabilities' real tables: the intake
profile (:class:`duo.people.models.Profile`, read by ``duo.people.profiles``), the state
history that tells how long a mentee has waited, and attendance of every required training
module (read by ``duo.training.status``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest

from duo.core.db import utcnow
from duo.core.tenancy.context import tenant_scope
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person, Profile, StateChange

DUTCH = {"nl": "native", "en": "B2"}


class PoolFactory:
    """Creates pool members in a branch; every object is flushed in that branch's scope."""

    def __init__(self, db: Any, tenants: dict[str, Any]) -> None:
        self.db = db
        self.tenants = tenants
        self._training: dict[str, list[uuid.UUID]] = {}

    @contextmanager
    def scope(self, branch: str) -> Iterator[None]:
        with tenant_scope(self.tenants[branch].id):
            yield

    def _person(self, branch: str, role: str, state: str, first_name: str, **values: Any) -> Person:
        tenant = self.tenants[branch]
        person = Person(
            role=role,
            first_name=first_name,
            last_name=values.pop("last_name", None) or f"T{uuid.uuid4().hex[:5]}",
            email=values.pop("email", None) or f"{uuid.uuid4().hex[:8]}@example.org",
            locale=values.pop("locale", None) or tenant.default_locale,
            state=state,
            state_changed_at=values.pop("since", None) or utcnow(),
        )
        self.db.session.add(person)
        self.db.session.flush()
        return person

    def _profile(self, person: Person, languages: dict[str, str] | None, **facts: Any) -> None:
        if languages is None:
            return
        for key in ("availability", "interests", "personality", "sectors", "help_questions"):
            if key in facts:
                facts[key] = sorted(facts[key])
        self.db.session.add(Profile(person_id=person.id, languages=dict(languages), **facts))
        self.db.session.flush()

    def mentee(
        self,
        branch: str,
        first_name: str = "Amina",
        *,
        weeks: int = 0,
        languages: dict[str, str] | None = DUTCH,
        state: str = states.ELIGIBLE,
        **facts: Any,
    ) -> Person:
        """A mentee who became eligible ``weeks`` weeks ago (``languages=None``: no intake)."""
        since = utcnow() - dt.timedelta(weeks=weeks)
        names = {k: facts.pop(k) for k in ("last_name", "email", "locale") if k in facts}
        with self.scope(branch):
            person = self._person(branch, MENTEE, state, first_name, since=since, **names)
            self.db.session.add(
                StateChange(
                    person_id=person.id,
                    from_state=states.NEEDS_REVIEW,
                    to_state=states.ELIGIBLE,
                    at=since,
                )
            )
            self._profile(person, languages, **facts)
        return person

    def mentor(
        self,
        branch: str,
        first_name: str = "Jan",
        *,
        languages: dict[str, str] | None = DUTCH,
        trained: bool = True,
        state: str = states.TRAINED,
        **facts: Any,
    ) -> Person:
        """A mentor in state ``trained``; ``trained=False`` leaves out the training attendance."""
        names = {k: facts.pop(k) for k in ("last_name", "email", "locale") if k in facts}
        facts.setdefault("years_experience", 20)
        facts.setdefault("digital_skills", 2)
        with self.scope(branch):
            person = self._person(branch, MENTOR, state, first_name, **names)
            self._profile(person, languages, **facts)
            if trained:
                self.train(branch, person)
        return person

    def train(self, branch: str, person: Person) -> None:
        """Record ``person`` present at one session of every required module of the branch."""
        from duo.training.curriculum import required_keys
        from duo.training.models import Attendance, TrainingCycle, TrainingSession

        tenant = self.tenants[branch]
        with self.scope(branch):
            if branch not in self._training:
                keys = required_keys(tenant.config, MENTOR)
                start = utcnow() - dt.timedelta(days=60)
                cycle = TrainingCycle(
                    title="Mentor training",
                    module_keys=keys,
                    audience="mentors",
                    start_date=start.date(),
                    weekdays=[start.weekday()],
                    start_time=dt.time(9),
                    end_time=dt.time(12),
                    timezone=tenant.timezone,
                )
                self.db.session.add(cycle)
                self.db.session.flush()
                sessions = []
                for index, key in enumerate(keys):
                    at = start + dt.timedelta(days=7 * index)
                    session = TrainingSession(
                        cycle_id=cycle.id,
                        index=index,
                        module_key=key,
                        starts_at=at,
                        ends_at=at + dt.timedelta(hours=3),
                    )
                    self.db.session.add(session)
                    sessions.append(session)
                self.db.session.flush()
                self._training[branch] = [s.id for s in sessions]
            for session_id in self._training[branch]:
                self.db.session.add(Attendance(session_id=session_id, person_id=person.id))
            self.db.session.flush()


PERSON_FIELDS = ("id", "tenant_id", "role", "first_name", "last_name", "full_name", "email")


def snapshot(obj: Any, fields: tuple[str, ...] = PERSON_FIELDS) -> SimpleNamespace:
    """Plain values of a row, still readable after a request committed and expired it.

    (On PostgreSQL, reloading an expired row outside its branch's scope finds nothing.)
    """
    return SimpleNamespace(**{name: getattr(obj, name) for name in fields})


def drain_jobs() -> None:
    """Run every due job now, so that a query count measures the page and not the outbox."""
    from duo.core.jobs import dispatch

    while dispatch():
        pass


@pytest.fixture
def pool_factory(db, tenants) -> PoolFactory:  # noqa: ANN001
    return PoolFactory(db, tenants)


@pytest.fixture
def coordinator(login):  # noqa: ANN001, ANN201
    """A logged-in coordinator reading English, so assertions do not depend on the catalogues."""
    return lambda slug: login(branches=[slug], locale="en")
