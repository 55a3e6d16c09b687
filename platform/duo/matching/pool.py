"""The pool of a branch: who waits to be matched, with their matching profiles.

This is where the pure matching core (:mod:`duo.matching.profiles`, ``scoring``, ``solver``)
meets the database; a matching session (:mod:`.session`) runs the suggestion on the pool, and
the coordinator's decisions (:mod:`.decisions`) are checked against it. Choices made here:

* **Who is in the pool.** Mentees in state ``eligible`` (waiting for a mentor) and mentors in
  state ``trained``, of the current branch. A mentor is *trained* for matching when the
  training capability says so (:func:`duo.training.status.trained_mentor_ids`, attendance
  of every required module), and *free* when they hold no open duo: a mentor whose state
  says ``trained`` but who is not (training changed, a duo left open) stays visible, unmatched,
  with the reason.
* **What they are matched on** is their intake profile, read with the people in one query
  the way :func:`duo.people.profiles.profiles_for` reads it (its fact names are the matching
  profiles'). People whose intake recorded no language yet (or whose profile does not read)
  are listed apart, with that reason, and never suggested.
* **Waiting since.** The last time a mentee became ``eligible`` *other than* by coming back
  from a proposal that did not go on (``matched`` -> ``eligible``): a pair declined at the
  first meeting does not cost the mentee their place in the queue; a stopped accompaniment
  (``in_duo`` -> ``eligible``) starts a new wait. The person's row holds it
  (``Person.waiting_since``, kept by :func:`duo.people.pipeline.transition`); before a
  first wait, the last state change.
  (The people capability's ``waiting_since`` is simply the last entry into the pool.)
* **Settings** come from the branch config: ``matching.weights``,
  ``matching.waiting_bonus_per_week``, ``matching.max_waiting_bonus`` and
  ``working_languages``; "today" is the branch's local date.

Functions flush, never commit; views call them inside the request's transaction.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import or_, select

from duo.core.db import db, utcnow
from duo.core.i18n import zones
from duo.core.tenancy.models import Tenant
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.matching import pool_profiles
from duo.matching.pool_profiles import pool_profile
from duo.matching.profiles import MenteeProfile, MentorProfile
from duo.people import listing
from duo.people import states as person_states
from duo.people.models import MENTEE, MENTOR, Person, Profile, waited_since
from duo.training.status import trained_mentor_ids

Pair = tuple[uuid.UUID, uuid.UUID]


class MatchingError(ValueError):
    """A decision that cannot be taken as asked; ``problems`` are sentences for the coordinator."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    """A branch's matching settings, read from its merged config."""

    weights: Mapping[str, float]
    working_languages: tuple[str, ...]
    waiting_bonus_per_week: float
    max_waiting_bonus: float

    @classmethod
    def of(cls, tenant: Tenant) -> Settings:
        config = tenant.config or {}
        matching = config.get("matching") or {}
        return cls(
            weights=dict(matching.get("weights") or {}),
            working_languages=tuple(config.get("working_languages") or tenant.locales),
            waiting_bonus_per_week=float(matching.get("waiting_bonus_per_week", 0.5)),
            max_waiting_bonus=float(matching.get("max_waiting_bonus", 15)),
        )


def local_date(moment: datetime, tenant: Tenant) -> date:
    """The branch's local date of a UTC moment."""
    return zones.local_date(moment, tenant.timezone)


def branch_today(tenant: Tenant) -> date:
    """Today in the branch's time zone (a matching session is held on a local date)."""
    return local_date(utcnow(), tenant)


# --------------------------------------------------------------------------- the pool


class PoolPerson(NamedTuple):
    """Someone of the pool as the pages name them: four columns, not their ORM entity.

    A large pool's page names two thousand people and changes none; building an entity with
    every column for each cost a quarter of reading the pool. What changes a person (a duo
    proposed by :func:`duo.matching.decisions.accept`) loads the entity itself.
    """

    id: uuid.UUID
    role: str
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


#: The columns of :class:`PoolPerson`, in its order.
_PERSON_COLUMNS = (Person.id, Person.role, Person.first_name, Person.last_name)


@dataclass(frozen=True)
class Pool:
    """Who waits to be matched in one branch, as people and as matching profiles.

    ``mentees`` and ``mentors`` are the people in the pool (mentees longest-waiting first,
    mentors by name), ``people`` all of them by id; ``mentee_profiles`` and
    ``mentor_profiles`` hold a matching profile for each of them with a usable intake
    profile, ``without_profile`` lists the others.
    """

    mentees: tuple[PoolPerson, ...]
    mentors: tuple[PoolPerson, ...]
    mentee_profiles: Mapping[uuid.UUID, MenteeProfile]
    mentor_profiles: Mapping[uuid.UUID, MentorProfile]
    waiting_since: Mapping[uuid.UUID, date]
    declined: frozenset[Pair]
    without_profile: tuple[PoolPerson, ...]
    people: Mapping[uuid.UUID, PoolPerson]

    def has_mentee(self, person_id: uuid.UUID) -> bool:
        return person_id in self.mentee_profiles

    def has_mentor(self, person_id: uuid.UUID) -> bool:
        return person_id in self.mentor_profiles


