"""What the reviews of the move-in files share: reading rows, finding people, errors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask_babel import gettext
from marshmallow import ValidationError
from sqlalchemy import func, select

from duo.core.db import db
from duo.core.i18n import zones
from duo.core.tenancy.models import Tenant
from duo.people import spreadsheet
from duo.people import states as pstates
from duo.people.importing import ERROR, NEW, RowReview, messages
from duo.people.models import Person

#: States that a coordinator settles on the person's page before their history comes in.
MENTOR_BLOCKED = (pstates.NOT_ELIGIBLE, pstates.NEEDS_REVIEW, pstates.WITHDRAWN)
MENTEE_BLOCKED = (pstates.NOT_ELIGIBLE, pstates.MATCHED, pstates.IN_DUO, pstates.WITHDRAWN)


def add_error(row: RowReview, column: str, message: str) -> None:
    row.status = ERROR
    row.errors.setdefault(column, []).append(message)


def state_error(person: Person) -> str:
    return gettext(
        "%(name)s is “%(state)s” on the platform: settle this on their page first.",
        name=person.full_name,
        state=pstates.LABELS[person.state],
    )


def validate_rows(schema: Any, rows: list[dict[str, Any]]) -> list[RowReview]:
    reviewed = []
    for row in rows:
        cells = dict(row.get("cells") or {})
        errors = spreadsheet.formula_errors(cells)
        if not errors:
            try:
                reviewed.append(RowReview(row["line"], cells, NEW, data=schema.load(cells)))
                continue
            except ValidationError as exc:
                errors = exc.normalized_messages()
        found = {k: messages(v) for k, v in errors.items()}
        reviewed.append(RowReview(row["line"], cells, ERROR, errors=found))
    return reviewed


def people_by_email(emails: Iterable[str], role: str) -> dict[str, Person]:
    wanted = sorted({e.lower() for e in emails if e})
    found: dict[str, Person] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        stmt = select(Person).where(Person.role == role, func.lower(Person.email).in_(chunk))
        for person in db.session.execute(stmt).scalars():
            found[person.email.lower()] = person
    return found


def local_day(moment: Any, tenant: Tenant) -> date | None:
    return zones.local_date(moment, tenant.timezone) if moment is not None else None


def follow_up_months(tenant: Tenant) -> int:
    return int((tenant.config.get("programme") or {}).get("follow_up_months", 12))
