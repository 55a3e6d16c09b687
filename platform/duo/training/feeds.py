"""Secret calendar links: the branch's training calendar and each participant's own.

A link is ``/<branch>/training/calendar/<token>.ics``; calendar apps fetch it without a
login, so the token is the only key. It is 256 random bits, shown once when created, and
stored as its SHA-256 (a database leak does not open anyone's calendar). One active link
per branch and per person: creating a new one revokes the old, and a revoked link answers
404, like one that never existed. The lookup runs in the branch of the URL (the ORM filter
and row-level security), so a token of one branch opens nothing under another's URL.

What a feed holds:

- **branch**: every session of the branch from 180 days ago on, cancelled ones included
  (``STATUS:CANCELLED``: calendar apps only drop an imported event they see cancelled),
  titled in the language chosen when the link was made;
- **person**: the sessions the person has a place in, titled in the person's language;
  sessions of a place they gave up stay as cancelled, so their calendar is cleaned too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from flask import has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from duo.core.calendar import FeedEvent, build_calendar, stable_uid
from duo.core.db import db, utcnow
from duo.core.tenancy.models import Tenant
from duo.people.models import Person
from duo.training import curriculum
from duo.training.models import (
    BRANCH_FEED,
    CANCELLED,
    ENROLLED,
    PERSON_FEED,
    Enrolment,
    FeedToken,
    TrainingCycle,
    TrainingSession,
)

BRANCH_FEED_HISTORY = dt.timedelta(days=180)
#: ``last_used_at`` is written at most this often (calendar apps poll every hour or so).
USE_RESOLUTION = dt.timedelta(hours=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _issue(kind: str, locale: str, person: Person | None, by: object | None) -> tuple:
    token = secrets.token_urlsafe(32)
    row = FeedToken(
        kind=kind,
        person_id=getattr(person, "id", None),
        token_hash=hash_token(token),
        locale=locale,
        created_by_user_id=getattr(by, "id", None),
    )
    db.session.add(row)
    db.session.flush()
    return row, token


def active_tokens(kind: str, person: Person | None = None) -> list[FeedToken]:
    stmt = select(FeedToken).where(FeedToken.kind == kind, FeedToken.revoked_at.is_(None))
    if person is not None:
        stmt = stmt.where(FeedToken.person_id == person.id)
    return list(db.session.execute(stmt.order_by(FeedToken.created_at)).scalars())


def revoke(rows: Iterable[FeedToken]) -> int:
    now = utcnow()
    count = 0
    for row in rows:
        if row.revoked_at is None:
            row.revoked_at = now
            count += 1
    db.session.flush()
    return count


def issue_branch_token(locale: str, *, by: object | None = None) -> tuple[FeedToken, str]:
    """A new secret link to the branch's feed (the previous one stops working)."""
    revoke(active_tokens(BRANCH_FEED))
    return _issue(BRANCH_FEED, locale, None, by)


def issue_person_token(person: Person, *, by: object | None = None) -> tuple[FeedToken, str]:
    """A new personal link for ``person`` (their previous one stops working)."""
    revoke(active_tokens(PERSON_FEED, person))
    return _issue(PERSON_FEED, person.locale, person, by)


def find(token: str) -> FeedToken | None:
    """The active link for ``token`` in the current branch, or None."""
    if not token or len(token) > 100:
        return None
    stmt = select(FeedToken).where(
        FeedToken.token_hash == hash_token(token), FeedToken.revoked_at.is_(None)
    )
    row = db.session.execute(stmt).scalar_one_or_none()
    if row is not None and (
        row.last_used_at is None or utcnow() - row.last_used_at > USE_RESOLUTION
    ):
        row.last_used_at = utcnow()
    return row


# --------------------------------------------------------------------------- events


def session_title(session: TrainingSession, cycle: TrainingCycle, tenant: Tenant, locale: str):
    """What a session is called: its module's or workshop's title, else the cycle's."""
    item = curriculum.items(tenant.config).get(session.module_key or "")
    if item is None:
        return cycle.title
    return item.title(locale, tuple(tenant.locales))


