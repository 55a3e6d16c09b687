"""Importing existing candidates from a spreadsheet: parse, preview, confirm.

1. :func:`duo.people.spreadsheet.parse_upload` turns the uploaded bytes (CSV in UTF-8, or
   XLSX) into rows of text cells keyed by column name, or raises ``ImportFileError`` with a
   message for the coordinator (not a spreadsheet, wrong encoding, missing columns, too
   large, empty).
2. :func:`stage` keeps the rows in an :class:`ImportBatch` (server-side, short-lived,
   keyed by a random id) for the preview.
3. :func:`review` validates every row (``duo.people.schemas``) and sorts it into *new*,
   *already known* (same e-mail and role in the branch: skipped, so re-importing the same
   file creates nobody twice) or *error*. It runs on every preview and again at the
   confirmation, so messages follow the reader's language and the check is fresh.
4. :func:`confirm` writes every new row in the caller's transaction, or nothing at all when
   any row has an error.

Step 1, reading the file, is :mod:`duo.people.spreadsheet`.
Two rows of the file with the same e-mail and role are an error, not a silent merge.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import gettext, ngettext
from sqlalchemy import delete, func, select

from duo.core.db import db, utcnow
from duo.core.jobs import enqueue
from duo.people import history, spreadsheet, states
from duo.people.models import CANDIDATES, MENTEE, ImportBatch, Person, Profile
from duo.people.pipeline import register, transition
from duo.people.schemas import COLUMNS, import_row_schema
from duo.people.spreadsheet import ParsedFile
from duo.people.spreadsheet import is_formula as is_formula  # the import's rule, offered here

LIFETIME = timedelta(hours=2)

NEW, KNOWN, ERROR = "new", "known", "error"


# --------------------------------------------------------------------------- staging


def stage(parsed: ParsedFile, filename: str, *, by: Any, kind: str = CANDIDATES) -> ImportBatch:
    """Keep the parsed rows for the preview; old pending uploads of the branch are purged.

    ``kind`` names what the file holds (candidates here; other imports give their own).
    """
    db.session.execute(delete(ImportBatch).where(ImportBatch.expires_at < utcnow()))
    now = utcnow()
    batch = ImportBatch(
        id=uuid.uuid4(),
        kind=kind,
        created_by_user_id=by.id,
        filename=(filename or "")[:255],
        columns=parsed.columns,
        ignored_columns=parsed.ignored_columns,
        rows=parsed.rows,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def find_batch(batch_id: uuid.UUID, *, by: Any, kind: str = CANDIDATES) -> ImportBatch | None:
    """The uploader's batch of the current branch and this kind, if it has not expired."""
    batch = db.session.execute(
        select(ImportBatch).where(
            ImportBatch.id == batch_id,
            ImportBatch.created_by_user_id == by.id,
            ImportBatch.kind == kind,
        )
    ).scalar_one_or_none()
    if batch is None or (batch.status == "pending" and batch.expires_at < utcnow()):
        return None
    return batch


# --------------------------------------------------------------------------- review


