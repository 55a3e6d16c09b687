"""Step 7: six months of weekly meetings, told through check-ins, and the duo's timeline.

A check-in is one tap through the person's link (the mentor always; the mentee when the
branch's ``duos.mentee_check_in`` says so): did you meet this week, how long, what about
(the branch's ``duos.topics``), a note, and "I'd like the coordinator to contact me" (a
concern, shown on the coordinator's dashboard until they log a check-in of their own).
Coordinators log calls, visits, intervisions and meetings with a note.

Each check-in is about one week (the branch-local Monday ``week_start``), named by the form
it was sent from, never by the moment it arrives: the weekly mail asks about the week just
ended and its link carries that week; the page's form carries the week it was shown for.
A week is open for its own seven days and the next seven (:func:`open_weeks`), and only
within the accompaniment; a form or mail of an older week is refused with a message naming
the week (nothing changes), so an old link never logs into the current week. A second
check-in of the same person for the same week replaces the first, and the page says so
before and after.

:func:`timeline` gives the weeks from the start to the planned end: meetings logged per
week, the gaps (a past week without one) and the concerns.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import Row, Select, bindparam, select

from duo.core.auth.models import User
from duo.core.db import db, utcnow
from duo.core.i18n import format_date, zones
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import BranchRead
from duo.duos import config, history, states
from duo.duos.lifecycle import InvalidDuoTransition
from duo.duos.models import CHECK_IN_KINDS, Duo, DuoCheckIn

#: Choices of "how long did you meet", in minutes.
DURATIONS = (30, 60, 90, 120, 180, 240)


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def this_week(tenant: Tenant) -> date:
    return week_of(zones.local_today(tenant.timezone))


def last_week(tenant: Tenant) -> date:
    return this_week(tenant) - timedelta(days=7)


def open_weeks(duo: Duo, tenant: Tenant) -> tuple[date, ...]:
    """The weeks a check-in can be given for now: this week and last week, newest first,
    none before the week the duo started nor after the week of its planned end."""
    if duo.started_at is None:
        return ()
    first = week_of(zones.local_date(duo.started_at, tenant.timezone))
    last = week_of(duo.ends_on) if duo.ends_on is not None else None
    return tuple(
        week
        for week in (this_week(tenant), last_week(tenant))
        if week >= first and (last is None or week <= last)
    )


def given(duo: Duo, person_id: uuid.UUID, week: date) -> DuoCheckIn | None:
    """``person_id``'s check-in through their link for ``week``, if any."""
    return db.session.execute(
        select(DuoCheckIn).where(
            DuoCheckIn.duo_id == duo.id,
            DuoCheckIn.by_person_id == person_id,
            DuoCheckIn.week_start == week,
        )
    ).scalar_one_or_none()


def may_check_in(duo: Duo, party: str, tenant: Tenant) -> bool:
    if duo.state != states.ACTIVE:
        return False
    return party == "mentor" or bool(config.setting(tenant, "mentee_check_in"))


def check_in(
    duo: Duo,
    party: str,
    *,
    tenant: Tenant,
    person_id: uuid.UUID,
    met: bool,
    minutes: int | None,
    topics: list[str],
    note: str | None,
    contact_me: bool,
    week: date | None = None,
) -> DuoCheckIn:
    """Record (or replace) ``party``'s check-in for ``week`` (default: this week)."""
    if not may_check_in(duo, party, tenant):
        raise InvalidDuoTransition(_("Check-ins are open while the duo is running."))
    week = this_week(tenant) if week is None else week
    if week not in open_weeks(duo, tenant):
        raise InvalidDuoTransition(
            _(
                "The check-in for the week of %(day)s is closed. Nothing was recorded.",
                day=format_date(week),
            ),
            "week",
        )
    known = {key for key, _title in config.choices(tenant, "topics", tenant.default_locale)}
    unknown = [t for t in topics if t not in known]
    if unknown:
        raise InvalidDuoTransition(_("Choose topics from the list."), "topics")
    if met and minutes not in DURATIONS:
        raise InvalidDuoTransition(_("Say how long you met."), "minutes")
    row = given(duo, person_id, week)
    if row is None:
        row = DuoCheckIn(tenant_id=duo.tenant_id, duo_id=duo.id, week_start=week, kind="link")
        db.session.add(row)
    row.by_person_id = person_id
    row.at = utcnow()
    row.met = bool(met)
    row.minutes = minutes if met else None
    row.topics = list(dict.fromkeys(topics)) if met else []
    row.note = (note or "").strip()[:2000] or None
    row.contact_me = bool(contact_me)
    history.record(
        duo,
        "concern" if contact_me else "check_in",
        person_id=person_id,
        details={"week": week.isoformat(), "met": bool(met)},
    )
    db.session.flush()
    return row


