"""Duos that ran before their branch used the platform, recorded through the same steps.

A branch moving onto the platform brings its running and past duos
(:mod:`duo.moving_in`). :func:`record_past` writes each one as the lifecycle
(:mod:`duo.duos.lifecycle`) would have: every state change dated on the day it happened,
both people moved through their pipeline on those days. Nothing is emitted, so no mail
goes out and no follow-up is scheduled for the past.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from duo.core.db import db
from duo.core.i18n import sentences
from duo.core.tenancy.models import Tenant
from duo.duos import states
from duo.duos.lifecycle import (
    InvalidDuoTransition,
    add_months,
    check_free,
    check_pair,
    record_change,
)
from duo.duos.models import Duo
from duo.people import pipeline
from duo.people import states as person_states
from duo.people.models import Person

#: The states a duo that ran before the branch used the platform can be recorded in.
PAST_STATES = (states.ACTIVE, states.ENDED, states.EVALUATED, states.STOPPED)
#: The history line of every step recorded from a branch's past.
IMPORTED = sentences.register("duos.imported", _l("Recorded from the branch's history (imported)"))


def local_moment(day: date, tenant: Tenant, hour: int = 12) -> datetime:
    """Noon (by default) of a local day of the branch, in UTC: a past step known by its day."""
    local = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(tenant.timezone))
    return local.astimezone(ZoneInfo("UTC"))


def record_past(
    mentee: Person,
    mentor: Person,
    *,
    state: str,
    started_on: date,
    ended_on: date | None,
    tenant: Tenant,
    by: object | None = None,
    coordinator_id: int | None = None,
    reason: str | None = None,
    flush: bool = True,
) -> Duo:
    """Record a duo that ran before its branch used the platform, through the same steps.

    The duo goes proposed -> first meeting -> confirmed -> active on ``started_on`` (the
    agreement's day), then ended (-> evaluated) or stopped on ``ended_on``, each step a
    :class:`DuoStateChange` dated that day and attributed to ``coordinator_id`` (else
    ``by``), and both people move through their pipeline on the same days as
    :func:`propose` and :func:`transition` would move them. Nothing is emitted: a duo of
    the past sends no mail and schedules no follow-up; what comes after it (outcomes) is
    imported too. ``mentee`` must be waiting for a mentor (eligible, or alumni of an
    earlier duo) and ``mentor`` trained; the caller brings them there first.
    ``flush=False`` leaves the flush to the caller (a bulk import of many duos).
    """
    if state not in PAST_STATES:
        raise InvalidDuoTransition(_("Unknown duo state."), "state")
    if mentee.tenant_id != tenant.id:
        raise InvalidDuoTransition(_("A duo is formed within one branch."))
    check_pair(mentee, mentor, (person_states.ELIGIBLE, person_states.ALUMNI))
    if (ended_on is None) != (state == states.ACTIVE):
        raise InvalidDuoTransition(_("Only a running duo has no end date."), "end")
    if ended_on is not None and ended_on < started_on:
        raise InvalidDuoTransition(_("A duo cannot end before it has started."), "end")
    if state == states.ACTIVE:
        check_free(mentee, mentor)

    start = local_moment(started_on, tenant)
    end = local_moment(ended_on, tenant) if ended_on is not None else None
    who = SimpleNamespace(id=coordinator_id) if coordinator_id is not None else by
    note = sentences.encode(IMPORTED)
    months = int(tenant.config.get("programme", {}).get("duration_months", 6))
    duo = Duo(
        tenant_id=tenant.id,
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        state=state,
        proposed_at=start - timedelta(seconds=3),
        state_changed_at=end or start,
        first_meeting_at=start,
        first_meeting_coordinator_id=coordinator_id,
        started_at=start,
        ends_on=add_months(started_on, months),
        ended_at=end,
    )
    db.session.add(duo)
    path = [states.PROPOSED, states.FIRST_MEETING, states.CONFIRMED, states.ACTIVE]
    if state in (states.ENDED, states.EVALUATED):
        path.append(states.ENDED)
    if state == states.EVALUATED:
        path.append(states.EVALUATED)
    if state == states.STOPPED:
        path.append(states.STOPPED)
        duo.stop_reason = (reason or "").strip() or str(states.LABELS[states.STOPPED])
    previous = None
    for step in path:
        # The steps up to the start a second apart (the last on the start), the end's too.
        if step in states.NOT_STARTED:
            at = start - timedelta(seconds=3 - states.NOT_STARTED.index(step))
        elif step == states.ACTIVE:
            at = start
        else:
            at = end + timedelta(seconds=path.index(step) - path.index(path[4]))
        details = {"imported": True}
        if step == states.ACTIVE:
            details["ends_on"] = duo.ends_on.isoformat()
        record_change(duo, previous, step, at, who, note, details)
        previous = step

    proposed_at = start - timedelta(seconds=3)
    pipeline.transition(
        mentee, person_states.MATCHED, by=who, reason=note, at=proposed_at, flush=False
    )
    pipeline.transition(
        mentor, person_states.MATCHED, by=who, reason=note, at=proposed_at, flush=False
    )
    label = str(states.LABELS[states.ACTIVE])
    for person in (mentee, mentor):
        pipeline.transition(
            person, person_states.IN_DUO, by=who, reason=label, at=start, flush=False
        )
    if state in (states.ENDED, states.EVALUATED):
        label = str(states.LABELS[states.ENDED])
        pipeline.transition(mentee, person_states.ALUMNI, by=who, reason=label, at=end, flush=False)
        pipeline.transition(
            mentor, person_states.TRAINED, by=who, reason=label, at=end, flush=False
        )
    elif state == states.STOPPED:
        pipeline.transition(
            mentee, person_states.ELIGIBLE, by=who, reason=duo.stop_reason, at=end, flush=False
        )
        pipeline.transition(
            mentor, person_states.TRAINED, by=who, reason=duo.stop_reason, at=end, flush=False
        )
    if flush:
        db.session.flush()
    return duo
