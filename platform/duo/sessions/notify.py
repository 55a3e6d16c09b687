"""The mails about a registration, written in the person's language.

The confirmation is written in the sign-up's own transaction (the candidate is waiting
for it); promotions, changes and cancellations are written by jobs (``jobs.py``). Each
mail with a seat carries the session as an ``.ics`` invitation whose UID is the
session's, so a change or a cancellation updates the event already in the calendar.
"""

from __future__ import annotations

from flask_babel import force_locale

from duo.core.calendar import (
    FeedEvent,
    invitation_attachment,
    stable_uid,
)
from duo.core.mail import external_url, queue_mail, render_mail
from duo.core.tenancy.models import Tenant
from duo.people.models import Person
from duo.sessions import display
from duo.sessions.models import REGISTERED, InfoSession, Registration
from duo.sessions.tokens import make_token


def cancel_url(reg: Registration, tenant: Tenant) -> str:
    return external_url(
        "join.registration", tenant=tenant.slug, token=make_token(tenant.id, reg.id)
    )


def invitation(
    session: InfoSession, tenant: Tenant, person: Person, locale: str, link: str
) -> tuple[str, str, bytes]:
    """The ``.ics`` attachment (filename, content type, bytes) for one person."""
    with force_locale(locale):
        summary = display.title_text(tenant, locale)
        organizer = display.organizer_text(tenant, locale)
        description = "\n\n".join(
            part
            for part in (
                session.details or "",
                display.when_text(session, tenant, locale),
                link,
            )
            if part
        )
    event = FeedEvent(
        uid=stable_uid("info-session", tenant.slug, session.id),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=summary,
        description=description,
        location=session.place or session.online_url or "",
        url=session.online_url or "",
        cancelled=session.is_cancelled,
        sequence=session.sequence,
    )
    sender, attendee = (tenant.contact_email, organizer), (person.email, person.full_name)
    return invitation_attachment("invitation.ics", event, tenant.timezone, sender, attendee)


def _send(
    kind: str,
    template: str,
    reg: Registration,
    session: InfoSession,
    person: Person,
    tenant: Tenant,
    *,
    with_invitation: bool,
) -> None:
    locale = person.locale if person.locale in tenant.locales else tenant.default_locale
    link = cancel_url(reg, tenant)
    has_seat = reg.status == REGISTERED
    context = {
        "tenant": tenant,
        "branch_name": tenant.display_name(locale),
        "person": person,
        "session": session,
        "registration": reg,
        "has_seat": has_seat,
        "when": display.when_text(session, tenant, locale),
        "where": display.where_text(session),
        "language": display.language_name(session.language, locale),
        "cancel_url": link,
        "join_url": external_url("join.join", tenant=tenant.slug),
        "contact_email": tenant.contact_email,
    }
    mail = render_mail(f"sessions/mail/{template}", locale, **context)
    attachments = [invitation(session, tenant, person, locale, link)] if with_invitation else []
    queue_mail(
        person.email,
        mail.subject,
        mail.text,
        html=mail.html,
        attachments=attachments,
        person=person,
        kind=kind,
    )


def confirmation(
    reg: Registration, *, session: InfoSession, person: Person, tenant: Tenant
) -> None:
    """Registered (with the invitation) or on the waiting list (no invitation yet)."""
    _send(
        "sessions.confirmation",
        "confirmation",
        reg,
        session,
        person,
        tenant,
        with_invitation=reg.status == REGISTERED,
    )


def promoted(reg: Registration, *, session: InfoSession, person: Person, tenant: Tenant) -> None:
    _send("sessions.promoted", "promoted", reg, session, person, tenant, with_invitation=True)


def changed(reg: Registration, *, session: InfoSession, person: Person, tenant: Tenant) -> None:
    _send(
        "sessions.changed",
        "changed",
        reg,
        session,
        person,
        tenant,
        with_invitation=reg.status == REGISTERED,
    )


def session_cancelled(
    reg: Registration, *, session: InfoSession, person: Person, tenant: Tenant
) -> None:
    """The session is off; those who had a seat get a CANCEL for their calendar."""
    _send(
        "sessions.cancelled",
        "cancelled",
        reg,
        session,
        person,
        tenant,
        with_invitation=reg.status == REGISTERED,
    )
