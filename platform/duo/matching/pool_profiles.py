"""The pool's matching profiles, made from the columns of its one query.

A profile is a pure function of what the row holds (the intake facts, the waiting start,
whether the mentor is trained and free, the branch's country): the same values make the
same frozen profile, so each is made once and remembered by those values. A matching page
over a pool of 1,900 people decoded each row's JSON facts and normalised every language,
tag and postcode again on every visit (60 of the 140 ms of reading the pool); what changed
since (an edited intake, a mentor now busy) is a different key, so nothing remembered is
stale, and profiles are frozen, so one handed out twice cannot be changed by either user.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, TypeVar

from sqlalchemy import Text, cast

from duo.core.tenancy.models import Tenant
from duo.matching.json_array import json_array
from duo.matching.profiles import MenteeProfile, MentorProfile
from duo.people.models import MENTEE, Profile

#: What the intake records of mentees and mentors alike, then each side's own facts.
_SHARED = ("languages", "availability", "interests", "digital_skills", "personality", "postcode")
_MENTEE_FACTS = ("target_sector", "help_questions", *_SHARED)
_MENTOR_FACTS = ("sectors", "years_experience", "expertise", *_SHARED)

#: Profiles remembered per process: the largest branch's pool twice over. Each is a few
#: small sets, about a kilobyte; the least recently used go first.
REMEMBERED = 4096


def _facts(raw: Any, names: Iterable[str]) -> dict[str, Any]:
    """The named facts an intake profile knows (unknown ones keep the profiles' defaults)."""
    values = ((name, getattr(raw, name, None)) for name in names)
    return {name: value for name, value in values if value is not None}


_P = TypeVar("_P", MenteeProfile, MentorProfile)


def _profile(
    kind: type[_P], facts: Iterable[str], person_id: Any, raw: Any, country: str, **own: Any
) -> _P:
    """A matching profile of ``kind`` from the intake profile ``raw``, or ValueError: a
    profile without any language is an intake not done yet, not a person nobody speaks to."""
    profile = kind(**_facts(raw, facts), id=person_id, country=country, eligible=True, **own)
    if not profile.languages:
        raise ValueError("the intake profile records no language")
    return profile


def mentee_profile(person: Any, raw: Any, since: date, tenant: Tenant) -> MenteeProfile:
    """A matching profile for a waiting mentee; raises ValueError when the profile is unusable."""
    return _profile(
        MenteeProfile, _MENTEE_FACTS, person.id, raw, tenant.country, waiting_since=since
    )


def mentor_profile(
    person: Any, raw: Any, *, trained: bool, free: bool, tenant: Tenant
) -> MentorProfile:
    """A matching profile for a mentor of the pool; raises ValueError when it is unusable."""
    return _profile(
        MentorProfile, _MENTOR_FACTS, person.id, raw, tenant.country, trained=trained, free=free
    )


#: The intake facts matching reads, as columns of the profile table (not whole profile rows:
#: a large pool's page reads two thousand of them); the JSON ones as one array, in this
#: order, read as its text (the key a profile is remembered by; decoded only for a new one).
_JSON_FACTS = ("languages", "availability", "interests", "personality", "help_questions", "sectors")
COLUMNS = (
    Profile.id.is_not(None).label("has_profile"),
    cast(json_array(*(getattr(Profile, name) for name in _JSON_FACTS)), Text).label("json_facts"),
    Profile.digital_skills,
    Profile.postcode,
    Profile.years_experience,
    Profile.target_sector,
)


def _raw_profile(
    json_facts: str, digital_skills: Any, postcode: Any, years: Any, target: Any
) -> SimpleNamespace:
    """The facts of one profile row under the matching profiles' names.

    The same reading as :func:`duo.people.profiles.profiles_for` (missing lists are empty,
    a mentor's help questions are their expertise), done on the pool's own query.
    """
    languages, availability, interests, personality, help_questions, sectors = json.loads(
        json_facts
    )
    help_questions = help_questions or ()
    return SimpleNamespace(
        languages=languages or {},
        availability=availability or (),
        interests=interests or (),
        digital_skills=digital_skills or 0,
        personality=personality or (),
        postcode=postcode,
        help_questions=help_questions,
        expertise=help_questions,
        sectors=sectors or (),
        years_experience=years,
        target_sector=target,
    )


def pool_profile(row: Any, country: str, **own: Any) -> MenteeProfile | MentorProfile | None:
    """The matching profile of a row of the pool's query, ``None`` when it has no usable
    intake profile. ``own`` is the side's own facts: ``waiting_since`` of a mentee,
    ``trained`` and ``free`` of a mentor."""
    if not row.has_profile:
        return None
    return _remembered(
        row.role,
        row.id,
        country,
        row.json_facts,
        row.digital_skills,
        row.postcode,
        row.years_experience,
        row.target_sector,
        tuple(sorted(own.items())),
    )


@lru_cache(maxsize=REMEMBERED)
def _remembered(
    role: str,
    person_id: uuid.UUID,
    country: str,
    json_facts: str,
    digital_skills: Any,
    postcode: Any,
    years: Any,
    target: Any,
    own: tuple[tuple[str, Any], ...],
) -> MenteeProfile | MentorProfile | None:
    raw = _raw_profile(json_facts, digital_skills, postcode, years, target)
    if role == MENTEE:
        kind, facts = MenteeProfile, _MENTEE_FACTS
    else:
        kind, facts = MentorProfile, _MENTOR_FACTS
    try:
        return _profile(kind, facts, person_id, raw, country, **dict(own))
    except (ValueError, TypeError):
        return None


__all__ = ["COLUMNS", "mentee_profile", "mentor_profile", "pool_profile"]
