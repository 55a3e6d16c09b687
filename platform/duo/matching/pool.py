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
* **What they are matched on** is their intake profile, read in bulk from the people
  capability (:func:`duo.people.profiles.profiles_for`; its fact names are the matching
  profiles'). People whose intake recorded no language yet (or whose profile does not read)
  are listed apart, with that reason, and never suggested.
* **Waiting since.** The last time a mentee became ``eligible`` *other than* by coming back
  from a proposal that did not go on (``matched`` -> ``eligible``): a pair declined at the
  first meeting does not cost the mentee their place in the queue; a stopped accompaniment
  (``in_duo`` -> ``eligible``) starts a new wait. Without history, the last state change.
  (The people capability's ``waiting_since`` is simply the last entry into the pool.)
* **Settings** come from the branch config: ``matching.weights``,
  ``matching.waiting_bonus_per_week``, ``matching.max_waiting_bonus`` and
  ``working_languages``; "today" is the branch's local date.

Functions flush, never commit; views call them inside the request's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import func, or_, select

from duo.core.db import db, utcnow
from duo.core.i18n import zones
from duo.core.tenancy.models import Tenant
from duo.duos import lifecycle
from duo.matching.profiles import MenteeProfile, MentorProfile
from duo.people import states as person_states
from duo.people.models import MENTEE, MENTOR, Person, StateChange
from duo.people.profiles import profiles_for
from duo.training.status import trained_mentor_ids

Pair = tuple[uuid.UUID, uuid.UUID]

_MENTEE_FACTS = (
    "target_sector",
    "help_questions",
    "languages",
    "availability",
    "interests",
    "digital_skills",
    "personality",
    "postcode",
)
_MENTOR_FACTS = (
    "sectors",
    "years_experience",
    "expertise",
    "languages",
    "availability",
    "interests",
    "digital_skills",
    "personality",
    "postcode",
)


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


@dataclass(frozen=True)
class Pool:
    """Who waits to be matched in one branch, as people and as matching profiles.

    ``mentees`` and ``mentors`` are the people in the pool (mentees longest-waiting first,
    mentors by name), ``people`` all of them by id; ``mentee_profiles`` and
    ``mentor_profiles`` hold a matching profile for each of them with a usable intake
    profile, ``without_profile`` lists the others.
    """

    mentees: tuple[Person, ...]
    mentors: tuple[Person, ...]
    mentee_profiles: Mapping[uuid.UUID, MenteeProfile]
    mentor_profiles: Mapping[uuid.UUID, MentorProfile]
    waiting_since: Mapping[uuid.UUID, date]
    declined: frozenset[Pair]
    without_profile: tuple[Person, ...]
    people: Mapping[uuid.UUID, Person]

    def has_mentee(self, person_id: uuid.UUID) -> bool:
        return person_id in self.mentee_profiles

    def has_mentor(self, person_id: uuid.UUID) -> bool:
        return person_id in self.mentor_profiles


def _waiting_since_subquery():  # noqa: ANN202
    return (
        select(StateChange.person_id, func.max(StateChange.at).label("since"))
        .where(
            StateChange.to_state == person_states.ELIGIBLE,
            or_(
                StateChange.from_state.is_(None),
                StateChange.from_state != person_states.MATCHED,
            ),
        )
        .group_by(StateChange.person_id)
        .subquery()
    )


def waiting_summary() -> tuple[int, datetime | None]:
    """How many mentees of the current branch wait for a mentor, and since when the longest."""
    since = _waiting_since_subquery()
    count, oldest = db.session.execute(
        select(
            func.count(Person.id), func.min(func.coalesce(since.c.since, Person.state_changed_at))
        )
        .select_from(Person)
        .outerjoin(since, since.c.person_id == Person.id)
        .where(Person.role == MENTEE, Person.state == person_states.ELIGIBLE)
    ).one()
    return int(count or 0), oldest


def _facts(raw: Any, names: Iterable[str]) -> dict[str, Any]:
    """The named facts an intake profile knows (unknown ones keep the profiles' defaults)."""
    values = ((name, getattr(raw, name, None)) for name in names)
    return {name: value for name, value in values if value is not None}


_P = TypeVar("_P", MenteeProfile, MentorProfile)


def _usable(profile: _P) -> _P:
    """A profile without any language is an intake not done yet, not a person nobody speaks to."""
    if not profile.languages:
        raise ValueError("the intake profile records no language")
    return profile


def mentee_profile(person: Person, raw: Any, since: date, tenant: Tenant) -> MenteeProfile:
    """A matching profile for a waiting mentee; raises ValueError when the profile is unusable."""
    return _usable(
        MenteeProfile(
            **_facts(raw, _MENTEE_FACTS),
            id=person.id,
            country=tenant.country,
            waiting_since=since,
            eligible=True,
        )
    )


def mentor_profile(
    person: Person, raw: Any, *, trained: bool, free: bool, tenant: Tenant
) -> MentorProfile:
    """A matching profile for a mentor of the pool; raises ValueError when it is unusable."""
    return _usable(
        MentorProfile(
            **_facts(raw, _MENTOR_FACTS),
            id=person.id,
            country=tenant.country,
            trained=trained,
            free=free,
            eligible=True,
        )
    )


def load_pool(tenant: Tenant) -> Pool:
    """Read the branch's pool: a fixed number of queries, whatever its size."""
    since = _waiting_since_subquery()
    rows = db.session.execute(
        select(Person, since.c.since)
        .outerjoin(since, since.c.person_id == Person.id)
        .where(
            or_(
                (Person.role == MENTEE) & (Person.state == person_states.ELIGIBLE),
                (Person.role == MENTOR) & (Person.state == person_states.TRAINED),
            )
        )
        .order_by(Person.last_name, Person.first_name, Person.id)
    ).all()
    mentees: list[Person] = []
    mentors: list[Person] = []
    waiting: dict[uuid.UUID, date] = {}
    for person, changed_at in rows:
        if person.role == MENTEE:
            mentees.append(person)
            waiting[person.id] = local_date(changed_at or person.state_changed_at, tenant)
        else:
            mentors.append(person)
    mentees.sort(key=lambda p: waiting[p.id])

    everyone = [*mentees, *mentors]
    raw_profiles = profiles_for([p.id for p in everyone], tenant.timezone) if everyone else {}
    trained_ids = trained_mentor_ids(tenant.id) if mentors else set()
    busy = lifecycle.busy_mentor_ids() if mentors else set()

    mentee_profiles: dict[uuid.UUID, MenteeProfile] = {}
    mentor_profiles: dict[uuid.UUID, MentorProfile] = {}
    without: list[Person] = []
    for person in mentees:
        raw = raw_profiles.get(person.id)
        try:
            if raw is None:
                raise ValueError("no intake profile")
            mentee_profiles[person.id] = mentee_profile(person, raw, waiting[person.id], tenant)
        except (ValueError, TypeError):
            without.append(person)
    for person in mentors:
        raw = raw_profiles.get(person.id)
        trained = person.id in trained_ids
        try:
            if raw is None:
                raise ValueError("no intake profile")
            mentor_profiles[person.id] = mentor_profile(
                person, raw, trained=trained, free=person.id not in busy, tenant=tenant
            )
        except (ValueError, TypeError):
            without.append(person)
    return Pool(
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        mentee_profiles=mentee_profiles,
        mentor_profiles=mentor_profiles,
        waiting_since=waiting,
        declined=frozenset(lifecycle.declined_pairs()),
        without_profile=tuple(without),
        people={p.id: p for p in everyone},
    )
