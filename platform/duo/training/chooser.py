"""Who could be enrolled in a cycle: the cycle page's chooser of people.

A branch holds thousands of mentors: the page lists the first of them (those waiting for
a training first, then by name) and a search by name or e-mail finds the others. Rows,
not entities: the chooser shows a name and a step, and the enrolment itself
(:func:`duo.training.enrolment.enrol`) loads the person it enrols.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Integer, Row, Select, bindparam, func, literal_column, select

from duo.core.db import db
from duo.core.tenancy.scoping import BranchRead
from duo.people import states
from duo.people.listing import name_search
from duo.people.models import MENTOR, Person
from duo.training.enrolment import CLOSED_STATES, ROLES_OF_AUDIENCE
from duo.training.models import ACTIVE_ENROLMENT, WHOLE_CYCLE, Enrolment, TrainingCycle

#: Eligible first, then in training, then the others (false sorts first): the expressions
#: of the index ``ix_people_tenant_role_chooser`` (``duo.people.models.CHOOSER_KEYS_SQL``),
#: with their values written out, so that the first page is read from the index in order.
_BANDS = (
    Person.state != literal_column(f"'{states.ELIGIBLE}'"),
    Person.state != literal_column(f"'{states.IN_TRAINING}'"),
)


def _candidates(search: str = "") -> Select:
    """The candidates of a cycle (``cycle_id``) among ``roles``, eligible ones first, then
    by name: columns only, as the chooser shows a name and a step."""
    taken = select(Enrolment.person_id).where(
        Enrolment.cycle_id == bindparam("cycle_id", type_=Enrolment.cycle_id.type),
        Enrolment.scope == WHOLE_CYCLE,
        Enrolment.status.in_(ACTIVE_ENROLMENT),
    )
    return (
        select(Person.id, Person.first_name, Person.last_name, Person.state)
        .where(
            Person.role.in_(bindparam("roles", expanding=True)),
            Person.state.not_in(CLOSED_STATES),
            Person.id.not_in(taken),
            *name_search(search),
        )
        .order_by(
            *_BANDS,
            func.lower(Person.last_name),
            func.lower(Person.first_name),
            Person.id,
        )
    )


#: The cycle page opens its chooser on every visit, mostly with no search: built once per
#: branch (a search, or one person asked about, builds its own).
_FIRST_CANDIDATES = BranchRead(lambda: _candidates().limit(bindparam("limit", type_=Integer)))


def candidates(
    cycle: TrainingCycle,
    *,
    search: str = "",
    limit: int | None = None,
    only: uuid.UUID | None = None,
) -> list[Row]:
    """People who could be enrolled in the whole cycle, eligible ones first, then by name:
    rows of (id, first_name, last_name, state).

    A branch holds thousands of mentors: the cycle page lists the first ``limit`` of them,
    and ``search`` (words of a name or an e-mail) finds the others. ``only`` asks about
    one person (the chooser's answer, checked when the form comes back).
    """
    params = {"cycle_id": cycle.id, "roles": list(ROLES_OF_AUDIENCE.get(cycle.audience, (MENTOR,)))}
    if not search and only is None and limit is not None:
        return list(_FIRST_CANDIDATES(limit=limit, **params))
    stmt = _candidates(search)
    if only is not None:
        stmt = stmt.where(Person.id == only)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.execute(stmt, params))
