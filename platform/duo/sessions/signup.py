"""A candidate signs up for a session: the one path shared by the page and the API.

Everything happens in the caller's transaction, after the session row is locked, so that
two sign-ups for the last seat cannot both get it, and a double click finds the first
click's person and registration instead of creating new ones.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from duo.core.db import db, utcnow
from duo.core.i18n import sentences
from duo.core.tenancy.models import Tenant
from duo.people import pipeline, states
from duo.people.models import Person
from duo.privacy.consent import PRIVACY_NOTICE
from duo.privacy.consent import record as record_consent
from duo.sessions import notify
from duo.sessions.domain import SessionError, lock_session, seats_taken
from duo.sessions.models import (
    ACTIVE,
    FOR_MENTORS,
    REGISTERED,
    WAITLISTED,
    Registration,
)

#: Per address: slows scripts down without stopping a group that signs up together from one
#: office (a job coach with a dozen young jobseekers).
SIGNUP_LIMIT = "20 per minute;200 per hour"

#: History sentences of a sign-up, stored as codes and read in the reader's language.
SIGNED_UP = sentences.register(
    "sessions.signed_up",
    _l("Signed up for an information session."),
    legacy=("Signed up for an information session.",),
)
SIGNED_UP_AGAIN = sentences.register(
    "sessions.signed_up_again",
    _l("Signed up again for an information session."),
    legacy=("Signed up again for an information session.",),
)


_FULL = _l(
    "This session is full. Tick the box to join its waiting list, or choose another session."
)


@dataclass
class SignupRequest:
    """What the candidate entered, already checked field by field by the form or schema."""

    session_id: uuid.UUID
    role: str
    first_name: str
    last_name: str
    email: str
    locale: str
    consent: bool
    phone: str | None = None
    birth_year: int | None = None
    heard_from: str | None = None
    waitlist: bool = False


@dataclass(frozen=True)
class SignupResult:
    registration: Registration
    person: Person
    created: bool  # False when this was a repeat of an earlier sign-up
    #: What the visitor is told: for a repeat, what a new address would have been told
    #: (registered, or waitlisted when the session is full), never the stored state.
    answer: str | None = None

    @property
    def status(self) -> str:
        """The status the visitor is answered with (see :attr:`answer`)."""
        return self.answer or self.registration.status

    @property
    def waitlisted(self) -> bool:
        return self.registration.status == WAITLISTED


def find_person(email: str, role: str) -> Person | None:
    """The branch's person with this e-mail address (any case) and role, if any."""
    return db.session.execute(
        select(Person)
        .where(func.lower(Person.email) == email.strip().lower(), Person.role == role)
        .order_by(Person.created_at, Person.id)
        .limit(1)
    ).scalar_one_or_none()


def _session_for(req: SignupRequest, now: datetime):
    session = lock_session(req.session_id)
    if session is None:
        raise SessionError(_("Choose one of the sessions listed."), "session")
    if session.is_cancelled:
        raise SessionError(_("This session was cancelled. Please choose another one."), "session")
    if session.has_started(now):
        raise SessionError(
            _("This session has already taken place. Please choose another one."), "session"
        )
    if not session.accepts(req.role):
        message = (
            _("This session is for future mentors only.")
            if session.audience == FOR_MENTORS
            else _("This session is for future mentees only.")
        )
        raise SessionError(message, "session")
    return session


def sign_up(req: SignupRequest, *, tenant: Tenant, now: datetime | None = None) -> SignupResult:
    """Register (or waitlist) the candidate, record consent, queue the confirmation.

    Raises :class:`SessionError` for a session that cannot be chosen, or a full session
    when the candidate did not ask for the waiting list. Nothing is written then.
    """
    now = now or utcnow()
    if not req.consent:
        raise SessionError(_("Please agree to the privacy notice to sign up."), "consent")
    session = _session_for(req, now)
    person = find_person(req.email, req.role)
    existing = None
    if person is not None:
        existing = db.session.execute(
            select(Registration).where(
                Registration.session_id == session.id, Registration.person_id == person.id
            )
        ).scalar_one_or_none()
    full = seats_taken(session.id) >= session.capacity
    if existing is not None and existing.status in ACTIVE:
        # Answer exactly as for an address we do not know: otherwise anyone could learn
        # that a person signed up for a programme for young people with a migrant
        # background. Nothing changes; the person's own confirmation mail stays true.
        if full and not req.waitlist:
            raise SessionError(str(_FULL), "waitlist")
        answer = WAITLISTED if full else REGISTERED
        return SignupResult(existing, person, created=False, answer=answer)
    if full and not req.waitlist:
        raise SessionError(str(_FULL), "waitlist")
    if person is None:
        person = Person(
            role=req.role,
            first_name=req.first_name.strip(),
            last_name=req.last_name.strip(),
            email=req.email.strip(),
            phone=(req.phone or "").strip() or None,
            birth_year=req.birth_year,
            locale=req.locale,
        )
        pipeline.register(person, reason=sentences.encode(SIGNED_UP))
    else:
        if person.phone is None and req.phone:
            person.phone = req.phone.strip()
        if person.birth_year is None and req.birth_year:
            person.birth_year = req.birth_year
        person.locale = req.locale
        if person.state == states.WITHDRAWN:
            pipeline.transition(person, states.REGISTERED, reason=sentences.encode(SIGNED_UP_AGAIN))
    record_consent(person, PRIVACY_NOTICE, locale=req.locale)
    status = WAITLISTED if full else REGISTERED
    if existing is not None:  # cancelled earlier: the same row comes back, at the end of the line
        registration = existing
        registration.status = status
        registration.registered_at = now
        registration.cancelled_at = None
        registration.promoted_at = None
        registration.attended = None
        registration.heard_from = req.heard_from or registration.heard_from
    else:
        registration = Registration(
            session_id=session.id,
            person_id=person.id,
            status=status,
            heard_from=req.heard_from,
            registered_at=now,
        )
        db.session.add(registration)
    db.session.flush()
    notify.confirmation(registration, session=session, person=person, tenant=tenant)
    return SignupResult(registration, person, created=True)
