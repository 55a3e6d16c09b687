"""A matching session's lifecycle: opened on a local day, run on the pool, closed.

One session is open at a time per branch. A run suggests the best set of duos for the whole
pool, keeping the session's locks and exclusions; it is not stored (it is deterministic and
takes milliseconds), so the page runs it on every visit.

Functions flush, never commit; views call them inside the request's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from duo.core.auth.models import User
from duo.core.db import db, utcnow
from duo.core.tenancy.models import Tenant
from duo.matching.models import (
    CLOSED,
    EXCLUDE,
    LOCK,
    OPEN,
    MatchingConstraint,
    MatchingSession,
)
from duo.matching.pool import (
    MatchingError,
    Pool,
    Settings,
    branch_today,
    collector_paused,
    load_pool,
)
from duo.matching.solver import Suggestion, suggest


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
    """The session's locks and exclusions in force, with who decided each (one query)."""
    return list(
        db.session.execute(
            select(MatchingConstraint)
            .options(joinedload(MatchingConstraint.by).lazyload(User.roles))
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
    with collector_paused():  # as for the pool: all it makes stays alive for the page
        return _run_session(session, tenant, pool)


def _run_session(session: MatchingSession, tenant: Tenant, pool: Pool | None) -> Run:
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
