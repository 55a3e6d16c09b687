"""What follows a duo's steps, as jobs. Arguments are ids only.

:func:`duo.duos.lifecycle.transition` emits :data:`~duo.duos.lifecycle.TRANSITIONED` for
every step; the listener here (connected in ``duos/plugin.py``) enqueues a job in the same
transaction (so a step and its consequences are never out of step), and the job looks at
the duo as it is when it runs: a duo stopped meanwhile gets no "you have been matched" mail.

For now one step has a consequence outside the platform: when a duo is proposed, mentor and
mentee each get a mail in their language saying who their partner is (first name only) and
that the coordinator will plan the first meeting with them.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from duo.core.db import db
from duo.core.jobs import enqueue, job
from duo.core.mail import queue_mail, render_mail
from duo.core.tenancy.context import require_tenant_id
from duo.core.tenancy.models import Tenant
from duo.duos import states
from duo.duos.models import Duo, DuoStateChange
from duo.people.models import MENTEE, Person

PROPOSED_JOB = "duos.proposed"


def enqueue_consequences(duo: Duo, change: DuoStateChange) -> None:
    if change.to_state == states.PROPOSED:
        enqueue(PROPOSED_JOB, str(duo.id), dedupe_key=f"{PROPOSED_JOB}:{duo.id}")


def _mail_proposed(person: Person, partner: Person, tenant: Tenant) -> None:
    locale = person.locale if person.locale in tenant.locales else tenant.default_locale
    mail = render_mail(
        "duos/mail/proposed",
        locale,
        person=person,
        partner_first_name=partner.first_name,
        is_mentee=person.role == MENTEE,
        branch_name=tenant.display_name(locale),
        contact_email=tenant.contact_email,
    )
    queue_mail(
        person.email, mail.subject, mail.text, html=mail.html, person=person, kind=PROPOSED_JOB
    )


@job(PROPOSED_JOB)
def proposed(duo_id: str) -> str:
    """Tell mentor and mentee they were matched, unless the duo has moved on since."""
    duo = db.session.execute(select(Duo).where(Duo.id == uuid.UUID(duo_id))).scalar_one_or_none()
    if duo is None or duo.state != states.PROPOSED:
        return "skipped"
    people = {
        p.id: p
        for p in db.session.execute(
            select(Person).where(Person.id.in_([duo.mentee_id, duo.mentor_id]))
        ).scalars()
    }
    tenant = db.session.get(Tenant, require_tenant_id())
    mentee, mentor = people[duo.mentee_id], people[duo.mentor_id]
    _mail_proposed(mentee, mentor, tenant)
    _mail_proposed(mentor, mentee, tenant)
    return "sent"
