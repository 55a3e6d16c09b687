"""The pool of a branch, the whole-pool suggestion, and the decisions of a matching session.

This is where the pure matching core (:mod:`duo.matching.profiles`, ``scoring``, ``solver``)
meets the database. Choices made here:

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
* **Hard constraints** are the solver's (eligible, trained, free, a working language in
  common, not declined before) plus the session's locks and exclusions. Accepting checks
  every pair against the pool *as it is now*, so a suggestion that went stale (someone else
  accepted a duo with one of its people meanwhile) is refused with a message, and nothing is
  written unless every pair is valid.

Functions flush, never commit; views call them inside the request's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from duo.core.db import db, utcnow
from duo.core.i18n import zones
from duo.core.tenancy.models import Tenant
from duo.duos import lifecycle
from duo.duos.models import Duo
from duo.matching.explain import unmatched_sentence
from duo.matching.models import (
    CLOSED,
    EXCLUDE,
    LOCK,
    OPEN,
    MatchingConstraint,
    MatchingSession,
)
from duo.matching.profiles import MenteeProfile, MentorProfile
from duo.matching.scoring import score_pair
from duo.matching.solver import Suggestion, suggest
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


# --------------------------------------------------------------------------- sessions


def open_session_of_branch() -> MatchingSession | None:
    return db.session.execute(
        select(MatchingSession).where(MatchingSession.status == OPEN)
    ).scalar_one_or_none()


def start_session(tenant: Tenant, *, by: object | None = None) -> MatchingSession:
    """The branch's open session, or a new one held today (one open session at a time)."""
    existing = open_session_of_branch()
    if existing is not None:
        return existing
    session = MatchingSession(
        held_on=branch_today(tenant), status=OPEN, opened_by_user_id=getattr(by, "id", None)
    )
    db.session.add(session)
    db.session.flush()
    return session


def close_session(session: MatchingSession, *, by: object | None = None) -> None:
    if not session.is_open:
        raise MatchingError([_("This matching session is already closed.")])
    session.status = CLOSED
    session.closed_at = utcnow()
    session.closed_by_user_id = getattr(by, "id", None)
    db.session.flush()


def active_constraints(session: MatchingSession) -> list[MatchingConstraint]:
    return list(
        db.session.execute(
            select(MatchingConstraint)
            .where(
                MatchingConstraint.session_id == session.id,
                MatchingConstraint.removed_at.is_(None),
            )
            .order_by(MatchingConstraint.at, MatchingConstraint.id)
        ).scalars()
    )


def all_constraints(session: MatchingSession) -> list[MatchingConstraint]:
    """Every lock and exclusion of a session, lifted ones too: the record of what was decided."""
    return list(
        db.session.execute(
            select(MatchingConstraint)
            .where(MatchingConstraint.session_id == session.id)
            .order_by(MatchingConstraint.at, MatchingConstraint.id)
        ).scalars()
    )


def _remove(constraint: MatchingConstraint, by: object | None, now: datetime) -> None:
    constraint.removed_at = now
    constraint.removed_by_user_id = getattr(by, "id", None)


def remove_constraint(constraint: MatchingConstraint, *, by: object | None = None) -> None:
    if not constraint.session.is_open:
        raise MatchingError([_("This matching session is closed.")])
    if constraint.removed_at is None:
        _remove(constraint, by, utcnow())
        db.session.flush()


# --------------------------------------------------------------------------- checking pairs


def _name(pool: Pool, person_id: uuid.UUID) -> str:
    person = pool.people.get(person_id)
    return person.full_name if person is not None else "?"


def _not_in_pool(pool: Pool, person_id: uuid.UUID, role: str) -> str | None:
    """Why ``person_id`` cannot be paired as ``role`` now, or None if they can."""
    in_pool = pool.has_mentee(person_id) if role == MENTEE else pool.has_mentor(person_id)
    if in_pool:
        return None
    person = pool.people.get(person_id)
    if person is not None and person.role == role:
        return _("%(name)s has no usable intake profile yet.", name=person.full_name)
    # Not waiting any more (a duo was just proposed, a withdrawal), or not of this branch at
    # all: the ORM filter makes both look the same, and a name is only given for the former.
    other = db.session.execute(select(Person).where(Person.id == person_id)).scalar_one_or_none()
    if other is None or other.role != role:
        return _("This pair names someone who is not in this branch's pool.")
    return _(
        "%(name)s is no longer waiting in the pool (a duo may just have been proposed "
        "with them). The suggestion has been refreshed.",
        name=other.full_name,
    )


