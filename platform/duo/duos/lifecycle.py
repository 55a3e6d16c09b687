"""The one place where a duo is created and changes state: validated, timestamped, attributed.

Views, jobs and other capabilities never assign ``Duo.state``; they call :func:`propose` or
:func:`transition`, which record a :class:`~duo.duos.models.DuoStateChange`, move both people
through their own pipeline (:func:`duo.people.pipeline.transition`) and then tell the
listeners (jobs are enqueued there, see :mod:`duo.duos.jobs`), all in the caller's
transaction: the history, the people and the consequences are never out of step.

What happens to the people (their pipeline states, :mod:`duo.people.states`):

* proposed: mentee ``eligible`` -> ``matched``, mentor ``trained`` -> ``matched``;
* active (agreement signed): both ``matched`` -> ``in_duo``;
* ended: mentee ``in_duo`` -> ``alumni``; the mentor ``in_duo`` -> ``trained``, free for a
  next duo (most mentors start again);
* stopped: both go back to the pool, mentee ``eligible`` and mentor ``trained``. A person
  who meanwhile left the programme (``withdrawn``) is left as they are.

A stop needs a reason; a stop at the first meeting may record who declined (mentor, mentee
or both), and such a pair is never suggested again (:func:`declined_pairs`).
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.hooks import Event
from duo.core.i18n import sentences, zones
from duo.core.tenancy.models import Tenant
from duo.duos import states
from duo.duos.models import Duo, DuoDecision, DuoSignature, DuoStateChange
from duo.people import pipeline
from duo.people import states as person_states
from duo.people.models import MENTEE, MENTOR, Person

#: ``listener(duo, change)`` after every recorded step (creation too), in the same transaction.
TRANSITIONED = Event("duos.transitioned", "A duo moved a step.")
EventListener = Callable[[Duo, str], None]
_event_listeners: list[EventListener] = []

Pair = tuple[uuid.UUID, uuid.UUID]


class InvalidDuoTransition(ValueError):
    """The move is not part of a duo's flow; the message is shown to the coordinator.

    ``field`` names the form field at fault (``reason``, ``declined_by``...), if any.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


#: A person's history line when a duo is proposed (the other person's name as typed).
PROPOSED_WITH = sentences.register("duos.proposed_with", _l("Duo proposed with %(name)s"))


def _notify(duo: Duo, change: DuoStateChange) -> None:
    TRANSITIONED.emit(duo, change)


def on_event(listener: EventListener) -> EventListener:
    """Register ``listener(duo, kind)`` for steps that are not a change of state (a first
    meeting planned again, a signature...): the mails follow from there."""
    _event_listeners.append(listener)
    return listener


def notify_event(duo: Duo, kind: str) -> None:
    for listener in _event_listeners:
        listener(duo, kind)


def _require_step(duo: Duo, to: str) -> None:
    """No state skips a step: what must be true before each move (see the module doc)."""
    if to == states.FIRST_MEETING and duo.first_meeting_at is None:
        raise InvalidDuoTransition(
            _("Plan the first meeting with its date, time and place first."), "to"
        )
    if to == states.CONFIRMED:
        yes = db.session.execute(
            select(DuoDecision.party).where(DuoDecision.duo_id == duo.id, DuoDecision.go_on)
        ).scalars()
        if set(yes) != {MENTEE, MENTOR}:
            raise InvalidDuoTransition(
                _("Both the mentor and the mentee must first say they want to go on."), "to"
            )
    if to == states.ACTIVE:
        signed = db.session.execute(
            select(DuoSignature.party).where(DuoSignature.duo_id == duo.id)
        ).scalars()
        if not {MENTEE, MENTOR, "coordinator"} <= set(signed):
            raise InvalidDuoTransition(
                _("The agreement needs the signatures of both and of the coordinator."), "to"
            )


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the month's last day (31 Aug + 6 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _local_date(moment: datetime, tenant: Tenant) -> date:
    return zones.local_date(moment, tenant.timezone)


