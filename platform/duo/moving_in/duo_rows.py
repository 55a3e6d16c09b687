"""The review of a duos file: who the mentor and mentee are (a mentee may be created from
the file), the coordinator, the key (mentor, mentee, start day) and one duo at a time for
each person, across the file and the platform."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, or_, select

from duo.core.auth.models import COORDINATOR, RoleGrant, User
from duo.core.db import db
from duo.core.tenancy.models import Tenant
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.moving_in import schemas
from duo.moving_in.rows import (
    MENTEE_BLOCKED,
    add_error,
    local_day,
    people_by_email,
    state_error,
    validate_rows,
)
from duo.people import states as pstates
from duo.people.importing import KNOWN, NEW, RowReview, messages
from duo.people.models import MENTEE, MENTOR
from duo.training.status import trained_mentor_ids


def _spans_overlap(a: tuple[date, date | None], b: tuple[date, date | None]) -> bool:
    a_start, a_end = a
    b_start, b_end = b
    return (b_end is None or a_start < b_end) and (a_end is None or b_start < a_end)


def _coordinators(tenant: Tenant) -> dict[str, int]:
    rows = db.session.execute(
        select(func.lower(User.email), User.id)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == COORDINATOR, RoleGrant.tenant_id == tenant.id)
    ).all()
    return dict(rows)


def _mentee_cells(cells: dict[str, str], email: str) -> dict[str, str]:
    out = {"role": MENTEE, "email": email}
    for column, value in cells.items():
        if column.startswith("mentee_") and column != "mentee_email":
            name = column.removeprefix("mentee_")
            out["sectors" if name == "sector" else name] = value
    return out


def _mentee_column(field: str) -> str:
    if field == "email":
        return "mentee_email"
    return "mentee_sector" if field == "sectors" else f"mentee_{field}"


def review_duos(rows: list[dict[str, Any]], tenant: Tenant, locales: list[str]) -> list:
    reviewed = validate_rows(schemas.duo_row_schema(), rows)
    fresh = [r for r in reviewed if r.status == NEW]
    mentors = people_by_email((r.data["mentor_email"] for r in fresh), MENTOR)
    mentees = people_by_email((r.data["mentee_email"] for r in fresh), MENTEE)
    trained = trained_mentor_ids(tenant.id) if mentors else set()
    coordinators = (
        _coordinators(tenant) if any("coordinator_email" in r.data for r in fresh) else {}
    )
    mentee_schema = schemas.mentee_schema(locales)

    ids = [p.id for p in (*mentors.values(), *mentees.values())]
    existing: list[Duo] = []
    if ids:
        existing = list(
            db.session.execute(
                select(Duo).where(or_(Duo.mentee_id.in_(ids), Duo.mentor_id.in_(ids)))
            ).scalars()
        )
    by_key = {
        (d.mentor_id, d.mentee_id, local_day(d.started_at or d.proposed_at, tenant)): d
        for d in existing
    }

    # Which row creates a mentee not on the platform yet: the first that names them.
    creators: dict[str, RowReview] = {}
    for r in fresh:
        email = r.data["mentee_email"]
        named = r.cells.get("mentee_first_name") or r.cells.get("mentee_last_name")
        if email not in mentees and email not in creators and named:
            creators[email] = r

    first_line: dict[tuple[str, str, date], int] = {}
    for r in fresh:
        d = r.data
        mentor = mentors.get(d["mentor_email"])
        if mentor is None:
            add_error(
                r,
                "mentor_email",
                gettext("No mentor with this e-mail address: import the mentors file first."),
            )
        elif mentor.id not in trained:
            add_error(
                r,
                "mentor_email",
                gettext(
                    "%(name)s is not trained on the platform: import them with the mentors "
                    "file first.",
                    name=mentor.full_name,
                ),
            )
        elif mentor.state not in (pstates.TRAINED, pstates.ALUMNI):
            add_error(r, "mentor_email", state_error(mentor))
        else:
            d["mentor"] = mentor

        email = d["mentee_email"]
        mentee = mentees.get(email)
        if mentee is not None:
            d["mentee"] = mentee
        elif creators.get(email) is r:
            person_errors = mentee_schema.validate(_mentee_cells(r.cells, email))
            for field, found in person_errors.items():
                for message in messages(found):
                    add_error(r, _mentee_column(field), message)
            if not person_errors:
                d["new_mentee"] = mentee_schema.load(_mentee_cells(r.cells, email))
        elif email not in creators:
            add_error(
                r,
                "mentee_email",
                gettext(
                    "No mentee with this e-mail address: fill in mentee_first_name and "
                    "mentee_last_name on one of their rows."
                ),
            )

        coordinator = d.get("coordinator_email")
        if coordinator:
            if coordinator in coordinators:
                d["coordinator_id"] = coordinators[coordinator]
            else:
                add_error(
                    r,
                    "coordinator_email",
                    gettext("Nobody with this e-mail address coordinates this branch."),
                )

        key = (d["mentor_email"], email, d["start"])
        if key in first_line:
            add_error(
                r,
                "start",
                gettext("Same mentor, mentee and start as line %(line)s.", line=first_line[key]),
            )
            continue
        first_line[key] = r.line
        if mentor is not None and mentee is not None:
            known = by_key.get((mentor.id, mentee.id, d["start"]))
            if known is not None:
                if known.state == d["state"] and local_day(known.ended_at, tenant) == d.get("end"):
                    r.status = KNOWN
                    r.errors = {}
                else:
                    add_error(
                        r,
                        "state",
                        gettext(
                            "This duo is already on the platform as “%(state)s”: change it "
                            "on its page.",
                            state=duo_states.LABELS[known.state],
                        ),
                    )
                continue
        if mentee is not None and mentee.state in MENTEE_BLOCKED:
            add_error(r, "mentee_email", state_error(mentee))

    _check_overlaps([r for r in fresh if r.status == NEW], existing, tenant)
    return reviewed


def _check_overlaps(fresh: list[RowReview], existing: list[Duo], tenant: Tenant) -> None:
    """One duo at a time for each person: the file's duos and the platform's."""
    spans: dict[tuple[str, Any], list[tuple[tuple[date, date | None], int | None]]] = defaultdict(
        list
    )
    for duo in existing:
        start = local_day(duo.started_at or duo.proposed_at, tenant)
        end = local_day(duo.ended_at, tenant) if duo.state not in duo_states.OPEN else None
        for side, pid in (("mentee", duo.mentee_id), ("mentor", duo.mentor_id)):
            spans[(side, pid)].append(((start, end), None))
    for r in fresh:
        span = (r.data["start"], r.data.get("end"))
        for side, column in (("mentee", "mentee_email"), ("mentor", "mentor_email")):
            person = r.data.get(side)
            key = (side, person.id if person is not None else r.data[column])
            for other, line in spans[key]:
                if _spans_overlap(span, other):
                    if line is None:
                        message = gettext("This duo overlaps a duo on the platform.")
                    else:
                        message = gettext("This duo overlaps the duo of line %(line)s.", line=line)
                    add_error(r, column, message)
                    break
            spans[key].append((span, r.line))