def log(duo: Duo, kind: str, note: str, *, by: object, tenant: Tenant) -> DuoCheckIn:
    """A coordinator's own check-in (call, visit, intervision, meeting) with a note."""
    if kind not in CHECK_IN_KINDS or kind == "link":
        raise InvalidDuoTransition(_("Choose how you were in touch."), "kind")
    if duo.state not in (states.ACTIVE, states.ENDED):
        raise InvalidDuoTransition(_("Check-ins are open while the duo is running."))
    text = (note or "").strip()
    if not text:
        raise InvalidDuoTransition(_("Write a short note."), "note")
    row = DuoCheckIn(
        tenant_id=duo.tenant_id,
        duo_id=duo.id,
        week_start=this_week(tenant),
        kind=kind,
        at=utcnow(),
        by_user_id=getattr(by, "id", None),
        met=True if kind == "meeting" else None,
        note=text[:2000],
    )
    db.session.add(row)
    history.record(duo, "check_in", by=by, note=text[:200], details={"kind": kind})
    db.session.flush()
    return row


def _check_ins() -> Select:
    return (
        select(
            DuoCheckIn.at,
            DuoCheckIn.week_start,
            DuoCheckIn.kind,
            DuoCheckIn.by_person_id,
            DuoCheckIn.met,
            DuoCheckIn.minutes,
            DuoCheckIn.topics,
            DuoCheckIn.note,
            DuoCheckIn.contact_me,
            # the duo page names who logged each one: with the rows, not one by one
            User.name.label("by_name"),
        )
        .outerjoin(User, User.id == DuoCheckIn.by_user_id)
        .where(DuoCheckIn.duo_id == bindparam("duo_id", type_=DuoCheckIn.duo_id.type))
        .order_by(DuoCheckIn.at)
    )


#: The duo page (coordinator's and the people's own) asks on every visit.
_CHECK_INS = BranchRead(_check_ins)


def check_ins(duo: Duo) -> list[Row]:
    """The duo's check-ins, oldest first, as rows (``by_name``: the staff user who logged
    one, None when the mentor or mentee did): the pages only show them."""
    return list(_CHECK_INS(duo_id=duo.id))


@dataclass(frozen=True)
class Week:
    start: date
    meetings: int
    minutes: int
    concern: bool
    gap: bool  # a past week of the accompaniment without any meeting logged
    current: bool


def timeline(duo: Duo, tenant: Tenant, rows: list[Row] | None = None) -> list[Week]:
    """The weeks from the start to the planned end (or today if later), oldest first."""
    if duo.started_at is None:
        return []
    rows = check_ins(duo) if rows is None else rows
    first = week_of(zones.local_date(duo.started_at, tenant.timezone))
    today = zones.local_today(tenant.timezone)
    last_day = duo.ends_on or today
    if duo.ended_at is not None:
        last_day = min(last_day, zones.local_date(duo.ended_at, tenant.timezone))
    weeks: list[Week] = []
    start = first
    while start <= week_of(last_day):
        in_week = [r for r in rows if r.week_start == start]
        met = [r for r in in_week if r.met]
        weeks.append(
            Week(
                start=start,
                meetings=len(met),
                minutes=sum(r.minutes or 0 for r in met),
                concern=any(r.contact_me for r in in_week),
                gap=not met and start + timedelta(days=7) <= today,
                current=start == week_of(today),
            )
        )
        start += timedelta(days=7)
    return weeks


def last_meeting_day(duo: Duo, rows: list[Row], tenant: Tenant) -> date | None:
    met = [r.at for r in rows if r.met]
    return zones.local_date(max(met), tenant.timezone) if met else None
