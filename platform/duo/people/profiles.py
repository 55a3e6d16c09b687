"""What other capabilities read about a candidate: the matching profile and eligibility facts.

:func:`profiles_for` is the bulk reader (a matching session reads a whole pool at once:
a constant number of queries however many people); :func:`profile_of` is the same for one
person. Both return :class:`CandidateProfile`, plain frozen data whose field names follow
:mod:`duo.matching.profiles` (``personality``, ``digital_skills``, ``waiting_since``...), so
that the matching capability builds its own dataclasses without knowing our tables.

Choices:

- A person without an intake yet gets an empty profile (no languages, no slots, digital
  skills 0), never ``None``: callers filter on state, not on the presence of a row.
- ``help_questions`` are what a mentee asks help with, and for a mentor what they can help
  with (matching's ``MentorProfile.expertise``; :attr:`CandidateProfile.expertise`).
- ``waiting_since`` is the day (in the branch's time zone) a mentee last became eligible or
  a mentor last became trained, i.e. the day they (re-)entered the pool; ``None`` if never.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from flask import g, has_request_context
from sqlalchemy import and_, bindparam, func, or_, select

from duo.core.db import db
from duo.core.i18n import zones
from duo.core.tenancy.scoping import BranchLoad
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person, Profile, StateChange

#: Bound parameters per IN (...) list: well under SQLite's and PostgreSQL's limits.
CHUNK = 2000


@dataclass(frozen=True)
class CandidateProfile:
    person_id: uuid.UUID
    role: str
    state: str
    languages: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    availability: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    help_questions: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    digital_skills: int = 0
    personality: frozenset[str] = frozenset()
    postcode: str | None = None
    years_experience: int | None = None
    target_sector: str | None = None
    waiting_since: date | None = None

    @property
    def expertise(self) -> frozenset[str]:
        """A mentor's help questions: what they can help a mentee with."""
        return self.help_questions


def _from_row(person: Person, profile: Profile | None, since: date | None) -> CandidateProfile:
    if profile is None:
        return CandidateProfile(person.id, person.role, person.state, waiting_since=since)
    return CandidateProfile(
        person_id=person.id,
        role=person.role,
        state=person.state,
        languages=MappingProxyType(dict(profile.languages or {})),
        availability=frozenset(profile.availability or ()),
        sectors=frozenset(profile.sectors or ()),
        help_questions=frozenset(profile.help_questions or ()),
        interests=frozenset(profile.interests or ()),
        digital_skills=profile.digital_skills or 0,
        personality=frozenset(profile.personality or ()),
        postcode=profile.postcode,
        years_experience=profile.years_experience,
        target_sector=profile.target_sector,
        waiting_since=since,
    )


def _zone(timezone: str | None) -> ZoneInfo:
    if timezone:
        return ZoneInfo(timezone)
    tenant = g.get("tenant") if has_request_context() else None
    return ZoneInfo(tenant.timezone) if tenant is not None else ZoneInfo("UTC")


def _local_date(moment: datetime, zone: ZoneInfo) -> date:
    return zones.local_date(moment, zone.key)


def _chunks(ids: list[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def waiting_since_for(people_ids: Iterable[uuid.UUID], timezone: str | None = None) -> dict:
    """person id -> the day they last entered the pool (eligible mentee / trained mentor)."""
    zone = _zone(timezone)
    ids = list(dict.fromkeys(people_ids))
    out: dict[uuid.UUID, date] = {}
    for chunk in _chunks(ids):
        rows = db.session.execute(
            select(StateChange.person_id, func.max(StateChange.at))
            .join(
                Person,
                (Person.tenant_id == StateChange.tenant_id) & (Person.id == StateChange.person_id),
            )
            .where(
                StateChange.person_id.in_(chunk),
                or_(
                    and_(Person.role == MENTEE, StateChange.to_state == states.ELIGIBLE),
                    and_(Person.role == MENTOR, StateChange.to_state == states.TRAINED),
                ),
            )
            .group_by(StateChange.person_id)
        ).all()
        for person_id, at in rows:
            if at is not None:
                if isinstance(at, str):  # SQLite returns max() of a timestamp as text
                    at = datetime.fromisoformat(at)
                out[person_id] = _local_date(at, zone)
    return out


def profiles_for(
    people_ids: Iterable[uuid.UUID], timezone: str | None = None
) -> dict[uuid.UUID, CandidateProfile]:
    """The matching profiles of these people of the current branch, keyed by person id.

    Ids of another branch (or unknown ones) are simply absent from the result. Two queries
    per 2,000 people.
    """
    ids = list(dict.fromkeys(people_ids))
    since = waiting_since_for(ids, timezone)
    out: dict[uuid.UUID, CandidateProfile] = {}
    for chunk in _chunks(ids):
        rows = db.session.execute(
            select(Person, Profile)
            .outerjoin(
                Profile,
                (Profile.tenant_id == Person.tenant_id) & (Profile.person_id == Person.id),
            )
            .where(Person.id.in_(chunk))
        ).all()
        for person, profile in rows:
            out[person.id] = _from_row(person, profile, since.get(person.id))
    return out


def profile_of(person: Person, timezone: str | None = None) -> CandidateProfile:
    """The matching profile of one person."""
    found = profiles_for([person.id], timezone)
    if person.id in found:
        return found[person.id]
    return CandidateProfile(person.id, person.role, person.state)


#: The person page and the intake read it on every visit: built once per branch.
_PROFILE = BranchLoad(
    lambda: select(Profile).where(
        Profile.person_id == bindparam("person_id", type_=Profile.person_id.type)
    )
)


def load_profile(person: Person) -> Profile | None:
    return _PROFILE(person_id=person.id).scalar_one_or_none()


def eligibility_facts(person: Person, profile: Profile | None) -> dict[str, Any]:
    """The facts the eligibility rules read (see the spec's rule kinds); unknown = ``None``.

    The exact date of birth comes from the intake; the year of birth given at sign-up is
    passed too, so that the age rule can still decide when the date is not known.
    """
    facts: dict[str, Any] = {"birth_year": person.birth_year}
    if profile is None:
        return facts
    facts.update(
        {
            "birth_date": profile.birth_date,
            "languages": dict(profile.languages or {}),
            "years_experience": profile.years_experience,
            "volunteer": profile.volunteer,
            "available_six_months": profile.available_six_months,
            "seeking_job_study_or_internship": profile.seeking_job_study_or_internship,
            "registered_jobseeker": profile.registered_jobseeker,
            "other_barriers": profile.other_barriers,
            "migration_background": profile.migration_background,
            "allowed_to_work": profile.allowed_to_work,
        }
    )
    return facts
