"""The candidates list's pages and exports: one page of people, or all of them, as rows.

The filters, the counts per role and state and the filtered statement live in
:mod:`duo.people.listing`; here they are read as the page shows them. The list as it
opens (filtered by role and state at most) is read by a statement built once per branch
(:func:`_plain_page`); a search by name, language, sector or session builds its own.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Bundle

from duo.core.db import db
from duo.core.tenancy.scoping import BranchRead
from duo.people.listing import PER_PAGE, Filters, count_of, filtered, state_counts
from duo.people.models import Person, Profile


@dataclass(frozen=True)
class Row:
    #: A Person (an export), or the columns a page of the list shows of one (a search).
    person: Any
    languages: dict[str, str]
    sectors: list[str]
    target_sector: str | None
    postcode: str | None


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)


def _ordered(stmt: Select, sort: str) -> Select:
    if sort == "waiting":
        return stmt.order_by(Person.state_changed_at.asc(), Person.id)
    if sort == "newest":
        return stmt.order_by(Person.created_at.desc(), Person.id)
    return stmt.order_by(func.lower(Person.last_name), func.lower(Person.first_name), Person.id)


def _total_from_counts(filters: Filters) -> int:
    """How many people a filter by role and state at most keeps: from the counts per role
    and state (the page shows those counts anyway)."""
    counts = state_counts()
    return sum(
        count_of(role, *([filters.state] if filters.state else counts[role]))
        for role in ([filters.role] if filters.role else counts)
    )


#: What the list shows of a person, and of their profile, read as columns: fifty people
#: loaded as the session's objects were a millisecond of the page, for rows only shown.
_PERSON_SHOWN = (
    Person.id,
    Person.first_name,
    Person.last_name,
    Person.role,
    Person.state,
    Person.state_changed_at,
    Person.email,
)
_PROFILE_SHOWN = (Profile.languages, Profile.sectors, Profile.target_sector, Profile.postcode)
_LISTED = Bundle("person", *_PERSON_SHOWN)


class Listed(NamedTuple):
    """What the list shows of a person (a row of :data:`_PERSON_SHOWN`)."""

    id: uuid.UUID
    first_name: str
    last_name: str
    role: str
    state: str
    state_changed_at: datetime
    email: str


def _only_role_and_state(filters: Filters) -> bool:
    return not (filters.q.split() or filters.language or filters.sector or filters.session)


@cache  # 2 x 2 x len(SORTS) statements at most
def _plain_page(by_role: bool, by_state: bool, sort: str) -> BranchRead:
    """A page of the list filtered by role and state at most (the list as it opens, its
    tabs, the dashboard's links), built once per branch and read as plain columns:
    building it on every visit and reading its rows through the ORM were a fifth of the
    list's time."""

    def build() -> Select:
        stmt = select(*_PERSON_SHOWN, *_PROFILE_SHOWN).outerjoin(
            Profile, (Profile.tenant_id == Person.tenant_id) & (Profile.person_id == Person.id)
        )
        if by_role:
            stmt = stmt.where(Person.role == bindparam("role"))
        if by_state:
            stmt = stmt.where(Person.state == bindparam("state"))
        return _ordered(stmt, sort).limit(bindparam("limit")).offset(bindparam("offset"))

    return BranchRead(build)


def search(filters: Filters, per_page: int = PER_PAGE) -> Page:
    """One page of people matching ``filters`` (the total, then the page); each row's
    ``person`` holds the columns the list shows (:class:`Listed`), not a Person."""
    if _only_role_and_state(filters):
        total = _total_from_counts(filters)
        page = min(filters.page, max(1, math.ceil(total / per_page)))
        read = _plain_page(bool(filters.role), bool(filters.state), filters.sort)
        params = {"limit": per_page, "offset": (page - 1) * per_page}
        params.update({k: v for k, v in (("role", filters.role), ("state", filters.state)) if v})
        rows = [
            Row(Listed(*r[:7]), dict(r[7] or {}), list(r[8] or []), r[9], r[10])
            for r in read(**params)
        ]
        return Page(rows, total, page, per_page)
    base = filtered(filters)
    total = db.session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    pages = max(1, math.ceil(total / per_page))
    page = min(filters.page, pages)
    stmt = (
        base.with_only_columns(_LISTED, *_PROFILE_SHOWN)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = [
        Row(person, dict(languages or {}), list(sectors or []), target, postcode)
        for person, languages, sectors, target, postcode in db.session.execute(
            _ordered(stmt, filters.sort)
        ).all()
    ]
    return Page(rows, total, page, per_page)


# --------------------------------------------------------------------------- export


def export_rows(filters: Filters) -> list[Row]:
    """Every person matching ``filters`` (no page), in the list's order, for an export."""
    stmt = filtered(filters).with_only_columns(Person, *_PROFILE_SHOWN)
    return [
        Row(person, dict(languages or {}), list(sectors or []), target, postcode)
        for person, languages, sectors, target, postcode in db.session.execute(
            _ordered(stmt, filters.sort)
        ).all()
    ]
