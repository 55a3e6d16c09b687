"""Confirm a move-in file: every new row written, in the order of its dates, inside a
savepoint of the caller's transaction, or nothing at all.

The rows are reviewed again first (:func:`duo.moving_in.review.review`); then they go
through the people pipeline (dated on the days of the history), training attendance
(:mod:`duo.training.past`), the duo lifecycle (:func:`duo.duos.past.record_past`) and the
evaluation's outcome rows (the follow-up question marked answered, so nothing is asked).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from duo.core.db import db
from duo.core.jobs import enqueue
from duo.core.tenancy.models import Tenant
from duo.duos import history as duo_history
from duo.duos import lifecycle, past
from duo.duos.models import Duo
from duo.evaluation.models import Outcome, OutcomeAsk
from duo.moving_in.kinds import DUOS, MENTORS
from duo.moving_in.review import review
from duo.people import history as people_history
from duo.people import states as pstates
from duo.people.importing import (
    ImportRejected,
    Review,
    RowReview,
    add_profile_from_row,
    person_from_row,
    refuse_if_errors,
)
from duo.people.models import MENTEE, MENTOR, ImportBatch, Person
from duo.people.pipeline import InvalidTransition, register, transition
from duo.training.past import record_trained

#: Where the pipeline goes for a trained mentor, and for a mentee waiting for a mentor.
_MENTOR_CHAIN = (pstates.INTAKE_DONE, pstates.ELIGIBLE, pstates.IN_TRAINING, pstates.TRAINED)
_MENTEE_CHAIN = (pstates.INTAKE_DONE, pstates.ELIGIBLE)
#: How long before a dated step (training ended, duo started) its preconditions are dated.
_BEFORE = timedelta(hours=1)
_BEFORE_INTAKE = (pstates.REGISTERED, pstates.ATTENDED)

# --------------------------------------------------------------------------- confirm


def _walk(person: Person, chain: tuple[str, ...], at: Any, by: Any, reason: str) -> None:
    """Move ``person`` along ``chain`` from where they are (nothing when past its end)."""
    if person.state in _BEFORE_INTAKE:
        steps = chain
    elif person.state in chain:
        steps = chain[chain.index(person.state) + 1 :]
    elif person.state in (pstates.NEEDS_REVIEW, pstates.NOT_ELIGIBLE) and pstates.ELIGIBLE in chain:
        steps = chain[chain.index(pstates.ELIGIBLE) :]
    else:
        steps = ()
    for i, step in enumerate(steps):
        # One second apart, the last at ``at``: the history reads in the pipeline's order.
        moment = at - timedelta(seconds=len(steps) - 1 - i)
        moment = max(moment, person.state_changed_at + timedelta(seconds=1))
        transition(person, step, by=by, reason=reason, at=moment, flush=False)


def _new_person(tenant: Tenant, role: str, data: dict[str, Any], at: Any, filename: str) -> Person:
    person = person_from_row(data, role, id=uuid.uuid4(), tenant_id=tenant.id, created_at=at)
    register(
        person, reason=people_history.reason(people_history.IMPORTED, filename), at=at, flush=False
    )
    add_profile_from_row(person, data)
    return person


def _apply_mentors(rows: list[RowReview], tenant: Tenant, by: Any, filename: str) -> None:
    reason = people_history.reason(people_history.IMPORTED)
    ordered = sorted(rows, key=lambda r: (r.data["trained_on"], r.line))
    created: set[int] = set()
    for r in ordered:  # the new people first: the rows below refer to them
        if r.data.get("person") is None:
            at = past.local_moment(r.data["trained_on"], tenant) - _BEFORE
            r.data["person"] = _new_person(tenant, MENTOR, r.data, at, filename)
            created.add(r.line)
    db.session.flush()
    sessions: dict = {}  # the past training sessions of each day, read once
    for r in ordered:
        d = r.data
        person, new = d["person"], r.line in created
        record_trained(person, d["trained_on"], tenant, by=by, sessions=sessions, new=new)
        _walk(person, _MENTOR_CHAIN, past.local_moment(d["trained_on"], tenant), by, reason)
    db.session.flush()


def _apply_duos(rows: list[RowReview], tenant: Tenant, by: Any, filename: str) -> None:
    reason = people_history.reason(people_history.IMPORTED)
    ordered = sorted(rows, key=lambda r: (r.data["start"], r.line))
    created: dict[str, Person] = {}
    for r in ordered:  # the new mentees first (registered before their first duo)
        email = r.data["mentee_email"]
        if "new_mentee" in r.data and email not in created:
            at = past.local_moment(r.data["start"], tenant) - 2 * _BEFORE
            created[email] = _new_person(tenant, MENTEE, r.data["new_mentee"], at, filename)
    db.session.flush()
    for i, r in enumerate(ordered):
        d = r.data
        at = past.local_moment(d["start"], tenant) - _BEFORE
        mentee = d.get("mentee") or created[d["mentee_email"]]
        mentor = d["mentor"]
        _walk(mentee, _MENTEE_CHAIN, at, by, reason)
        if mentor.state == pstates.ALUMNI:
            transition(mentor, pstates.TRAINED, by=by, reason=reason, at=at)
        past.record_past(
            mentee,
            mentor,
            state=d["state"],
            started_on=d["start"],
            ended_on=d.get("end"),
            tenant=tenant,
            by=by,
            coordinator_id=d.get("coordinator_id"),
            reason=d.get("stop_reason"),
            flush=False,
        )
        if i % 500 == 499:
            db.session.flush()
    db.session.flush()


def _apply_outcomes(rows: list[RowReview], tenant: Tenant, by: Any) -> None:
    for r in rows:
        d = r.data
        duo: Duo = d["duo"]
        at = past.local_moment(d["known_on"], tenant)
        ask = db.session.execute(
            select(OutcomeAsk).where(
                OutcomeAsk.duo_id == duo.id, OutcomeAsk.months_after == d["months_after"]
            )
        ).scalar_one_or_none()
        if ask is None:
            ask = OutcomeAsk(
                tenant_id=duo.tenant_id,
                duo_id=duo.id,
                person_id=duo.mentee_id,
                months_after=d["months_after"],
                due_on=d["due_on"],
            )
            db.session.add(ask)
        ask.answered_at = at
        ask.lost_at = None
        db.session.add(
            Outcome(
                tenant_id=duo.tenant_id,
                duo_id=duo.id,
                person_id=duo.mentee_id,
                months_after=d["months_after"],
                status=d["outcome"],
                contract_type=d.get("contract_type"),
                hours_per_week=d.get("hours_per_week"),
                job_started_on=d.get("job_started_on"),
                note=d.get("note"),
                recorded_at=at,
                recorded_by_user_id=getattr(by, "id", None),
                by_coordinator=True,
            )
        )
        duo_history.record(
            duo,
            "outcome",
            by=by,
            on_behalf=True,
            details={"months_after": d["months_after"], "status": d["outcome"], "imported": True},
        )
    db.session.flush()


def confirm(batch: ImportBatch, tenant: Tenant, locales: list[str], *, by: Any) -> Review:
    """Write every new row of the batch, or raise :class:`ImportRejected` and write nothing."""
    result = review(batch.kind, batch.rows, tenant, locales)
    refuse_if_errors(result)
    try:
        with db.session.begin_nested():
            if batch.kind == MENTORS:
                _apply_mentors(result.new, tenant, by, batch.filename)
            elif batch.kind == DUOS:
                _apply_duos(result.new, tenant, by, batch.filename)
            else:
                _apply_outcomes(result.new, tenant, by)
    except (InvalidTransition, lifecycle.InvalidDuoTransition) as exc:
        raise ImportRejected(
            gettext("Nothing was imported: %(problem)s", problem=str(exc))
        ) from exc
    batch.status = "imported"
    batch.imported_count = len(result.new)
    batch.skipped_count = len(result.known)
    batch.rows = []  # the rows are on the platform now; keep no second copy of their data
    if result.new:
        tables = ("people", "person_state_changes", "duos", "duo_state_changes", "outcomes")
        enqueue("db.analyze", *tables, tenant_id=None)
    db.session.flush()
    return result
