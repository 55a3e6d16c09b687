"""Review and confirm a move-in file: rows sorted into new / already on the platform / error,
then written all together or not at all.

:func:`review` validates every row (:mod:`duo.moving_in.schemas`), then checks it against
the branch (who exists, who is trained, which duos and outcomes are recorded) and against
the file's other rows. It runs on every preview and again at the confirmation. The keys
that make a second import of the same file change nothing:

* a mentor: the e-mail address (a mentor already trained on the platform is skipped);
* a duo: mentor's e-mail, mentee's e-mail and start day;
* an outcome: the duo (mentee's e-mail and the duo's start day) and the follow-up point.

The duos file's review is :mod:`duo.moving_in.duo_rows`; writing is
:mod:`duo.moving_in.importer`.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from duo.core.db import db
from duo.core.i18n import zones
from duo.core.tenancy.models import Tenant
from duo.duos import lifecycle
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.evaluation.models import Outcome
from duo.moving_in import schemas
from duo.moving_in.duo_rows import review_duos
from duo.moving_in.kinds import DUOS, MENTORS, OUTCOMES
from duo.moving_in.rows import (
    MENTOR_BLOCKED,
    add_error,
    follow_up_months,
    local_day,
    people_by_email,
    state_error,
    validate_rows,
)
from duo.people.importing import KNOWN, NEW, Review
from duo.people.models import MENTEE, MENTOR
from duo.training.status import trained_mentor_ids

# --------------------------------------------------------------------------- review


def review(kind: str, rows: list[dict[str, Any]], tenant: Tenant, locales: list[str]) -> Review:
    """Validate every row of a move-in file of ``kind`` against the branch and the file."""
    if kind == MENTORS:
        return Review(_review_mentors(rows, tenant, locales))
    if kind == DUOS:
        return Review(review_duos(rows, tenant, locales))
    if kind == OUTCOMES:
        return Review(_review_outcomes(rows, tenant))
    raise ValueError(kind)


def _review_mentors(rows: list[dict[str, Any]], tenant: Tenant, locales: list[str]) -> list:
    reviewed = validate_rows(schemas.mentor_row_schema(locales), rows)
    fresh = [r for r in reviewed if r.status == NEW]
    people = people_by_email((r.data["email"] for r in fresh), MENTOR)
    trained = trained_mentor_ids(tenant.id) if people else set()
    first_line: dict[str, int] = {}
    for r in fresh:
        key = r.data["email"].lower()
        if key in first_line:
            add_error(
                r, "email", gettext("Same e-mail address as line %(line)s.", line=first_line[key])
            )
            continue
        first_line[key] = r.line
        person = people.get(key)
        if person is None:
            continue
        if person.id in trained:
            r.status = KNOWN
        elif person.state in MENTOR_BLOCKED:
            add_error(r, "email", state_error(person))
        else:
            r.data["person"] = person
    return reviewed


def _review_outcomes(rows: list[dict[str, Any]], tenant: Tenant) -> list:
    reviewed = validate_rows(schemas.outcome_row_schema(follow_up_months(tenant)), rows)
    fresh = [r for r in reviewed if r.status == NEW]
    mentees = people_by_email((r.data["mentee_email"] for r in fresh), MENTEE)
    duos: dict[tuple[uuid.UUID, date], Duo] = {}
    outcomes: dict[tuple[uuid.UUID, int], Outcome] = {}
    if mentees:
        ids = [p.id for p in mentees.values()]
        for duo in db.session.execute(select(Duo).where(Duo.mentee_id.in_(ids))).scalars():
            if duo.started_at is not None:
                duos[(duo.mentee_id, local_day(duo.started_at, tenant))] = duo
        duo_ids = [d.id for d in duos.values()]
        if duo_ids:
            stmt = select(Outcome).where(Outcome.duo_id.in_(duo_ids))
            for outcome in db.session.execute(stmt).scalars():
                outcomes[(outcome.duo_id, outcome.months_after)] = outcome
    today = zones.local_today(tenant.timezone)
    first_line: dict[tuple[uuid.UUID, int], int] = {}
    for r in fresh:
        d = r.data
        mentee = mentees.get(d["mentee_email"])
        if mentee is None:
            add_error(
                r,
                "mentee_email",
                gettext("No mentee with this e-mail address: import the duos file first."),
            )
            continue
        duo = duos.get((mentee.id, d["duo_start"]))
        if duo is None:
            add_error(r, "duo_start", gettext("This mentee has no duo that started on this day."))
            continue
        finished = duo.state in (duo_states.ENDED, duo_states.EVALUATED, duo_states.STOPPED)
        if not finished or duo.ended_at is None:
            add_error(
                r,
                "duo_start",
                gettext("This duo is still running: its outcomes come after its end."),
            )
            continue
        end = local_day(duo.ended_at, tenant)
        due_on = lifecycle.add_months(end, d["months_after"])
        if due_on > today:
            add_error(
                r,
                "months_after",
                gettext("This follow-up point is still to come."),
            )
            continue
        known_on = d.get("outcome_date") or due_on
        if known_on < end:
            add_error(r, "outcome_date", gettext("This date is before the end of the duo."))
            continue
        key = (duo.id, d["months_after"])
        if key in first_line:
            add_error(
                r,
                "months_after",
                gettext("Same duo and follow-up point as line %(line)s.", line=first_line[key]),
            )
            continue
        first_line[key] = r.line
        recorded = outcomes.get(key)
        if recorded is not None:
            same = recorded.status == d["outcome"] and recorded.contract_type == d.get(
                "contract_type"
            )
            if same:
                r.status = KNOWN
            else:
                add_error(
                    r,
                    "outcome",
                    gettext("Another outcome is already recorded for this follow-up point."),
                )
            continue
        d.update(duo=duo, due_on=due_on, known_on=known_on)
    return reviewed
