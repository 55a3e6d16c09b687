"""Duo health: a daily job raises each alert once, clears it when resolved, and mails each
coordinator one digest a day; the dashboard shows the open alerts as ranked to-dos.

The alerts (urgency: lower is more urgent):

=====================  ==============================================================
``concern``            a check-in asked the coordinator to get in touch, and no
                       coordinator check-in came after it
``past_end``           active past its planned end, not ended
``no_meeting``         active, no meeting logged for ``programme.meeting_interval_days``
                       x 2 (counted from the start when there was none)
``decision_pending``   first meeting held more than ``duos.decision_pending_days`` ago,
                       a decision still missing
``signature_pending``  confirmed more than ``duos.signature_pending_days`` ago, not signed
``evaluation_overdue`` ended more than ``duos.evaluation_due_days`` ago, not evaluated
``ending_soon``        active, the planned end within three weeks
=====================  ==============================================================

Idempotent: an open alert is one row per duo and kind (a partial unique index), so a
second run the same day raises nothing; the digest is an outbox job keyed by branch,
coordinator and local day, so it is written once whatever happens.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from duo.core.auth.models import COORDINATOR, RoleGrant, User
from duo.core.db import db, utcnow
from duo.core.i18n import zones
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import BranchRead
from duo.duos import config, states
from duo.duos.models import Duo, DuoAlert, DuoCheckIn, DuoDecision

KINDS = {
    "concern": (_l("a mentor or mentee asked to be contacted"), 5),
    "past_end": (_l("past the planned end, not ended"), 10),
    "no_meeting": (_l("no meeting logged for two periods"), 15),
    "decision_pending": (_l("decision after the first meeting pending"), 20),
    "signature_pending": (_l("agreement not signed yet"), 25),
    "evaluation_overdue": (_l("evaluation overdue"), 30),
    "ending_soon": (_l("ends within three weeks"), 40),
}


def _days(tenant: Tenant, key: str) -> timedelta:
    return timedelta(days=int(config.setting(tenant, key)))


def conditions(duo: Duo, tenant: Tenant, now: datetime, rows: list[DuoCheckIn],
               decided: set[str]) -> set[str]:  # fmt: skip
    """The alert kinds that hold for ``duo`` at ``now``."""
    found: set[str] = set()
    today = zones.local_date(now, tenant.timezone)
    if duo.state == states.ACTIVE and duo.started_at is not None:
        interval = int(config.programme(tenant, "meeting_interval_days", 7))
        met = [r.at for r in rows if r.met]
        since = max(met) if met else duo.started_at
        if now - since > timedelta(days=interval * 2):
            found.add("no_meeting")
        if duo.ends_on is not None:
            if today > duo.ends_on:
                found.add("past_end")
            elif duo.ends_on - today <= timedelta(weeks=3):
                found.add("ending_soon")
    if duo.state in (states.ACTIVE, states.ENDED):
        concerns = [r.at for r in rows if r.contact_me]
        answered = [r.at for r in rows if r.by_user_id is not None]
        if concerns and (not answered or max(answered) < max(concerns)):
            found.add("concern")
    if (
        duo.state == states.FIRST_MEETING
        and duo.first_meeting_at is not None
        and now - duo.first_meeting_at > _days(tenant, "decision_pending_days")
        and decided != {"mentee", "mentor"}
    ):
        found.add("decision_pending")
    if duo.state == states.CONFIRMED and now - duo.state_changed_at > _days(
        tenant, "signature_pending_days"
    ):
        found.add("signature_pending")
    if duo.state == states.ENDED and now - duo.state_changed_at > _days(
        tenant, "evaluation_due_days"
    ):
        found.add("evaluation_overdue")
    return found


def check(tenant: Tenant, now: datetime | None = None) -> tuple[int, int]:
    """Raise and clear the alerts of the current branch; returns (raised, cleared)."""
    now = now or utcnow()
    watched = (states.FIRST_MEETING, states.CONFIRMED, states.ACTIVE, states.ENDED)
    duos = list(db.session.execute(select(Duo).where(Duo.state.in_(watched))).scalars())
    ids = [d.id for d in duos]
    rows: dict = {}
    for row in db.session.execute(select(DuoCheckIn).where(DuoCheckIn.duo_id.in_(ids))).scalars():
        rows.setdefault(row.duo_id, []).append(row)
    decided: dict = {}
    for duo_id, party in db.session.execute(
        select(DuoDecision.duo_id, DuoDecision.party).where(DuoDecision.duo_id.in_(ids))
    ):
        decided.setdefault(duo_id, set()).add(party)
    open_alerts = {
        (a.duo_id, a.kind): a
        for a in db.session.execute(select(DuoAlert).where(DuoAlert.cleared_at.is_(None))).scalars()
    }
    wanted = {
        (duo.id, kind)
        for duo in duos
        for kind in conditions(duo, tenant, now, rows.get(duo.id, []), decided.get(duo.id, set()))
    }
    raised = 0
    for duo_id, kind in sorted(wanted - set(open_alerts), key=str):
        db.session.add(DuoAlert(tenant_id=tenant.id, duo_id=duo_id, kind=kind, raised_at=now))
        raised += 1
    cleared = 0
    for key, alert in open_alerts.items():
        if key not in wanted:
            alert.cleared_at = now
            cleared += 1
    db.session.flush()
    return raised, cleared


def open_alerts(duo_id: uuid.UUID | None = None) -> list[DuoAlert]:
    """The branch's open alerts, oldest first (only one duo's with ``duo_id``)."""
    stmt = select(DuoAlert).where(DuoAlert.cleared_at.is_(None)).order_by(DuoAlert.raised_at)
    if duo_id is not None:
        stmt = stmt.where(DuoAlert.duo_id == duo_id)
    return list(db.session.execute(stmt).scalars())


#: The dashboard groups the open alerts on every visit: built once per branch.
_OPEN_KINDS = BranchRead(
    lambda: (
        select(DuoAlert.kind, DuoAlert.duo_id)
        .where(DuoAlert.cleared_at.is_(None))
        .order_by(DuoAlert.raised_at)
    )
)


def open_by_kind() -> dict[str, list[uuid.UUID]]:
    """The branch's open alerts as the duos of each kind, oldest alert first."""
    by_kind: dict[str, list[uuid.UUID]] = {}
    for kind, duo_id in _OPEN_KINDS():
        by_kind.setdefault(kind, []).append(duo_id)
    return by_kind


def coordinators(tenant: Tenant) -> list[User]:
    return list(
        db.session.execute(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == COORDINATOR, RoleGrant.tenant_id == tenant.id, User.active)
            .order_by(User.id)
        ).scalars()
    )