def pair_problems(
    pairs: Sequence[Pair],
    pool: Pool,
    settings: Settings,
    constraints: Sequence[MatchingConstraint] = (),
    *,
    for_lock: bool = False,
) -> list[str]:
    """Every reason the pairs cannot be decided now, as sentences; empty when all are valid.

    Checks each pair against the pool as it is now (both waiting, with a profile), the hard
    constraints (trained, free, a working language in common, not declined), the session's
    exclusions and, for an acceptance, its locks (a person locked with someone else).
    """
    problems: list[str] = []
    exclusions = {c.pair for c in constraints if c.kind == EXCLUDE}
    locks = [c for c in constraints if c.kind == LOCK]
    locked_mentee = {c.mentee_id: c.mentor_id for c in locks}
    locked_mentor = {c.mentor_id: c.mentee_id for c in locks}
    seen_mentees: set[uuid.UUID] = set()
    seen_mentors: set[uuid.UUID] = set()
    for mentee_id, mentor_id in pairs:
        missing = [
            reason
            for reason in (
                _not_in_pool(pool, mentee_id, MENTEE),
                _not_in_pool(pool, mentor_id, MENTOR),
            )
            if reason
        ]
        if missing:
            problems.extend(dict.fromkeys(missing))
            continue
        names = {"mentee": _name(pool, mentee_id), "mentor": _name(pool, mentor_id)}
        if mentee_id in seen_mentees or mentor_id in seen_mentors:
            problems.append(
                _("%(mentee)s and %(mentor)s: someone is in two of the chosen duos.", **names)
            )
            continue
        seen_mentees.add(mentee_id)
        seen_mentors.add(mentor_id)
        score = score_pair(
            pool.mentee_profiles[mentee_id],
            pool.mentor_profiles[mentor_id],
            settings.weights,
            settings.working_languages,
            exclusions=() if for_lock else exclusions,
            declined=pool.declined,
        )
        for code in score.reasons:
            problems.append(
                _(
                    "%(mentee)s and %(mentor)s: %(reason)s",
                    reason=unmatched_sentence(code, _locale()),
                    **names,
                )
            )
        if for_lock:
            continue
        other_mentor = locked_mentee.get(mentee_id)
        other_mentee = locked_mentor.get(mentor_id)
        if other_mentor is not None and other_mentor != mentor_id:
            problems.append(
                _(
                    "%(mentee)s is locked with %(other)s in this session; unlock first.",
                    mentee=names["mentee"],
                    other=_name(pool, other_mentor),
                )
            )
        if other_mentee is not None and other_mentee != mentee_id:
            problems.append(
                _(
                    "%(mentor)s is locked with %(other)s in this session; unlock first.",
                    mentor=names["mentor"],
                    other=_name(pool, other_mentee),
                )
            )
    return problems


def _locale() -> str:
    return str(get_locale() or "en")


# --------------------------------------------------------------------------- decisions


def add_constraint(
    session: MatchingSession,
    kind: str,
    pair: Pair,
    pool: Pool,
    settings: Settings,
    *,
    by: object | None = None,
) -> MatchingConstraint:
    """Lock or exclude a pair in an open session.

    A lock replaces the locks either person had and lifts an exclusion of the same pair (the
    coordinator just said the opposite); an exclusion lifts a lock of the same pair. A lock
    must be a pair that could be accepted; an exclusion only needs both people in the pool.
    """
    if not session.is_open:
        raise MatchingError([_("This matching session is closed.")])
    mentee_id, mentor_id = pair
    if kind == LOCK:
        problems = pair_problems([pair], pool, settings, for_lock=True)
    elif kind == EXCLUDE:
        problems = [
            reason
            for reason in (
                _not_in_pool(pool, mentee_id, MENTEE),
                _not_in_pool(pool, mentor_id, MENTOR),
            )
            if reason
        ]
    else:
        problems = [_("Choose to lock or to exclude the pair.")]
    if problems:
        raise MatchingError(problems)
    now = utcnow()
    for existing in active_constraints(session):
        same_pair = existing.pair == pair
        if same_pair and existing.kind == kind:
            return existing
        if same_pair or (
            kind == LOCK
            and existing.kind == LOCK
            and (existing.mentee_id == mentee_id or existing.mentor_id == mentor_id)
        ):
            _remove(existing, by, now)
    constraint = MatchingConstraint(
        session_id=session.id,
        kind=kind,
        mentee_id=mentee_id,
        mentor_id=mentor_id,
        by_user_id=getattr(by, "id", None),
        at=now,
    )
    db.session.add(constraint)
    db.session.flush()
    return constraint


