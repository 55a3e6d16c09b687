"""The one place where a person's state changes: validated, timestamped, attributed.

Capabilities never assign ``Person.state`` themselves; they call :func:`transition`, which
records a :class:`StateChange` in the same transaction, so that the history is never out of
step with the state.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from duo.core import audit
from duo.core.db import db, utcnow
from duo.people import states
from duo.people.models import Person, StateChange


class InvalidTransition(ValueError):
    """The move is not part of the programme's flow; the message is shown to the user."""


def transition(
    person: Person,
    target: str,
    *,
    by: object | None = None,
    reason: str | None = None,
    at: datetime | None = None,
    flush: bool = True,
) -> StateChange:
    """Move ``person`` to ``target``; ``by`` is the staff user (None for the candidate/system).

    ``at`` dates a step that happened before it was recorded (a branch's history brought
    onto the platform); by default the step happens now. ``flush=False`` leaves the flush
    to the caller (a bulk import writing many steps).
    """
    if target not in states.STATES:
        raise InvalidTransition(_("Unknown state."))
    if not states.allowed(person.role, person.state, target):
        raise InvalidTransition(
            _(
                "Cannot go from “%(current)s” to “%(target)s”.",
                current=states.LABELS[person.state],
                target=states.LABELS[target],
            )
        )
    change = StateChange(
        person=person,
        from_state=person.state,
        to_state=target,
        at=at or utcnow(),
        by_user_id=getattr(by, "id", None),
        reason=(reason or "").strip() or None,
    )
    if states.starts_a_wait(person.state, target):
        person.waiting_since = change.at
    person.state = target
    person.state_changed_at = change.at
    db.session.add(change)
    if flush:
        db.session.flush()
    if by is not None:  # a staff user's act (the candidate's own, through a link, is history)
        audit.record(
            audit.PERSON_STATE,
            "person",
            actor=by,
            person_id=person.id,
            details={"from": change.from_state, "to": target},
        )
    return change


def register(
    person: Person, *, reason: str | None = None, at: datetime | None = None, flush: bool = True
) -> StateChange:
    """Record the creation of a candidate as the first entry of their history (``at`` and
    ``flush``: as in :func:`transition`)."""
    person.state = states.REGISTERED
    person.state_changed_at = at or utcnow()
    db.session.add(person)
    change = StateChange(
        person=person,
        from_state=None,
        to_state=states.REGISTERED,
        at=person.state_changed_at,
        reason=reason,
    )
    db.session.add(change)
    if flush:
        db.session.flush()
    return change
