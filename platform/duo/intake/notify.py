"""What the candidate is told about their intake, in their language, with an ``.ics``.

Mails are written by the jobs (:mod:`duo.intake.jobs`), so the personal link's token
exists only in the mail; :func:`duo.core.mail.queue_mail` keys each mail by the job, so a
job run twice mails once. The invitation, the move notice and the reminder carry the
appointment as ``METHOD:REQUEST`` (one UID per appointment, its ``sequence``), the
cancellation as ``METHOD:CANCEL``: a calendar app updates or removes the event it holds.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from duo.core.auth.models import User
from duo.core.calendar import FeedEvent, invitation_attachment, stable_uid
from duo.core.db import db
from duo.core.i18n import formatting
from duo.core.mail import external_url, queue_mail, render_mail
from duo.core.tenancy.models import Tenant
from duo.intake import appointments
from duo.intake.models import IntakeAppointment
from duo.people.models import Person

KINDS = (
    appointments.INVITED,
    appointments.MOVED,
    appointments.CANCELLED_NOTICE,
    appointments.REMINDER,
)


def locale_of(person: Person, tenant: Tenant) -> str:
    return person.locale if person.locale in tenant.locales else tenant.default_locale


def when(appointment: IntakeAppointment, tenant: Tenant, locale: str) -> str:
    """The day and times of the intake in ``locale``, in the branch's zone."""
    shown = {
        "locale": formatting.regional_locale(locale, tenant.country),
        "zone": tenant.timezone,
    }
    ends_at = appointment.starts_at + dt.timedelta(minutes=appointment.minutes)
    with force_locale(locale):
        return _(
            "%(date)s, %(start)s-%(end)s",
            date=formatting.format_date(appointment.starts_at, "full", **shown),
            start=formatting.format_time(appointment.starts_at, **shown),
            end=formatting.format_time(ends_at, **shown),
        )


def event(appointment: IntakeAppointment, tenant: Tenant, locale: str, link: str = "") -> FeedEvent:
    with force_locale(locale):
        summary = _("DUO for a JOB: your intake interview")
    return FeedEvent(
        uid=stable_uid("intake", tenant.slug, appointment.id),
        starts_at=appointment.starts_at,
        ends_at=appointment.starts_at + dt.timedelta(minutes=appointment.minutes),
        summary=summary,
        description=appointment.video_url or "",
        location=appointment.place or appointment.video_url or "",
        url=link or appointment.video_url or "",
        cancelled=appointment.status == "cancelled",
        sequence=appointment.sequence,
    )


def coordinator_name(appointment: IntakeAppointment) -> str | None:
    if appointment.coordinator_user_id is None:
        return None
    return db.session.execute(
        select(User.name).where(User.id == appointment.coordinator_user_id)
    ).scalar_one_or_none()


def send(kind: str, appointment: IntakeAppointment, tenant: Tenant) -> object:
    """Write the ``kind`` mail about ``appointment`` to its candidate."""
    if kind not in KINDS:
        raise ValueError(f"unknown intake mail {kind!r}")
    person = appointment.person
    locale = locale_of(person, tenant)
    link = ""
    if kind in (appointments.INVITED, appointments.MOVED):
        token = appointments.link_for(appointment)
        link = external_url("my_intake.page", tenant=tenant.slug, token=token)
    mail = render_mail(
        f"intake/mail/{kind}",
        locale,
        tenant=tenant,
        person=person,
        appointment=appointment,
        when=when(appointment, tenant, locale),
        coordinator=coordinator_name(appointment),
        branch_name=tenant.display_name(locale),
        contact_email=tenant.contact_email,
        link=link,
    )
    with force_locale(locale):
        organizer = _("DUO for a JOB %(branch)s", branch=tenant.display_name(locale))
    attachment = invitation_attachment(
        "intake.ics",
        event(appointment, tenant, locale, link),
        tenant.timezone,
        (tenant.contact_email, organizer),
        (person.email, person.full_name),
    )
    return queue_mail(
        person.email,
        mail.subject,
        mail.text,
        html=mail.html,
        attachments=[attachment],
        person=person,
        kind=f"intake.{kind}",
    )