#: How many other mentors the page lists for each mentee.
ALTERNATIVES = 3


@dataclass(frozen=True)
class Run:
    """One run of a session: the pool, the constraints that applied and the suggestion."""

    pool: Pool
    settings: Settings
    today: date
    constraints: tuple[MatchingConstraint, ...]
    suggestion: Suggestion


def run_session(session: MatchingSession, tenant: Tenant, pool: Pool | None = None) -> Run:
    """Suggest the best set of duos for the pool, keeping the session's locks and exclusions.

    Locks naming someone who has left the pool (their duo was accepted) are simply not
    passed on: they are done, not broken.
    """
    pool = pool or load_pool(tenant)
    settings = Settings.of(tenant)
    today = branch_today(tenant)
    constraints = tuple(active_constraints(session)) if session.is_open else ()
    locks = {
        c.pair
        for c in constraints
        if c.kind == LOCK and pool.has_mentee(c.mentee_id) and pool.has_mentor(c.mentor_id)
    }
    exclusions = {c.pair for c in constraints if c.kind == EXCLUDE}
    suggestion = suggest(
        pool.mentee_profiles.values(),
        pool.mentor_profiles.values(),
        weights=settings.weights,
        working_languages=settings.working_languages,
        today=today,
        waiting_bonus_per_week=settings.waiting_bonus_per_week,
        max_waiting_bonus=settings.max_waiting_bonus,
        locks=locks,
        exclusions=exclusions,
        declined=pool.declined,
        alternatives=ALTERNATIVES,
    )
    return Run(pool, settings, today, constraints, suggestion)


def accept(
    session: MatchingSession,
    pairs: Sequence[Pair],
    tenant: Tenant,
    *,
    by: object | None = None,
    suggested: Iterable[Pair] = (),
) -> list[Duo]:
    """Accept pairs as duos (state *proposed*); all or nothing.

    Every pair is checked against the pool as it is now before anything is written; any
    problem raises :class:`MatchingError` with every reason (the caller rolls back what a
    race may have let through: the transaction then holds no duo). ``suggested`` are the pairs the
    coordinator was shown as the suggestion: whether each accepted pair was one of them is
    kept in the duo's history with its score.
    """
    if not session.is_open:
        raise MatchingError([_("This matching session is closed.")])
    if not pairs:
        raise MatchingError([_("Choose at least one duo to accept.")])
    pool = load_pool(tenant)
    settings = Settings.of(tenant)
    problems = pair_problems(pairs, pool, settings, active_constraints(session))
    if problems:
        raise MatchingError(problems)
    suggested_set = set(suggested)
    duos = []
    for mentee_id, mentor_id in pairs:
        score = score_pair(
            pool.mentee_profiles[mentee_id],
            pool.mentor_profiles[mentor_id],
            settings.weights,
            settings.working_languages,
        )
        details = {
            "score": round(score.total, 2),
            "max_score": round(score.max_total, 2),
            "suggested": (mentee_id, mentor_id) in suggested_set,
            "waiting_since": pool.waiting_since[mentee_id].isoformat(),
        }
        try:
            duo = lifecycle.propose(
                pool.people[mentee_id],
                pool.people[mentor_id],
                by=by,
                details=details,
                matching_session_id=session.id,
            )
        except lifecycle.InvalidDuoTransition as exc:  # checked above; a race got there first
            raise MatchingError([str(exc)]) from exc
        duos.append(duo)
    return duos