@dataclass
class RowReview:
    line: int
    cells: dict[str, str]
    status: str
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Review:
    rows: list[RowReview]

    @property
    def new(self) -> list[RowReview]:
        return [r for r in self.rows if r.status == NEW]

    @property
    def known(self) -> list[RowReview]:
        return [r for r in self.rows if r.status == KNOWN]

    @property
    def errors(self) -> list[RowReview]:
        return [r for r in self.rows if r.status == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


def messages(value: Any) -> list[str]:
    """A marshmallow error value (nested dicts and lists) as a flat list of messages."""
    if isinstance(value, dict):
        return [m for v in value.values() for m in messages(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in messages(v)]
    return [str(value)]


def existing_keys(emails: Iterable[str]) -> set[tuple[str, str]]:
    """(lower-case e-mail, role) of the branch's people among these e-mail addresses."""
    wanted = sorted({e.lower() for e in emails if e})
    found: set[tuple[str, str]] = set()
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        rows = db.session.execute(
            select(func.lower(Person.email), Person.role).where(func.lower(Person.email).in_(chunk))
        ).all()
        found.update((email, role) for email, role in rows)
    return found


def review(rows: list[dict[str, Any]], locales: list[str]) -> Review:
    """Validate every row and sort it into new / already known / error."""
    schema = import_row_schema(locales)
    reviewed: list[RowReview] = []
    for row in rows:
        cells = dict(row.get("cells") or {})
        errors = spreadsheet.formula_errors(cells) or schema.validate(cells)
        if errors:
            reviewed.append(
                RowReview(
                    row["line"], cells, ERROR, errors={k: messages(v) for k, v in errors.items()}
                )
            )
        else:
            reviewed.append(RowReview(row["line"], cells, NEW, data=schema.load(cells)))
    known = existing_keys(r.data["email"] for r in reviewed if r.status == NEW)
    first_line: dict[tuple[str, str], int] = {}
    for r in reviewed:
        if r.status != NEW:
            continue
        key = (r.data["email"].lower(), r.data["role"])
        if key in known:
            r.status = KNOWN
        elif key in first_line:
            r.status = ERROR
            r.errors = {
                "email": [
                    gettext("Same e-mail address and role as line %(line)s.", line=first_line[key])
                ]
            }
        else:
            first_line[key] = r.line
    return Review(reviewed)


# --------------------------------------------------------------------------- confirm


class ImportRejected(ValueError):
    """Some rows have errors: nothing was written."""


def refuse_if_errors(result: Review | Any) -> None:
    """Nothing is imported while a row has an error: every import (candidates here, a running
    branch's mentors, duos and outcomes in ``moving_in``) refuses the whole file."""
    if not result.ok:
        raise ImportRejected(
            ngettext(
                "%(num)d row has an error: nothing was imported.",
                "%(num)d rows have errors: nothing was imported.",
                len(result.errors),
            )
        )


def person_from_row(data: dict[str, Any], role: str, **columns: Any) -> Person:
    """A new person as an import row names them; ``columns`` are what the caller adds."""
    return Person(
        role=role,
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        phone=data.get("phone"),
        birth_year=data.get("birth_year"),
        locale=data["language"],
        **columns,
    )


def add_profile_from_row(person: Person, data: dict[str, Any]) -> None:
    """The row's postcode, languages and sectors as the person's profile (if it gives any).

    A mentee's first sector is the one they look for work in; a mentor's are their own.
    """
    sectors = data.get("sectors") or []
    if data.get("postcode") or data.get("languages") or sectors:
        mentee = person.role == MENTEE
        db.session.add(
            Profile(
                person=person,
                postcode=(data.get("postcode") or "").upper() or None,
                languages=data.get("languages") or {},
                sectors=[] if mentee else sectors,
                target_sector=(sectors[0] if mentee and sectors else None),
            )
        )


def _create(data: dict[str, Any], *, by: Any, filename: str) -> Person:
    person = person_from_row(data, data["role"])
    register(person, reason=history.reason(history.IMPORTED, filename))
    if data["state"] == states.ATTENDED:
        transition(person, states.ATTENDED, by=by, reason=history.reason(history.IMPORTED))
    add_profile_from_row(person, data)
    return person


def confirm(batch: ImportBatch, locales: list[str], *, by: Any) -> Review:
    """Create every new row's candidate, or raise :class:`ImportRejected` and write nothing."""
    result = review(batch.rows, locales)
    refuse_if_errors(result)
    for row in result.new:
        _create(row.data, by=by, filename=batch.filename)
    batch.status = "imported"
    batch.imported_count = len(result.new)
    batch.skipped_count = len(result.known)
    batch.rows = []  # the people exist now; keep no second copy of their data
    if result.new:
        # Planner statistics for the rows just written, once the request has committed.
        enqueue("db.analyze", "people", "person_profiles", "person_state_changes", tenant_id=None)
    db.session.flush()
    return result


TEMPLATE_ROWS = [
    {
        "role": "mentee",
        "first_name": "Amina",
        "last_name": "El Idrissi",
        "email": "amina@example.org",
        "phone": "+32 470 00 00 00",
        "language": "",
        "birth_year": "2001",
        "postcode": "1000",
        "languages": "fr:B2; ar:native",
        "sectors": "healthcare",
        "state": "registered",
    },
    {
        "role": "mentor",
        "first_name": "Jan",
        "last_name": "Peeters",
        "email": "jan@example.org",
        "phone": "",
        "language": "",
        "birth_year": "1958",
        "postcode": "1050",
        "languages": "nl:native; fr:C1",
        "sectors": "finance; administration",
        "state": "attended_info_session",
    },
]


def template_csv(locale: str) -> str:
    """The template file: every column, two example rows in the branch's default language."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    for row in TEMPLATE_ROWS:
        writer.writerow({**row, "language": locale})
    return "\ufeff" + out.getvalue()
