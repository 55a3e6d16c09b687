"""What follows a duo's steps, as jobs. Arguments are ids only.

:func:`duo.duos.lifecycle.transition` emits :data:`~duo.duos.lifecycle.TRANSITIONED` for
every step; the listener here (connected in ``duos/plugin.py``) enqueues a job in the same
transaction (so a step and its consequences are never out of step), and the job looks at
the duo as it is when it runs: a duo stopped meanwhile gets no "you have been matched" mail.

When a duo is proposed, mentor and mentee each get a mail in their language saying who
their partner is (first name only) and that the coordinator will plan the first meeting.
Then, each with the person's personal link: the invitation to the first meeting (with an
``.ics``; again when it is moved), "the duo will not go on" after a "no" (never saying
who), the request to sign once both said yes, and the signed agreement (PDF) at the start.
A job keyed by the step it follows runs once; re-running one changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from duo.core.auth.models import User
from duo.core.db import db, utcnow
from duo.core.i18n import zones
from duo.core.jobs import enqueue, job
from duo.core.jobs.schedule import Periodic
from duo.core.mail import queue_mail, render_mail
from duo.core.tenancy.context import require_tenant_id
from duo.core.tenancy.directory import each_active_branch
from duo.core.tenancy.models import Tenant
from duo.duos import accompaniment, config, health, lifecycle, notify, pdf, states
from duo.duos.models import Duo, DuoStateChange
from duo.people.models import Person

PROPOSED_JOB = "duos.proposed"
INVITE_JOB = "duos.invite"
DECLINED_JOB = "duos.declined"
SIGN_JOB = "duos.sign_request"
STARTED_JOB = "duos.started"
FRESH_LINK_JOB = "duos.fresh_link"
HEALTH_JOB = "duos.health"
DIGEST_JOB = "duos.digest"
CHECK_IN_JOB = "duos.check_in_reminder"

#: The daily duo health check (declared in ``duos/plugin.py``).
HEALTH = Periodic("duos-health", HEALTH_JOB, timedelta(days=1))


def enqueue_consequences(duo: Duo, change: DuoStateChange) -> None:
    if change.to_state == states.PROPOSED:
        enqueue(PROPOSED_JOB, str(duo.id), dedupe_key=f"{PROPOSED_JOB}:{duo.id}")
    elif change.to_state == states.STOPPED and duo.declined_by is not None:
        enqueue(DECLINED_JOB, str(duo.id), dedupe_key=f"{DECLINED_JOB}:{duo.id}")
    elif change.to_state == states.CONFIRMED:
        enqueue(SIGN_JOB, str(duo.id), dedupe_key=f"{SIGN_JOB}:{duo.id}")
    elif change.to_state == states.ACTIVE:
        enqueue(STARTED_JOB, str(duo.id), dedupe_key=f"{STARTED_JOB}:{duo.id}")


@lifecycle.on_event
def _enqueue_event(duo: Duo, kind: str) -> None:
    if kind == "first_meeting_planned" and duo.first_meeting_at is not None:
        moment = _utc_iso(duo.first_meeting_at)
        enqueue(INVITE_JOB, str(duo.id), moment, dedupe_key=f"{INVITE_JOB}:{duo.id}:{moment}")


def _utc_iso(moment: datetime) -> str:
    """A moment as the same text whatever zone it was given or read back in."""
    if moment.tzinfo is None:  # SQLite may hand back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def request_fresh_link(duo: Duo, person_id: uuid.UUID, link_id: uuid.UUID) -> None:
    """Mail ``person_id`` a new link (the old ones were revoked by the caller)."""
    enqueue(
        FRESH_LINK_JOB,
        str(duo.id),
        str(person_id),
        dedupe_key=f"{FRESH_LINK_JOB}:{duo.id}:{person_id}:{link_id}",
    )


def _context(duo_id: str) -> tuple[Duo, Tenant, Person, Person] | None:
    duo = db.session.execute(select(Duo).where(Duo.id == uuid.UUID(duo_id))).scalar_one_or_none()
    if duo is None:
        return None
    people = {
        p.id: p
        for p in db.session.execute(
            select(Person).where(Person.id.in_([duo.mentee_id, duo.mentor_id]))
        ).scalars()
    }
    tenant = db.session.get(Tenant, require_tenant_id())
    return duo, tenant, people[duo.mentee_id], people[duo.mentor_id]


def _context_in(duo_id: str, state: str) -> tuple[Duo, Tenant, Person, Person] | None:
    """The duo's context while it is still in ``state``: a job queued for a step the duo
    has since left has nothing to do."""
    found = _context(duo_id)
    return found if found is not None and found[0].state == state else None


def _addressed(
    found: tuple[Duo, Tenant, Person, Person] | None, person_id: str
) -> tuple[Duo, Person, Person, Tenant] | None:
    """A mail to one of the duo: the duo, that person, their partner and the branch, in
    ``notify.send``'s order; None when ``person_id`` is no longer one of the duo."""
    if found is None:
        return None
    duo, tenant, mentee, mentor = found
    for person, partner in ((mentee, mentor), (mentor, mentee)):
        if str(person.id) == person_id:
            return duo, person, partner, tenant
    return None


