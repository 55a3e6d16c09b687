"""A duo's history beyond its states: who did what, through which way in.

:func:`record` writes a :class:`~duo.duos.models.DuoEvent`; :func:`timeline` merges the
events with the state changes, oldest first, for the duo page. An action a mentor or
mentee took through their personal link is recorded with their person id (never a staff
user); one a coordinator took for them is marked ``on_behalf`` with the coordinator and why.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from duo.core.auth.models import User
from duo.core.db import db, utcnow
from duo.duos import states
from duo.duos.models import Duo, DuoEvent, DuoStateChange

#: Event kinds, as the duo page names them.
KINDS = {
    "first_meeting_planned": _l("first meeting planned"),
    "decision": _l("decision after the first meeting"),
    "signed": _l("agreement signed"),
    "countersigned": _l("agreement countersigned"),
    "link_sent": _l("personal link sent"),
    "link_revoked": _l("personal link revoked"),
    "check_in": _l("check-in"),
    "concern": _l("concern raised"),
    "evaluation": _l("evaluation answered"),
    "outcome": _l("outcome recorded"),
}


def record(
    duo: Duo,
    kind: str,
    *,
    by: object | None = None,
    person_id: uuid.UUID | None = None,
    on_behalf: bool = False,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> DuoEvent:
    """Record one event of ``duo``: by a staff user (``by``) or a person (``person_id``)."""
    event = DuoEvent(
        tenant_id=duo.tenant_id,
        duo_id=duo.id,
        kind=kind,
        at=utcnow(),
        by_user_id=getattr(by, "id", None),
        by_person_id=person_id,
        on_behalf=on_behalf,
        note=(note or "").strip() or None,
        details=details,
    )
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class Entry:
    """One line of the duo page's history."""

    at: datetime
    label: str
    by: str
    note: str
    on_behalf: bool = False


def timeline(duo: Duo, names: dict[uuid.UUID, str], system: str) -> list[Entry]:
    """State changes and events of ``duo``, oldest first. ``names``: person id -> name."""
    changes = db.session.execute(
        select(DuoStateChange)
        .where(DuoStateChange.duo_id == duo.id)
        .options(selectinload(DuoStateChange.by).lazyload(User.roles))
    ).scalars()
    events = db.session.execute(
        select(DuoEvent)
        .where(DuoEvent.duo_id == duo.id)
        .options(selectinload(DuoEvent.by).lazyload(User.roles))
    ).scalars()
    entries = [
        Entry(
            at=c.at,
            label=(
                f"{states.LABELS[c.from_state]} → {states.LABELS[c.to_state]}"
                if c.from_state
                else str(states.LABELS[c.to_state])
            ),
            by=c.by.name if c.by else system,
            note=c.reason or "",
        )
        for c in changes
    ]
    for e in events:
        if e.by is not None:
            who = e.by.name
        elif e.by_person_id is not None:
            who = names.get(e.by_person_id, system)
        else:
            who = system
        entries.append(
            Entry(
                at=e.at,
                label=str(KINDS.get(e.kind, e.kind)),
                by=who,
                note=e.note or "",
                on_behalf=e.on_behalf,
            )
        )
    return sorted(entries, key=lambda entry: entry.at)