def waiting_summary() -> tuple[int, datetime | None]:
    """How many mentees of the current branch wait for a mentor, and since when the longest.

    Read with the branch's counts by role and state (:mod:`duo.people.listing`), which the
    dashboard reads anyway: one index, no statement of its own.
    """
    return (
        listing.count_of(MENTEE, person_states.ELIGIBLE),
        listing.longest_waiting(MENTEE),
    )


def duo_facts() -> tuple[set[uuid.UUID], frozenset[Pair]]:
    """Mentors holding an open duo and pairs declined at a first meeting, in one query.

    The same sets as :func:`duo.duos.lifecycle.busy_mentor_ids` and
    :func:`~duo.duos.lifecycle.declined_pairs` (a test holds them equal), read together.
    """
    declined = (Duo.state == duo_states.STOPPED) & Duo.declined_by.is_not(None)
    rows = db.session.execute(
        select(Duo.mentee_id, Duo.mentor_id, Duo.state).where(
            or_(Duo.state.in_(duo_states.OPEN), declined)
        )
    ).all()
    busy = {mentor for _, mentor, state in rows if state in duo_states.OPEN}
    stopped = frozenset((e, m) for e, m, state in rows if state == duo_states.STOPPED)
    return busy, stopped


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a pool is read or a suggestion made.

    Reading a large pool makes some twenty thousand objects that all stay alive (rows,
    people, profiles); each few hundred of them trigger a collection that walks the whole
    heap, which took half the time of the read. A suggestion's scoring and explanations
    make as many again (thirty collections a matching page). Nothing made here is cyclic
    garbage (what is dropped is freed by reference counting), so the pause frees nothing
    late; the collector runs again as usual afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_pool(tenant: Tenant) -> Pool:
    """Read the branch's pool: three queries, whatever its size.

    People with their waiting start and their intake facts in one query, then the trained
    mentors (the training capability's rule) and the duos that make a mentor busy or a pair
    declined.
    """
    with collector_paused():
        return _load_pool(tenant)


def _load_pool(tenant: Tenant) -> Pool:
    rows = db.session.execute(
        select(*_PERSON_COLUMNS, waited_since().label("since"), *pool_profiles.COLUMNS)
        .outerjoin(
            Profile, (Profile.tenant_id == Person.tenant_id) & (Profile.person_id == Person.id)
        )
        .where(
            or_(
                (Person.role == MENTEE) & (Person.state == person_states.ELIGIBLE),
                (Person.role == MENTOR) & (Person.state == person_states.TRAINED),
            )
        )
        .order_by(Person.last_name, Person.first_name, Person.id)
    ).all()
    mentees: list[PoolPerson] = []
    mentors: list[PoolPerson] = []
    waiting: dict[uuid.UUID, date] = {}
    mentee_rows: list[Any] = []
    mentor_rows: list[Any] = []
    for row in rows:
        person = PoolPerson(row.id, row.role, row.first_name, row.last_name)
        if person.role == MENTEE:
            mentees.append(person)
            mentee_rows.append(row)
            waiting[person.id] = local_date(row.since, tenant)
        else:
            mentors.append(person)
            mentor_rows.append(row)
    mentees.sort(key=lambda p: waiting[p.id])

    everyone = [*mentees, *mentors]
    trained_ids = trained_mentor_ids(tenant.id) if mentors else set()
    busy, declined = duo_facts()

    mentee_profiles: dict[uuid.UUID, MenteeProfile] = {}
    mentor_profiles: dict[uuid.UUID, MentorProfile] = {}
    country = tenant.country
    for row in mentee_rows:
        profile = pool_profile(row, country, waiting_since=waiting[row.id])
        if isinstance(profile, MenteeProfile):
            mentee_profiles[row.id] = profile
    for row in mentor_rows:
        profile = pool_profile(row, country, trained=row.id in trained_ids, free=row.id not in busy)
        if isinstance(profile, MentorProfile):
            mentor_profiles[row.id] = profile
    without = [p for p in everyone if p.id not in mentee_profiles and p.id not in mentor_profiles]
    return Pool(
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        mentee_profiles=mentee_profiles,
        mentor_profiles=mentor_profiles,
        waiting_since=waiting,
        declined=declined,
        without_profile=tuple(without),
        people={p.id: p for p in everyone},
    )
