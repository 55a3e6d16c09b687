"""The mails of a duo's steps, each in its recipient's language, each with their link.

A personal link is issued when the mail is written (in the job, so the token exists only
in the mail): :func:`link_for` makes a fresh one for the person's "my duo" page. Older
links keep working until they expire or the coordinator revokes them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from duo.core import links
from duo.core.calendar import (
    FeedEvent,
    invitation_content_type,
    single_event_invitation,
    stable_uid,
)
from duo.core.mail import external_url, queue_mail, render_mail
from duo.core.tenancy.models import Tenant
from duo.duos import config, display
from duo.duos.models import Duo
from duo.people.models import MENTEE, Person

#: The object type and purpose of the "my duo" link.
OBJECT = "duo"
PURPOSE = "duo"


def link_for(
    duo: Duo,
    person: Person,
    tenant: Tenant,
    *,
    by: object | None = None,
    values: dict[str, str] | None = None,
) -> str:
    """A new personal link to ``person``'s page of ``duo`` (absolute URL); ``values`` go
    into its query string (the week a check-in mail asks about)."""
    _link, token = links.issue(
        person.id,
        OBJECT,
        duo.id,
        PURPOSE,
        valid_for=config.link_validity(tenant),
        by=by,
        replace=False,
    )
    return external_url("my_duo.page", tenant=tenant.slug, token=token, **(values or {}))


def render(template: str, person: Person, partner: Person, tenant: Tenant, **context: Any):
    """``duos/mail/<template>`` in ``person``'s language; the partner is named by first name."""
    locale = config.person_locale(tenant, person)
    return render_mail(
        f"duos/mail/{template}",
        locale,
        person=person,
        partner_first_name=partner.first_name,
        is_mentee=person.role == MENTEE,
        branch_name=tenant.display_name(locale),
        contact_email=tenant.contact_email,
        **context,
    )


def send(
    template: str,
    duo: Duo,
    person: Person,
    partner: Person,
    tenant: Tenant,
    *,
    kind: str,
    attachments: list[tuple[str, str, bytes]] | None = None,
    link_values: dict[str, str] | None = None,
    **context: Any,
) -> None:
    """Write one mail of ``duos/mail/<template>`` to ``person`` with their link."""
    locale = config.person_locale(tenant, person)
    mail = render(
        template,
        person,
        partner,
        tenant,
        link=link_for(duo, person, tenant, values=link_values),
        duo=duo,
        local=display.formatter(tenant, locale),
        **context,
    )
    queue_mail(
        person.email,
        mail.subject,
        mail.text,
        html=mail.html,
        attachments=attachments or (),
        person=person,
        kind=kind,
    )


def meeting_invitation(duo: Duo, person: Person, tenant: Tenant) -> tuple[str, str, bytes]:
    """The first meeting as an ``.ics`` (one UID per duo: planning again updates it)."""
    locale = config.person_locale(tenant, person)
    assert duo.first_meeting_at is not None
    with force_locale(locale):
        summary = _("DUO for a JOB: first meeting")
    event = FeedEvent(
        uid=stable_uid("duo-first-meeting", tenant.slug, duo.id),
        starts_at=duo.first_meeting_at,
        ends_at=duo.first_meeting_at + timedelta(hours=2),
        summary=summary,
        description=duo.first_meeting_video_url or "",
        location=duo.first_meeting_place or duo.first_meeting_video_url or "",
        url=duo.first_meeting_video_url or "",
        sequence=int(duo.first_meeting_at.timestamp()) % 100000,
    )
    try:
        data = single_event_invitation(
            event,
            organizer_email=tenant.contact_email,
            organizer_name=tenant.display_name(locale),
            attendee_email=person.email,
            attendee_name=person.full_name,
            timezone=tenant.timezone,
        )
    except ValueError:
        data = single_event_invitation(
            event, organizer_email=tenant.contact_email, timezone=tenant.timezone
        )
    return ("first-meeting.ics", invitation_content_type("REQUEST"), data)
