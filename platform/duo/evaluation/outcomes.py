"""Outcomes followed for a year: asks at the end and 3, 6, 12 months after, each sent once,
reminded once, and *lost to follow-up* when never answered."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, Select, and_, bindparam, select

from duo.core.db import db, utcnow
from duo.core.i18n import zones
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import BranchRead
from duo.core.validation import EARLIEST, text_error
from duo.duos import history
from duo.duos.lifecycle import InvalidDuoTransition, add_months
from duo.duos.models import Duo
from duo.evaluation.models import CONTRACTS, JOB, STATUSES, Outcome, OutcomeAsk

#: The follow-up points, in months after the end (kept up to ``follow_up_months``).
POINTS = (0, 3, 6, 12)

STATUS_LABELS = {
    "job": _l("a job"),
    "internship": _l("an internship"),
    "training": _l("a training or studies"),
    "looking": _l("still looking"),
    "other": _l("something else"),
}
CONTRACT_LABELS = {
    "permanent": _l("permanent contract"),
    "fixed_term": _l("fixed-term contract"),
    "temporary_agency": _l("temporary agency work"),
    "self_employed": _l("self-employed"),
    "other": _l("other contract"),
}


def schedule(duo: Duo, tenant: Tenant) -> list[OutcomeAsk]:
    """Create the asks of a duo that just ended (idempotent)."""
    months = int((tenant.config.get("programme") or {}).get("follow_up_months", 12))
    ended = zones.local_date(duo.ended_at or utcnow(), tenant.timezone)
    existing = {
        a.months_after
        for a in db.session.execute(select(OutcomeAsk).where(OutcomeAsk.duo_id == duo.id)).scalars()
    }
    made = []
    for point in POINTS:
        if point > months or point in existing:
            continue
        ask = OutcomeAsk(
            tenant_id=duo.tenant_id,
            duo_id=duo.id,
            person_id=duo.mentee_id,
            months_after=point,
            due_on=add_months(ended, point),
        )
        db.session.add(ask)
        made.append(ask)
    db.session.flush()
    return made


def due(today: date, now: datetime, remind_after: timedelta, lost_after: timedelta) -> dict:
    """What the daily job does now: asks to send, to remind, to mark lost."""
    asks = db.session.execute(
        select(OutcomeAsk).where(OutcomeAsk.answered_at.is_(None), OutcomeAsk.lost_at.is_(None))
    ).scalars()
    plan: dict[str, list[OutcomeAsk]] = {"send": [], "remind": [], "lost": []}
    for ask in asks:
        if ask.sent_at is None:
            if ask.due_on <= today:
                plan["send"].append(ask)
        elif ask.reminded_at is None and now - ask.sent_at >= remind_after:
            plan["remind"].append(ask)
        elif ask.reminded_at is not None and now - ask.sent_at >= lost_after:
            plan["lost"].append(ask)
    return plan


def record(
    ask: OutcomeAsk,
    duo: Duo,
    data: dict[str, Any],
    *,
    by: object | None = None,
) -> Outcome:
    """Record the mentee's answer to ``ask`` (through their link, or by a coordinator)."""
    if ask.answered_at is not None:
        raise InvalidDuoTransition(_("This question was already answered."))
    status = data.get("status")
    if status not in STATUSES:
        raise InvalidDuoTransition(_("Choose your situation."), "status")
    contract, hours, started = None, None, None
    if status == JOB:
        contract = data.get("contract_type")
        if contract not in CONTRACTS:
            raise InvalidDuoTransition(_("Choose the type of contract."), "contract_type")
        hours = data.get("hours_per_week")
        if not isinstance(hours, int) or not 1 <= hours <= 60:
            raise InvalidDuoTransition(_("Give the hours per week (1 to 60)."), "hours_per_week")
        started = data.get("job_started_on")
        if not isinstance(started, date) or not EARLIEST <= started <= utcnow().date():
            raise InvalidDuoTransition(_("Give the date the job started."), "job_started_on")
    note = (data.get("note") or "").strip()
    problem = text_error(note, multiline=True, max_length=2000)
    if problem:
        raise InvalidDuoTransition(problem, "note")
    outcome = Outcome(
        tenant_id=duo.tenant_id,
        duo_id=duo.id,
        person_id=ask.person_id,
        months_after=ask.months_after,
        status=status,
        contract_type=contract,
        hours_per_week=hours,
        job_started_on=started,
        note=note or None,
        recorded_at=utcnow(),
        recorded_by_user_id=getattr(by, "id", None),
        by_coordinator=by is not None,
    )
    db.session.add(outcome)
    ask.answered_at = outcome.recorded_at
    ask.lost_at = None
    history.record(
        duo, "outcome", by=by, person_id=None if by else ask.person_id, on_behalf=by is not None,
        details={"months_after": ask.months_after, "status": status},
    )  # fmt: skip
    db.session.flush()
    return outcome


def asks_of(duo: Duo) -> list[OutcomeAsk]:
    return list(
        db.session.execute(
            select(OutcomeAsk).where(OutcomeAsk.duo_id == duo.id).order_by(OutcomeAsk.months_after)
        ).scalars()
    )


def _followed() -> Select:
    return (
        select(
            OutcomeAsk.months_after,
            OutcomeAsk.due_on,
            OutcomeAsk.sent_at,
            OutcomeAsk.lost_at,
            Outcome.status,
            Outcome.contract_type,
            Outcome.hours_per_week,
            Outcome.job_started_on,
            Outcome.by_coordinator,
        )
        .outerjoin(
            Outcome,
            and_(
                Outcome.tenant_id == OutcomeAsk.tenant_id,
                Outcome.duo_id == OutcomeAsk.duo_id,
                Outcome.months_after == OutcomeAsk.months_after,
            ),
        )
        .where(OutcomeAsk.duo_id == bindparam("duo_id", type_=OutcomeAsk.duo_id.type))
        .order_by(OutcomeAsk.months_after)
    )


#: The duo page shows them on every visit: built once per branch.
_FOLLOWED = BranchRead(_followed)


def followed(duo: Duo) -> tuple[list[Row], dict[int, Row]]:
    """The asks of ``duo`` and the outcome answered to each (by months after the end),
    in one statement, as rows for the page: an outcome is recorded against its ask, one
    per point, so an ask's row carries its outcome's columns (``status`` None: none yet)."""
    rows = _FOLLOWED(duo_id=duo.id).all()
    return rows, {row.months_after: row for row in rows if row.status is not None}
