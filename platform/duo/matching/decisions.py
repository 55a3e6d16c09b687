"""The coordinator's decisions in a matching session: locks, exclusions, accepted duos.

* **Hard constraints** are the solver's (eligible, trained, free, a working language in
  common, not declined before) plus the session's locks and exclusions. Accepting checks
  every pair against the pool *as it is now*, so a suggestion that went stale (someone else
  accepted a duo with one of its people meanwhile) is refused with a message, and nothing is
  written unless every pair is valid.

Functions flush, never commit; views call them inside the request's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.tenancy.models import Tenant
from duo.duos import lifecycle
from duo.duos.models import Duo
from duo.matching.explain import unmatched_sentence
from duo.matching.models import (
    EXCLUDE,
    LOCK,
    MatchingConstraint,
    MatchingSession,
)
from duo.matching.pool import MatchingError, Pair, Pool, Settings, load_pool
from duo.matching.scoring import score_pair
from duo.matching.session import active_constraints
from duo.people.models import MENTEE, MENTOR, Person


def _remove(constraint: MatchingConstraint, by: object | None, now: datetime) -> None:
    constraint.removed_at = now
    constraint.removed_by_user_id = getattr(by, "id", None)


def remove_constraint(constraint: MatchingConstraint, *, by: object | None = None) -> None:
    _require_open(constraint.session)
    if constraint.removed_at is None:
        _remove(constraint, by, utcnow())
        db.session.flush()


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


def _not_both_in_pool(pool: Pool, mentee_id: uuid.UUID, mentor_id: uuid.UUID) -> list[str]:
    """Why the mentee or the mentor cannot be paired now; empty when both can."""
    reasons = (_not_in_pool(pool, mentee_id, MENTEE), _not_in_pool(pool, mentor_id, MENTOR))
    return [reason for reason in reasons if reason]


def _require_open(session: MatchingSession) -> None:
    """A decision is only taken in an open session."""
    if not session.is_open:
        raise MatchingError([_("This matching session is closed.")])


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
        missing = _not_both_in_pool(pool, mentee_id, mentor_id)
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
    _require_open(session)
    mentee_id, mentor_id = pair
    if kind == LOCK:
        problems = pair_problems([pair], pool, settings, for_lock=True)
    elif kind == EXCLUDE:
        problems = _not_both_in_pool(pool, mentee_id, mentor_id)
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
    _require_open(session)
    if not pairs:
        raise MatchingError([_("Choose at least one duo to accept.")])
    pool = load_pool(tenant)
    settings = Settings.of(tenant)
    problems = pair_problems(pairs, pool, settings, active_constraints(session))
    if problems:
        raise MatchingError(problems)
    suggested_set = set(suggested)
    # The pool names people; proposing a duo changes their state, so it takes the entities.
    ids = {person_id for pair in pairs for person_id in pair}
    people = {
        p.id: p for p in db.session.execute(select(Person).where(Person.id.in_(ids))).scalars()
    }
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
                people[mentee_id],
                people[mentor_id],
                by=by,
                details=details,
                matching_session_id=session.id,
            )
        except lifecycle.InvalidDuoTransition as exc:  # checked above; a race got there first
            raise MatchingError([str(exc)]) from exc
        duos.append(duo)
    return duos