def _move(person: Person, expected: tuple[str, ...], target: str, by: object, reason: str) -> None:
    """Move a person if they are where a duo left them; a withdrawn person stays withdrawn."""
    if person.state in expected:
        pipeline.transition(person, target, by=by, reason=reason)


def record_change(
    duo: Duo,
    from_state: str | None,
    to_state: str,
    at: datetime,
    by: object | None,
    reason: str | None,
    details: dict[str, Any] | None,
) -> DuoStateChange:
    """Add one step to the duo's history (a duo of the past gets its steps this way too)."""
    change = DuoStateChange(
        duo=duo,
        from_state=from_state,
        to_state=to_state,
        at=at,
        by_user_id=getattr(by, "id", None),
        reason=reason,
        details=details,
    )
    db.session.add(change)
    return change


def check_pair(mentee: Person, mentor: Person, waiting: tuple[str, ...]) -> None:
    """Raise unless a mentee in a ``waiting`` state and a trained mentor, of one branch."""
    if mentee.tenant_id != mentor.tenant_id:
        raise InvalidDuoTransition(_("A duo is formed within one branch."))
    if mentee.role != MENTEE or mentor.role != MENTOR:
        raise InvalidDuoTransition(_("A duo is one mentee and one mentor."))
    if mentee.state not in waiting:
        raise InvalidDuoTransition(
            _("%(name)s is not waiting for a mentor.", name=mentee.full_name)
        )
    if mentor.state != person_states.TRAINED:
        raise InvalidDuoTransition(
            _("%(name)s is not available as a mentor.", name=mentor.full_name)
        )


def check_free(mentee: Person, mentor: Person) -> None:
    """Raise when either of them is in an open duo already."""
    busy = db.session.execute(
        select(Duo.id)
        .where(Duo.state.in_(states.OPEN))
        .where((Duo.mentee_id == mentee.id) | (Duo.mentor_id == mentor.id))
        .limit(1)
    ).first()
    if busy is not None:
        raise InvalidDuoTransition(_("One of them is already in a duo."))


def propose(
    mentee: Person,
    mentor: Person,
    *,
    by: object | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    matching_session_id: uuid.UUID | None = None,
) -> Duo:
    """Create a duo in state *proposed* and take both people out of the pool (``matched``).

    The caller (a matching session) has checked the pair against the pool; this checks what
    must hold whoever calls it: one branch, the right roles, both waiting, neither in a duo.
    """
    check_pair(mentee, mentor, (person_states.ELIGIBLE,))
    check_free(mentee, mentor)
    now = utcnow()
    duo = Duo(
        tenant_id=mentee.tenant_id,
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        matching_session_id=matching_session_id,
        state=states.PROPOSED,
        state_changed_at=now,
        proposed_at=now,
    )
    db.session.add(duo)
    note = (reason or "").strip() or None
    change = record_change(duo, None, states.PROPOSED, now, by, note, details)
    person_reason = sentences.encode(PROPOSED_WITH, name=mentor.full_name)
    pipeline.transition(mentee, person_states.MATCHED, by=by, reason=person_reason)
    person_reason = sentences.encode(PROPOSED_WITH, name=mentee.full_name)
    pipeline.transition(mentor, person_states.MATCHED, by=by, reason=person_reason)
    db.session.flush()
    _notify(duo, change)
    return duo


