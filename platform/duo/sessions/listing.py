"""The candidates list's filter "registered for this information session".

:mod:`duo.people` sits below this capability and asks for the filter through its hook
:data:`duo.people.listing.SESSION_FILTER`; ``sessions/plugin.py`` answers with
:data:`registrations_filter`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, select

from duo.core.db import db
from duo.people.listing import SessionFilter
from duo.sessions.models import InfoSession, Registration

#: How many sessions the filter offers (the latest ones).
CHOICES = 200


def session_choices() -> list[tuple[str, datetime | None, str]]:
    """(id, start, label) of the branch's latest sessions, newest first.

    The label is the session's place, or its language for an online session.
    """
    rows = db.session.execute(
        select(InfoSession.id, InfoSession.starts_at, InfoSession.place, InfoSession.language)
        .order_by(InfoSession.starts_at.desc())
        .limit(CHOICES)
    ).all()
    return [(str(id_), starts_at, place or language) for id_, starts_at, place, language in rows]


def registered_person_ids(session_id: uuid.UUID) -> Select:
    """``select(person id)`` of everyone registered for the session (any status)."""
    return select(Registration.person_id).where(Registration.session_id == session_id)


registrations_filter = SessionFilter(choices=session_choices, person_ids=registered_person_ids)
