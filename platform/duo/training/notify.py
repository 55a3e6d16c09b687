"""What participants are told, in their language: reminders, moves, cancellations, places.

Mails are rendered with :func:`duo.core.mail.render_mail` from ``training/mail/<kind>.txt``
(and ``.html``) in the participant's language, dates in the branch's time zone, and
written to the branch's mail outbox with :func:`duo.core.mail.queue_mail` in the caller's
transaction (a job's: the job and its mail commit together, so a retried job never mails
twice). Each mail carries the session as an ``.ics`` invitation (``REQUEST``, or
``CANCEL`` for a cancellation) with the UID the calendar feeds use, so a calendar app
updates the event it already has rather than adding a second one.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask_babel import force_locale
from flask_babel import gettext as _

from duo.core.calendar import invitation_attachment
from duo.core.mail import queue_mail, render_mail
from duo.core.tenancy.models import Tenant
from duo.people.models import Person
from duo.training.models import TrainingSession

REMINDER = "reminder"
MOVED = "moved"
CANCELLED = "cancelled"
PLACE = "place"
KINDS = (REMINDER, MOVED, CANCELLED, PLACE)


def when(starts_at: dt.datetime, ends_at: dt.datetime, timezone: str, locale: str) -> str:
    """A session's day and times in the locale, in the branch's zone (for mails)."""
    zone = ZoneInfo(timezone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    with force_locale(locale):
        return _(
            "%(date)s, %(start)s-%(end)s",
            date=format_date(start.date(), "full", locale=locale),
            start=format_time(start, "short", tzinfo=zone, locale=locale),
            end=format_time(end, "short", tzinfo=zone, locale=locale),
        )


def locale_of(person: Person, tenant: Tenant) -> str:
    return person.locale if person.locale in tenant.locales else tenant.default_locale


def invitation(
    session: TrainingSession, tenant: Tenant, person: Person, locale: str
) -> tuple[str, str, bytes]:
    """The session as an ``.ics`` attachment (filename, content type, bytes)."""
    from duo.training.feeds import session_event

    with force_locale(locale):
        event = session_event(session, session.cycle, tenant, locale)
        organizer = _("DUO for a JOB %(branch)s", branch=tenant.display_name(locale))
    sender, attendee = (tenant.contact_email, organizer), (person.email, person.full_name)
    return invitation_attachment("training.ics", event, tenant.timezone, sender, attendee)


def send(
    kind: str,
    tenant: Tenant,
    session: TrainingSession,
    person: Person,
    *,
    sessions: list[TrainingSession] | None = None,
) -> object:
    """Write the ``kind`` mail about ``session`` for ``person`` to the mail outbox."""
    from duo.training.feeds import session_title

    if kind not in KINDS:
        raise ValueError(f"unknown training mail {kind!r}")
    locale = locale_of(person, tenant)
    cycle = session.cycle
    with force_locale(locale):
        dates = [
            {
                "title": session_title(s, cycle, tenant, locale),
                "when": when(s.starts_at, s.ends_at, tenant.timezone, locale),
                "place": s.place,
            }
            for s in (sessions or [session])
        ]
        title = session_title(session, cycle, tenant, locale)
    mail = render_mail(
        f"training/mail/{kind}",
        locale,
        tenant=tenant,
        branch_name=tenant.display_name(locale),
        person=person,
        cycle=cycle,
        session=session,
        title=title,
        when=when(session.starts_at, session.ends_at, tenant.timezone, locale),
        place=session.place,
        dates=dates,
        contact_email=tenant.contact_email,
    )
    return queue_mail(
        person.email,
        mail.subject,
        mail.text,
        html=mail.html,
        attachments=[invitation(session, tenant, person, locale)],
        person=person,
        kind=f"training.{kind}",
    )