def transition(
    duo: Duo,
    to: str,
    *,
    by: object | None = None,
    reason: str | None = None,
    declined_by: str | None = None,
    tenant: Tenant | None = None,
    started_at: datetime | None = None,
    confirm_early: bool = False,
    stop_reason_key: str | None = None,
) -> DuoStateChange:
    """Move ``duo`` to state ``to``; ``by`` is the staff user (None for a candidate or a job).

    ``reason`` is required to stop. ``declined_by`` (mentor / mentee / both) is only
    accepted when stopping at the first meeting. ``tenant`` (the duo's branch, for its time
    zone and the programme's duration) is loaded when not given. The first meeting is
    planned by :func:`duo.duos.first_meeting.plan`, which makes the move to ``first_meeting``.
    """
    if to not in states.STATES:
        raise InvalidDuoTransition(_("Unknown duo state."), "to")
    if not states.allowed(duo.state, to):
        raise InvalidDuoTransition(
            _(
                "A duo cannot go from “%(current)s” to “%(target)s”.",
                current=states.LABELS[duo.state],
                target=states.LABELS[to],
            ),
            "to",
        )
    note = (reason or "").strip() or None
    if to == states.STOPPED and note is None:
        raise InvalidDuoTransition(_("Say why the duo stops."), "reason")
    if declined_by is not None:
        if declined_by not in states.DECLINED_BY:
            raise InvalidDuoTransition(_("Choose who declined."), "declined_by")
        if to != states.STOPPED or duo.state != states.FIRST_MEETING:
            raise InvalidDuoTransition(
                _("Only a duo at its first meeting can be declined."), "declined_by"
            )
    if tenant is None or tenant.id != duo.tenant_id:
        tenant = db.session.get(Tenant, duo.tenant_id)
    _require_step(duo, to)
    now = utcnow()
    if to == states.ENDED:
        if duo.started_at is None or now < duo.started_at:
            raise InvalidDuoTransition(_("A duo cannot end before it has started."), "to")
        if duo.ends_on is not None and _local_date(now, tenant) < duo.ends_on:
            if not confirm_early:
                raise InvalidDuoTransition(
                    _(
                        "The planned end is %(day)s: confirm that the duo ends early.",
                        day=duo.ends_on.isoformat(),
                    ),
                    "confirm_early",
                )
            if note is None:
                raise InvalidDuoTransition(_("Say why the duo ends early."), "reason")

    people = {
        p.id: p
        for p in db.session.execute(
            select(Person).where(Person.id.in_([duo.mentee_id, duo.mentor_id]))
        ).scalars()
    }
    mentee, mentor = people[duo.mentee_id], people[duo.mentor_id]

    from_state = duo.state
    details: dict[str, Any] = {}
    label = str(states.LABELS[to])
    if to == states.ACTIVE:
        duo.started_at = started_at or now
        months = int(tenant.config.get("programme", {}).get("duration_months", 6))
        duo.ends_on = add_months(_local_date(duo.started_at, tenant), months)
        details["ends_on"] = duo.ends_on.isoformat()
        for person in (mentee, mentor):
            _move(person, (person_states.MATCHED,), person_states.IN_DUO, by, label)
    elif to == states.ENDED:
        duo.ended_at = now
        _move(mentee, (person_states.IN_DUO,), person_states.ALUMNI, by, label)
        _move(mentor, (person_states.IN_DUO,), person_states.TRAINED, by, label)
    elif to == states.STOPPED:
        duo.ended_at = now
        duo.stop_reason = note
        duo.declined_by = declined_by
        if declined_by is not None:
            details["declined_by"] = declined_by
        if stop_reason_key is not None:
            details["stop_reason"] = stop_reason_key
        held = (person_states.MATCHED, person_states.IN_DUO)
        _move(mentee, held, person_states.ELIGIBLE, by, note or label)
        _move(mentor, held, person_states.TRAINED, by, note or label)

    duo.state = to
    duo.state_changed_at = now
    change = record_change(duo, from_state, to, now, by, note, details or None)
    db.session.flush()
    _notify(duo, change)
    return change


def declined_pairs() -> set[Pair]:
    """(mentee_id, mentor_id) of the current branch's pairs declined at a first meeting."""
    rows = db.session.execute(
        select(Duo.mentee_id, Duo.mentor_id).where(
            Duo.state == states.STOPPED, Duo.declined_by.is_not(None)
        )
    ).all()
    return {(mentee_id, mentor_id) for mentee_id, mentor_id in rows}


def busy_mentor_ids() -> set[uuid.UUID]:
    """Mentors of the current branch who hold an open duo (one mentee at a time)."""
    stmt = select(Duo.mentor_id).where(Duo.state.in_(states.OPEN))
    return set(db.session.execute(stmt).scalars())
