"""Take a duo through its steps with the real step functions (tests import ``duos.steps``).

Time moves with :mod:`duo.core.clock`: callers wrap these in ``clock.frozen(...)`` or use
:func:`after_meeting`, which moves the clock past the planned first meeting.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from duo.core import clock
from duo.core.db import utcnow
from duo.duos import agreement, first_meeting
from duo.duos.models import Duo


def plan(duo: Duo, tenant: Any, *, by: Any = None, at: datetime | None = None) -> datetime:
    """Plan the first meeting (by default two days from now) at the branch's office."""
    moment = at or (utcnow() + timedelta(days=2))
    first_meeting.plan(
        duo, first_meeting.MeetingPlan(at=moment, place="Branch office"), by=by, tenant=tenant
    )
    return moment


def both_yes(duo: Duo, tenant: Any, mentee: Any, mentor: Any) -> None:
    """Both say yes through their link (the clock must be past the meeting)."""
    first_meeting.decide(duo, "mentee", True, tenant=tenant, by_person=mentee)
    first_meeting.decide(duo, "mentor", True, tenant=tenant, by_person=mentor)


def sign_all(duo: Duo, tenant: Any, mentee: Any, mentor: Any, coordinator: Any) -> None:
    """Mentee, mentor and coordinator sign, in that order."""
    agreement.sign(
        duo, "mentee", full_name=mentee.full_name, accepted=True, tenant=tenant,
        expected_name=mentee.full_name, person=mentee,
    )  # fmt: skip
    agreement.sign(
        duo, "mentor", full_name=mentor.full_name, accepted=True, tenant=tenant,
        expected_name=mentor.full_name, person=mentor,
    )  # fmt: skip
    agreement.sign(
        duo, "coordinator", full_name=coordinator.name, accepted=True, tenant=tenant,
        expected_name=coordinator.name, by=coordinator,
    )  # fmt: skip


def to_active(duo: Duo, tenant: Any, mentee: Any, mentor: Any, coordinator: Any) -> None:
    """From proposed to active; the clock is moved past the meeting inside the current
    frozen clock (or a new one from now)."""
    c = clock.current()
    if c is None:
        raise RuntimeError("wrap to_active in clock.frozen(...)")
    plan(duo, tenant, by=coordinator)
    c.advance(timedelta(days=3))
    both_yes(duo, tenant, mentee, mentor)
    c.advance(timedelta(days=2))
    sign_all(duo, tenant, mentee, mentor, coordinator)
