"""Review and confirm a move-in file: rows sorted into new / already on the platform / error,
then written all together or not at all.

:func:`review` validates every row (:mod:`duo.moving_in.schemas`), then checks it against
the branch (who exists, who is trained, which duos and outcomes are recorded) and against
the file's other rows. It runs on every preview and again at the confirmation. The keys
that make a second import of the same file change nothing:

* a mentor: the e-mail address (a mentor already trained on the platform is skipped);
* a duo: mentor's e-mail, mentee's e-mail and start day;
* an outcome: the duo (mentee's e-mail and the duo's start day) and the follow-up point.

:func:`confirm` writes the new rows inside a savepoint of the caller's transaction, in
the order of their dates, through the people pipeline, training attendance, the duo
lifecycle and the evaluation's outcome rows.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext, ngettext
from sqlalchemy import func, or_, select

from duo.core.auth.models import COORDINATOR, RoleGrant, User
from duo.core.db import db
from duo.core.i18n import zones
from duo.core.jobs import enqueue
from duo.core.tenancy.models import Tenant
from duo.duos import history as duo_history
from duo.duos import lifecycle
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.evaluation.models import Outcome, OutcomeAsk
from duo.moving_in import schemas
from duo.moving_in.kinds import DUOS, MENTORS, OUTCOMES
from duo.people import history as people_history
from duo.people import spreadsheet
from duo.people import states as pstates
from duo.people.importing import ERROR, KNOWN, NEW, ImportRejected, Review, RowReview, messages
from duo.people.models import MENTEE, MENTOR, ImportBatch, Person, Profile
from duo.people.pipeline import InvalidTransition, register, transition
from duo.training.past import record_trained
from duo.training.status import trained_mentor_ids

#: Where the pipeline goes for a trained mentor, and for a mentee waiting for a mentor.
_MENTOR_CHAIN = (pstates.INTAKE_DONE, pstates.ELIGIBLE, pstates.IN_TRAINING, pstates.TRAINED)
_MENTEE_CHAIN = (pstates.INTAKE_DONE, pstates.ELIGIBLE)
#: How long before a dated step (training ended, duo started) its preconditions are dated.
_BEFORE = timedelta(hours=1)
_BEFORE_INTAKE = (pstates.REGISTERED, pstates.ATTENDED)
#: States that a coordinator settles on the person's page before their history comes in.
_MENTOR_BLOCKED = (pstates.NOT_ELIGIBLE, pstates.NEEDS_REVIEW, pstates.WITHDRAWN)
_MENTEE_BLOCKED = (pstates.NOT_ELIGIBLE, pstates.MATCHED, pstates.IN_DUO, pstates.WITHDRAWN)


def _error(row: RowReview, column: str, message: str) -> None:
    row.status = ERROR
    row.errors.setdefault(column, []).append(message)


def _state_error(person: Person) -> str:
    return gettext(
        "%(name)s is “%(state)s” on the platform: settle this on their page first.",
        name=person.full_name,
        state=pstates.LABELS[person.state],
    )


def _validate(schema: Any, rows: list[dict[str, Any]]) -> list[RowReview]:
    reviewed = []
    for row in rows:
        cells = dict(row.get("cells") or {})
        errors = spreadsheet.formula_errors(cells) or schema.validate(cells)
        if errors:
            found = {k: messages(v) for k, v in errors.items()}
            reviewed.append(RowReview(row["line"], cells, ERROR, errors=found))
        else:
            reviewed.append(RowReview(row["line"], cells, NEW, data=schema.load(cells)))
    return reviewed


def _people(emails: Iterable[str], role: str) -> dict[str, Person]:
    wanted = sorted({e.lower() for e in emails if e})
    found: dict[str, Person] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        stmt = select(Person).where(Person.role == role, func.lower(Person.email).in_(chunk))
        for person in db.session.execute(stmt).scalars():
            found[person.email.lower()] = person
    return found


def _local(moment: Any, tenant: Tenant) -> date | None:
    return zones.local_date(moment, tenant.timezone) if moment is not None else None


def follow_up_months(tenant: Tenant) -> int:
    return int((tenant.config.get("programme") or {}).get("follow_up_months", 12))


# --------------------------------------------------------------------------- review


def review(kind: str, rows: list[dict[str, Any]], tenant: Tenant, locales: list[str]) -> Review:
    """Validate every row of a move-in file of ``kind`` against the branch and the file."""
    if kind == MENTORS:
        return Review(_review_mentors(rows, tenant, locales))
    if kind == DUOS:
        return Review(_review_duos(rows, tenant, locales))
    if kind == OUTCOMES:
        return Review(_review_outcomes(rows, tenant))
    raise ValueError(kind)


def _review_mentors(rows: list[dict[str, Any]], tenant: Tenant, locales: list[str]) -> list:
    reviewed = _validate(schemas.mentor_row_schema(locales), rows)
    fresh = [r for r in reviewed if r.status == NEW]
    people = _people((r.data["email"] for r in fresh), MENTOR)
    trained = trained_mentor_ids(tenant.id) if people else set()
    first_line: dict[str, int] = {}
    for r in fresh:
        key = r.data["email"].lower()
        if key in first_line:
            _error(
                r, "email", gettext("Same e-mail address as line %(line)s.", line=first_line[key])
            )
            continue
        first_line[key] = r.line
        person = people.get(key)
        if person is None:
            continue
        if person.id in trained:
            r.status = KNOWN
        elif person.state in _MENTOR_BLOCKED:
            _error(r, "email", _state_error(person))
        else:
            r.data["person"] = person
    return reviewed


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


def _review_duos(rows: list[dict[str, Any]], tenant: Tenant, locales: list[str]) -> list:
    reviewed = _validate(schemas.duo_row_schema(), rows)
    fresh = [r for r in reviewed if r.status == NEW]
    mentors = _people((r.data["mentor_email"] for r in fresh), MENTOR)
    mentees = _people((r.data["mentee_email"] for r in fresh), MENTEE)
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
        (d.mentor_id, d.mentee_id, _local(d.started_at or d.proposed_at, tenant)): d
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
            _error(
                r,
                "mentor_email",
                gettext("No mentor with this e-mail address: import the mentors file first."),
            )
        elif mentor.id not in trained:
            _error(
                r,
                "mentor_email",
                gettext(
                    "%(name)s is not trained on the platform: import them with the mentors "
                    "file first.",
                    name=mentor.full_name,
                ),
            )
        elif mentor.state not in (pstates.TRAINED, pstates.ALUMNI):
            _error(r, "mentor_email", _state_error(mentor))
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
                    _error(r, _mentee_column(field), message)
            if not person_errors:
                d["new_mentee"] = mentee_schema.load(_mentee_cells(r.cells, email))
        elif email not in creators:
            _error(
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
                _error(
                    r,
                    "coordinator_email",
                    gettext("Nobody with this e-mail address coordinates this branch."),
                )

        key = (d["mentor_email"], email, d["start"])
        if key in first_line:
            _error(
                r,
                "start",
                gettext("Same mentor, mentee and start as line %(line)s.", line=first_line[key]),
            )
            continue
        first_line[key] = r.line
        if mentor is not None and mentee is not None:
            known = by_key.get((mentor.id, mentee.id, d["start"]))
            if known is not None:
                if known.state == d["state"] and _local(known.ended_at, tenant) == d.get("end"):
                    r.status = KNOWN
                    r.errors = {}
                else:
                    _error(
                        r,
                        "state",
                        gettext(
                            "This duo is already on the platform as “%(state)s”: change it "
                            "on its page.",
                            state=duo_states.LABELS[known.state],
                        ),
                    )
                continue
        if mentee is not None and mentee.state in _MENTEE_BLOCKED:
            _error(r, "mentee_email", _state_error(mentee))

    _check_overlaps([r for r in fresh if r.status == NEW], existing, tenant)
    return reviewed


def _check_overlaps(fresh: list[RowReview], existing: list[Duo], tenant: Tenant) -> None:
    """One duo at a time for each person: the file's duos and the platform's."""
    spans: dict[tuple[str, Any], list[tuple[tuple[date, date | None], int | None]]] = defaultdict(
        list
    )
    for duo in existing:
        start = _local(duo.started_at or duo.proposed_at, tenant)
        end = _local(duo.ended_at, tenant) if duo.state not in duo_states.OPEN else None
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
                    _error(r, column, message)
                    break
            spans[key].append((span, r.line))


def _review_outcomes(rows: list[dict[str, Any]], tenant: Tenant) -> list:
    reviewed = _validate(schemas.outcome_row_schema(follow_up_months(tenant)), rows)
    fresh = [r for r in reviewed if r.status == NEW]
    mentees = _people((r.data["mentee_email"] for r in fresh), MENTEE)
    duos: dict[tuple[uuid.UUID, date], Duo] = {}
    outcomes: dict[tuple[uuid.UUID, int], Outcome] = {}
    if mentees:
        ids = [p.id for p in mentees.values()]
        for duo in db.session.execute(select(Duo).where(Duo.mentee_id.in_(ids))).scalars():
            if duo.started_at is not None:
                duos[(duo.mentee_id, _local(duo.started_at, tenant))] = duo
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
            _error(
                r,
                "mentee_email",
                gettext("No mentee with this e-mail address: import the duos file first."),
            )
            continue
        duo = duos.get((mentee.id, d["duo_start"]))
        if duo is None:
            _error(r, "duo_start", gettext("This mentee has no duo that started on this day."))
            continue
        finished = duo.state in (duo_states.ENDED, duo_states.EVALUATED, duo_states.STOPPED)
        if not finished or duo.ended_at is None:
            _error(
                r,
                "duo_start",
                gettext("This duo is still running: its outcomes come after its end."),
            )
            continue
        end = _local(duo.ended_at, tenant)
        due_on = lifecycle.add_months(end, d["months_after"])
        if due_on > today:
            _error(
                r,
                "months_after",
                gettext("This follow-up point is still to come."),
            )
            continue
        known_on = d.get("outcome_date") or due_on
        if known_on < end:
            _error(r, "outcome_date", gettext("This date is before the end of the duo."))
            continue
        key = (duo.id, d["months_after"])
        if key in first_line:
            _error(
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
                _error(
                    r,
                    "outcome",
                    gettext("Another outcome is already recorded for this follow-up point."),
                )
            continue
        d.update(duo=duo, due_on=due_on, known_on=known_on)
    return reviewed


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
        transition(person, step, by=by, reason=reason, at=moment)


def _new_person(role: str, data: dict[str, Any], at: Any, filename: str) -> Person:
    person = Person(
        role=role,
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        phone=data.get("phone"),
        birth_year=data.get("birth_year"),
        locale=data["language"],
        created_at=at,
    )
    register(person, reason=people_history.reason(people_history.IMPORTED, filename), at=at)
    db.session.flush()
    sectors = data.get("sectors") or []
    if data.get("postcode") or data.get("languages") or sectors:
        db.session.add(
            Profile(
                person=person,
                postcode=(data.get("postcode") or "").upper() or None,
                languages=data.get("languages") or {},
                sectors=[] if role == MENTEE else sectors,
                target_sector=(sectors[0] if role == MENTEE and sectors else None),
            )
        )
    return person


def _apply_mentors(rows: list[RowReview], tenant: Tenant, by: Any, filename: str) -> None:
    reason = people_history.reason(people_history.IMPORTED)
    for r in sorted(rows, key=lambda r: (r.data["trained_on"], r.line)):
        d = r.data
        at = lifecycle.local_moment(d["trained_on"], tenant)
        person = d.get("person") or _new_person(MENTOR, d, at - _BEFORE, filename)
        record_trained(person, d["trained_on"], tenant, by=by)
        _walk(person, _MENTOR_CHAIN, at, by, reason)


def _apply_duos(rows: list[RowReview], tenant: Tenant, by: Any, filename: str) -> None:
    reason = people_history.reason(people_history.IMPORTED)
    created: dict[str, Person] = {}
    creating = {
        r.data["mentee_email"]: r.data["new_mentee"] for r in rows if "new_mentee" in r.data
    }
    for r in sorted(rows, key=lambda r: (r.data["start"], r.line)):
        d = r.data
        at = lifecycle.local_moment(d["start"], tenant) - _BEFORE
        email = d["mentee_email"]
        mentee = d.get("mentee") or created.get(email)
        if mentee is None:
            mentee = created[email] = _new_person(MENTEE, creating[email], at - _BEFORE, filename)
        mentor = d["mentor"]
        _walk(mentee, _MENTEE_CHAIN, at, by, reason)
        if mentor.state == pstates.ALUMNI:
            transition(mentor, pstates.TRAINED, by=by, reason=reason, at=at)
        lifecycle.record_past(
            mentee,
            mentor,
            state=d["state"],
            started_on=d["start"],
            ended_on=d.get("end"),
            tenant=tenant,
            by=by,
            coordinator_id=d.get("coordinator_id"),
            reason=d.get("stop_reason"),
        )


def _apply_outcomes(rows: list[RowReview], tenant: Tenant, by: Any) -> None:
    for r in rows:
        d = r.data
        duo: Duo = d["duo"]
        at = lifecycle.local_moment(d["known_on"], tenant)
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
    if not result.ok:
        raise ImportRejected(
            ngettext(
                "%(num)d row has an error: nothing was imported.",
                "%(num)d rows have errors: nothing was imported.",
                len(result.errors),
            )
        )
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