def _send_both(
    found: tuple[Duo, Tenant, Person, Person],
    template: str,
    kind: str,
    attachments: list[tuple[str, str, bytes]] | None = None,
) -> str:
    """The same step's mail to mentee and mentor, each with their own link."""
    duo, tenant, mentee, mentor = found
    for person, partner in ((mentee, mentor), (mentor, mentee)):
        notify.send(template, duo, person, partner, tenant, kind=kind, attachments=attachments)
    return "sent"


@job(INVITE_JOB)
def invite(duo_id: str, moment: str) -> str:
    """The first-meeting invitation, unless the meeting moved or the duo moved on."""
    found = _context_in(duo_id, states.FIRST_MEETING)
    if found is None or found[0].first_meeting_at is None:
        return "skipped"
    duo, tenant, mentee, mentor = found
    if _utc_iso(duo.first_meeting_at) != moment:
        return "skipped"  # planned again since: that invitation follows
    for person, partner in ((mentee, mentor), (mentor, mentee)):
        ics = notify.meeting_invitation(duo, person, tenant)
        notify.send(
            "first_meeting", duo, person, partner, tenant, kind=INVITE_JOB, attachments=[ics]
        )
    return "sent"


@job(DECLINED_JOB)
def declined(duo_id: str) -> str:
    """Both are told the duo will not go on; the mail is the same whoever said no."""
    found = _context(duo_id)
    if found is None:
        return "skipped"
    return _send_both(found, "declined", DECLINED_JOB)


@job(SIGN_JOB)
def sign_request(duo_id: str) -> str:
    found = _context_in(duo_id, states.CONFIRMED)
    if found is None:
        return "skipped"
    return _send_both(found, "sign", SIGN_JOB)


@job(STARTED_JOB)
def started(duo_id: str) -> str:
    """Render the signed agreement, keep it with the duo, and send it to both."""
    found = _context(duo_id)
    if found is None or found[0].started_at is None:
        return "skipped"
    duo, tenant, _mentee, _mentor = found
    doc = pdf.store(duo, tenant)
    return _send_both(
        found, "started", STARTED_JOB, attachments=[(doc.filename, doc.content_type, doc.content)]
    )


@job(FRESH_LINK_JOB)
def fresh_link(duo_id: str, person_id: str) -> str:
    addressed = _addressed(_context(duo_id), person_id)
    if addressed is None:
        return "skipped"
    notify.send("fresh_link", *addressed, kind=FRESH_LINK_JOB)
    return "sent"


@job(PROPOSED_JOB)
def proposed(duo_id: str) -> str:
    """Tell mentor and mentee they were matched, unless the duo has moved on since."""
    found = _context_in(duo_id, states.PROPOSED)
    if found is None:
        return "skipped"
    _duo, tenant, mentee, mentor = found
    for person, partner in ((mentee, mentor), (mentor, mentee)):
        mail = notify.render("proposed", person, partner, tenant)
        queue_mail(
            person.email, mail.subject, mail.text, html=mail.html, person=person, kind=PROPOSED_JOB
        )
    return "sent"


