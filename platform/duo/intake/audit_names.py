"""Names and page links of the people in a page of the audit log (the log keeps ids only)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from flask import url_for
from sqlalchemy import select

from duo.core.db import db
from duo.people.models import Person


def person_names(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str | None]]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Person.id, Person.first_name, Person.last_name).where(Person.id.in_(wanted))
    )
    return {
        pid: (f"{first} {last}".strip(), url_for("people.person", person_id=pid))
        for pid, first, last in rows
    }