def session_event(
    session: TrainingSession,
    cycle: TrainingCycle,
    tenant: Tenant,
    locale: str,
    *,
    cancelled: bool = False,
    with_url: bool = False,
) -> FeedEvent:
    title = session_title(session, cycle, tenant, locale)
    total = len(cycle.sessions)
    description = _(
        "%(cycle)s, session %(number)s of %(total)s",
        cycle=cycle.title,
        number=session.number,
        total=total,
    )
    if session.status == CANCELLED and session.cancel_reason:
        description += "\n" + _("Cancelled: %(reason)s", reason=session.cancel_reason)
    url = ""
    if with_url and has_request_context():
        url = url_for("training.cycle", cycle_id=cycle.id, _external=True)
    return FeedEvent(
        uid=stable_uid("training-session", session.id),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=title,
        description=description,
        location=session.place or "",
        url=url,
        cancelled=cancelled or session.status == CANCELLED,
        sequence=session.sequence,
    )


def _stamp(sessions: Iterable[TrainingSession], token: FeedToken) -> dt.datetime:
    """The latest change among the sessions: same feed, same bytes (ETag-friendly)."""
    stamps = [token.created_at]
    for s in sessions:
        stamps += [t for t in (s.cycle.created_at, s.moved_at, s.cancelled_at) if t]
    return max(stamps)


def branch_sessions(now: dt.datetime | None = None) -> list[TrainingSession]:
    since = (now or utcnow()) - BRANCH_FEED_HISTORY
    stmt = select(TrainingSession).where(TrainingSession.ends_at >= since)
    return list(db.session.execute(stmt.order_by(TrainingSession.starts_at)).scalars())


def person_sessions(person_id) -> list[tuple[TrainingSession, bool]]:
    """(session, cancelled for this person) for every session the person has or had a place in."""
    stmt = (
        select(TrainingSession, Enrolment)
        .join(
            Enrolment,
            and_(
                Enrolment.tenant_id == TrainingSession.tenant_id,
                Enrolment.cycle_id == TrainingSession.cycle_id,
                or_(Enrolment.session_id.is_(None), Enrolment.session_id == TrainingSession.id),
            ),
        )
        .where(
            Enrolment.person_id == person_id,
            # Places held now, and places held once (they come out as cancelled).
            or_(Enrolment.status == ENROLLED, Enrolment.enrolled_at.is_not(None)),
        )
    )
    found: dict = {}
    for session, enrolment in db.session.execute(stmt).all():
        gone = enrolment.status != ENROLLED
        # A place kept in the session (whole cycle or single) wins over one given up.
        found[session.id] = (session, found.get(session.id, (None, True))[1] and gone)
    return sorted(found.values(), key=lambda pair: pair[0].starts_at)


def feed_for(tenant: Tenant, token: FeedToken, now: dt.datetime | None = None) -> bytes:
    """The iCalendar bytes of the feed ``token`` opens."""
    if token.kind == PERSON_FEED:
        person = db.session.execute(
            select(Person).where(Person.id == token.person_id)
        ).scalar_one_or_none()
        locale = person.locale if person is not None else token.locale
        pairs = person_sessions(token.person_id) if person is not None else []
    else:
        locale = token.locale
        pairs = [(s, False) for s in branch_sessions(now)]
    with force_locale(locale):
        branch = tenant.display_name(locale)
        if token.kind == PERSON_FEED:
            name = _("DUO for a JOB %(branch)s: my training", branch=branch)
        else:
            name = _("DUO for a JOB %(branch)s: mentor training", branch=branch)
        events = [
            session_event(
                s, s.cycle, tenant, locale, cancelled=gone, with_url=token.kind == BRANCH_FEED
            )
            for s, gone in pairs
        ]
    return build_calendar(
        events,
        name=name,
        timezone=tenant.timezone,
        stamp=_stamp([s for s, _gone in pairs], token),
    )