# --------------------------------------------------------------------------- daily


@job(HEALTH_JOB)
def daily(now_iso: str | None = None) -> int:
    """Every active branch: raise and clear duo alerts, one digest per coordinator, and
    this week's check-in requests. Returns the number of alerts raised."""
    now = datetime.fromisoformat(now_iso) if now_iso else utcnow()
    total = 0
    for tenant in each_active_branch():
        raised, _cleared = health.check(tenant, now)
        total += raised
        day = zones.local_date(now, tenant.timezone).isoformat()
        if health.open_alerts():
            for user in health.coordinators(tenant):
                enqueue(
                    DIGEST_JOB,
                    str(user.id),
                    day,
                    tenant_id=tenant.id,
                    dedupe_key=f"{DIGEST_JOB}:{tenant.id}:{user.id}:{day}",
                )
        _request_check_ins(tenant)
    return total


def _request_check_ins(tenant: Tenant) -> None:
    """Ask about the week just ended (its Monday travels with the mail's link), once per
    person and week, for every running duo that was already running that week."""
    last = accompaniment.last_week(tenant)
    week = last.isoformat()
    for duo in db.session.execute(select(Duo).where(Duo.state == states.ACTIVE)).scalars():
        if last not in accompaniment.open_weeks(duo, tenant):
            continue
        parties = ["mentor"] + (["mentee"] if config.setting(tenant, "mentee_check_in") else [])
        for party in parties:
            person_id = duo.mentor_id if party == "mentor" else duo.mentee_id
            enqueue(
                CHECK_IN_JOB,
                str(duo.id),
                str(person_id),
                week,
                tenant_id=tenant.id,
                dedupe_key=f"{CHECK_IN_JOB}:{duo.id}:{person_id}:{week}",
            )


@job(CHECK_IN_JOB)
def check_in_reminder(duo_id: str, person_id: str, week: str) -> str:
    addressed = _addressed(_context_in(duo_id, states.ACTIVE), person_id)
    if addressed is None:
        return "skipped"
    duo, person, partner, tenant = addressed
    asked = date.fromisoformat(week)
    if asked not in accompaniment.open_weeks(duo, tenant):
        return "skipped"  # the week closed before the mail could go
    notify.send(
        "check_in", duo, person, partner, tenant, kind=CHECK_IN_JOB, week=asked,
        link_values={"week": week},
    )  # fmt: skip
    return "sent"


@job(DIGEST_JOB)
def digest(user_id: str, day: str) -> str:
    """One mail to one coordinator: the branch's open alerts, most urgent first."""
    tenant = db.session.get(Tenant, require_tenant_id())
    user = db.session.get(User, int(user_id))
    alerts = health.open_alerts()
    if user is None or not user.active or not user.coordinates(tenant.id) or not alerts:
        return "skipped"
    duos = {
        d.id: d
        for d in db.session.execute(
            select(Duo).where(Duo.id.in_([a.duo_id for a in alerts]))
        ).scalars()
    }
    people = {
        p.id: p
        for p in db.session.execute(
            select(Person).where(
                Person.id.in_([x for d in duos.values() for x in (d.mentee_id, d.mentor_id)])
            )
        ).scalars()
    }
    locale = user.locale if user.locale in tenant.locales else tenant.default_locale
    lines = sorted(
        (
            health.KINDS[a.kind][1],
            a.kind,
            people[duos[a.duo_id].mentee_id].full_name,
            people[duos[a.duo_id].mentor_id].full_name,
            notify.external_url("duos.detail", tenant=tenant.slug, duo_id=a.duo_id),
        )
        for a in alerts
        if a.duo_id in duos
    )
    mail = render_mail(
        "duos/mail/digest",
        locale,
        user=user,
        lines=lines,
        kinds=health.KINDS,
        branch_name=tenant.display_name(locale),
        day=day,
    )
    queue_mail(user.email, mail.subject, mail.text, html=mail.html, kind=DIGEST_JOB)
    return "sent"
