"""Evaluation jobs: the survey when a duo ends, and the daily outcome follow-up.

When a duo ends (or stops after its start: see :func:`duo.evaluation.survey.open_for`),
its outcome asks are scheduled and both people get the survey by mail; a duo stopped before
its start (declined at the first meeting, never signed) gets neither. Every day
``evaluation.follow_up`` sends the asks that are due (a single-use link each), reminds once
after ``evaluation.reminder_after_days``, and marks an ask lost to follow-up after
``evaluation.lost_after_days`` (never a failure: an indicator leaves it out of its
denominator). Mails are keyed by the ask and the step, so nothing is sent twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from duo.core import links
from duo.core.db import db, utcnow
from duo.core.i18n import zones
from duo.core.jobs import enqueue, job
from duo.core.jobs.schedule import Periodic
from duo.core.mail import external_url, queue_mail, render_mail
from duo.core.tenancy.context import require_tenant_id
from duo.core.tenancy.directory import each_active_branch
from duo.core.tenancy.models import Tenant
from duo.duos import config, states
from duo.duos.models import Duo, DuoStateChange
from duo.evaluation import outcomes
from duo.evaluation.models import OutcomeAsk
from duo.evaluation.survey import open_for as survey_open_for
from duo.people.models import MENTEE, Person

SURVEY_JOB = "evaluation.survey"
ASK_JOB = "evaluation.ask"
FOLLOW_UP_JOB = "evaluation.follow_up"
SURVEY_PURPOSE = "evaluation"
OUTCOME_PURPOSE = "outcome"

#: The daily outcome follow-up (declared in ``evaluation/plugin.py``).
FOLLOW_UP = Periodic("evaluation-follow-up", FOLLOW_UP_JOB, timedelta(days=1))


def on_duo_step(duo: Duo, change: DuoStateChange) -> None:
    if change.to_state not in (states.ENDED, states.STOPPED) or not survey_open_for(duo):
        return
    tenant = db.session.get(Tenant, duo.tenant_id)
    outcomes.schedule(duo, tenant)
    enqueue(SURVEY_JOB, str(duo.id), dedupe_key=f"{SURVEY_JOB}:{duo.id}")


def _people(duo: Duo) -> dict[str, Person]:
    rows = db.session.execute(select(Person).where(Person.id.in_([duo.mentee_id, duo.mentor_id])))
    return {p.role: p for p in rows.scalars()}


def _mail(template: str, person: Person, tenant: Tenant, kind: str, **context: object) -> None:
    locale = config.person_locale(tenant, person)
    mail = render_mail(
        f"evaluation/mail/{template}",
        locale,
        person=person,
        is_mentee=person.role == MENTEE,
        branch_name=tenant.display_name(locale),
        contact_email=tenant.contact_email,
        **context,
    )
    queue_mail(person.email, mail.subject, mail.text, html=mail.html, person=person, kind=kind)


@job(SURVEY_JOB)
def survey(duo_id: str) -> str:
    duo = db.session.execute(select(Duo).where(Duo.id == uuid.UUID(duo_id))).scalar_one_or_none()
    if duo is None or not survey_open_for(duo):
        return "skipped"
    tenant = db.session.get(Tenant, require_tenant_id())
    for person in _people(duo).values():
        _link, token = links.issue(
            person.id, "duo", duo.id, SURVEY_PURPOSE,
            valid_for=config.link_validity(tenant), replace=False,
        )  # fmt: skip
        link = external_url("evaluation.survey_page", tenant=tenant.slug, token=token)
        _mail("survey", person, tenant, SURVEY_JOB, link=link)
    return "sent"


@job(ASK_JOB)
def ask(ask_id: str, step: str) -> str:
    """Send (``step`` "send") or remind (``step`` "remind") one outcome ask."""
    row = db.session.execute(
        select(OutcomeAsk).where(OutcomeAsk.id == uuid.UUID(ask_id))
    ).scalar_one_or_none()
    if row is None or row.answered_at is not None or row.lost_at is not None:
        return "skipped"
    tenant = db.session.get(Tenant, require_tenant_id())
    person = db.session.execute(select(Person).where(Person.id == row.person_id)).scalar_one()
    _link, token = links.issue(
        person.id, "outcome_ask", row.id, OUTCOME_PURPOSE,
        valid_for=config.link_validity(tenant), single_use=True, replace=False,
    )  # fmt: skip
    link = external_url("evaluation.outcome", tenant=tenant.slug, token=token)
    _mail("outcome", person, tenant, ASK_JOB, link=link, months=row.months_after,
          reminder=step == "remind")  # fmt: skip
    return "sent"


@job(FOLLOW_UP_JOB)
def follow_up(now_iso: str | None = None) -> int:
    now = datetime.fromisoformat(now_iso) if now_iso else utcnow()
    count = 0
    for tenant in each_active_branch():
        settings = tenant.config.get("evaluation") or {}
        plan = outcomes.due(
            zones.local_date(now, tenant.timezone),
            now,
            timedelta(days=int(settings.get("reminder_after_days", 7))),
            timedelta(days=int(settings.get("lost_after_days", 30))),
        )
        for row in plan["send"]:
            row.sent_at = now
            enqueue(ASK_JOB, str(row.id), "send", tenant_id=tenant.id,
                    dedupe_key=f"{ASK_JOB}:{row.id}:send")  # fmt: skip
            count += 1
        for row in plan["remind"]:
            row.reminded_at = now
            enqueue(ASK_JOB, str(row.id), "remind", tenant_id=tenant.id,
                    dedupe_key=f"{ASK_JOB}:{row.id}:remind")  # fmt: skip
            count += 1
        for row in plan["lost"]:
            row.lost_at = now
        db.session.flush()
    return count
