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
from sqlalchemy import (
    CompoundSelect,
    String,
    Uuid,
    bindparam,
    cast,
    literal,
    null,
    select,
    union_all,
)

from duo.core.auth.models import User
from duo.core.db import db, utcnow
from duo.core.tenancy.scoping import BranchRead
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


_CHANGE, _EVENT = "change", "event"


@dataclass(frozen=True)
class Entry:
    """One line of the duo page's history."""

    at: datetime
    label: str
    by: str
    note: str
    on_behalf: bool = False


def _timeline() -> CompoundSelect:
    """Both tables in one statement (``UNION ALL``), each row with the name of the staff
    user who acted: the page would otherwise read them in two, plus one per table for
    the users."""
    duo_id = bindparam("duo_id", type_=Uuid)
    changes = (
        select(
            DuoStateChange.at,
            literal(_CHANGE).label("source"),
            DuoStateChange.from_state.label("first"),
            DuoStateChange.to_state.label("second"),
            User.name.label("user_name"),
            cast(null(), Uuid).label("by_person_id"),
            DuoStateChange.reason.label("note"),
            literal(False).label("on_behalf"),
        )
        .outerjoin(User, User.id == DuoStateChange.by_user_id)
        .where(DuoStateChange.duo_id == duo_id)
    )
    events = (
        select(
            DuoEvent.at,
            literal(_EVENT),
            DuoEvent.kind,
            cast(null(), String),
            User.name,
            DuoEvent.by_person_id,
            DuoEvent.note,
            DuoEvent.on_behalf,
        )
        .outerjoin(User, User.id == DuoEvent.by_user_id)
        .where(DuoEvent.duo_id == duo_id)
    )
    return union_all(changes, events)


#: Built once per branch: the duo page asks on every visit (see :class:`BranchRead`).
_TIMELINE = BranchRead(_timeline)


def timeline(duo: Duo, names: dict[uuid.UUID, str], system: str) -> list[Entry]:
    """State changes and events of ``duo``, oldest first. ``names``: person id -> name."""
    entries = []
    for row in _TIMELINE(duo_id=duo.id):
        if row.source == _CHANGE:
            label = (
                f"{states.LABELS[row.first]} → {states.LABELS[row.second]}"
                if row.first
                else str(states.LABELS[row.second])
            )
            who = row.user_name if row.user_name is not None else system
        else:
            label = str(KINDS.get(row.first, row.first))
            if row.user_name is not None:
                who = row.user_name
            elif row.by_person_id is not None:
                who = names.get(row.by_person_id, system)
            else:
                who = system
        entries.append(
            Entry(
                at=row.at,
                label=label,
                by=who,
                note=row.note or "",
                on_behalf=bool(row.on_behalf),
            )
        )
    return sorted(entries, key=lambda entry: entry.at)
