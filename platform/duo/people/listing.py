"""The coordinator's pipeline view: counts per state, and a searchable, filtered, paged list.

Built to stay fast at thousands of people per branch: a page costs a fixed number of queries
(counts, total, one page of rows with the profile columns it shows) whatever the filters.
Filters on the profile's JSON lists use each backend's JSON functions (``json_each`` /
``json_type`` on SQLite, ``jsonb`` operators on PostgreSQL) so nothing is filtered in Python.

Filter values come from the URL: unknown ones are ignored rather than failing the page.
The *session* filter is provided by the sessions capability (:data:`SESSION_FILTER`).
The pages and exports of the list are read in :mod:`duo.people.list_pages`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, event, exists, func, literal, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from duo.core.db import db
from duo.core.hooks import Hook
from duo.core.plugins import Card
from duo.core.tenancy.scoping import BranchRead
from duo.core.vocab.audiences import ROLES
from duo.people import states, vocab
from duo.people.models import MENTEE, MENTOR, Person, Profile, waited_since

PER_PAGE = 50
SORTS = ("name", "waiting", "newest")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    state: str | None = None
    role: str | None = None
    session: uuid.UUID | None = None
    language: str | None = None
    sector: str | None = None
    sort: str = "name"
    page: int = 1

    def args(self, **changes: Any) -> dict[str, Any]:
        """URL arguments for these filters (with ``changes``), empty values left out."""
        values = replace(self, **changes)
        out = {
            "q": values.q,
            "state": values.state,
            "role": values.role,
            "session": str(values.session) if values.session else None,
            "language": values.language,
            "sector": values.sector,
            "sort": values.sort if values.sort != "name" else None,
            "page": values.page if values.page != 1 else None,
        }
        return {k: v for k, v in out.items() if v}

    @property
    def active(self) -> bool:
        return bool(
            self.q or self.state or self.role or self.session or self.language or self.sector
        )


def parse_filters(args: Mapping[str, str]) -> Filters:
    """Read filters from query arguments; anything unknown is dropped."""
    q = " ".join((args.get("q") or "").split())[:100]
    state = args.get("state") if args.get("state") in states.STATES else None
    role = args.get("role") if args.get("role") in ROLES else None
    language = args.get("language") if vocab.is_language_code(args.get("language")) else None
    sector = args.get("sector") if args.get("sector") in vocab.SECTORS else None
    sort = args.get("sort") if args.get("sort") in SORTS else "name"
    try:
        session = uuid.UUID(args.get("session") or "")
    except ValueError:
        session = None
    try:
        page = max(1, min(int(args.get("page") or 1), 100_000))
    except ValueError:
        page = 1
    return Filters(q, state, role, session, language, sector, sort, page)


# --------------------------------------------------------------------------- sessions


@dataclass(frozen=True)
class SessionFilter:
    """The filter "registered for this information session", provided by :mod:`duo.sessions`.

    The register of people sits below the sessions capability, so it asks for the filter
    through :data:`SESSION_FILTER` instead of importing it (see ``sessions/plugin.py``).
    """

    #: ``() -> [(id, start, label)]``: the branch's latest sessions, newest first.
    choices: Callable[[], list[tuple[str, datetime | None, str]]]
    #: ``(session id) -> select(person id)``: who registered for that session.
    person_ids: Callable[[uuid.UUID], Select]


SESSION_FILTER: Hook[SessionFilter] = Hook(
    "people.session_filter", "Filter the candidates by information session."
)


def session_choices() -> list[tuple[str, datetime | None, str]]:
    """(id, start, label) of the branch's latest information sessions; [] without sessions."""
    provider = SESSION_FILTER.one()
    return provider.choices() if provider is not None else []


# --------------------------------------------------------------------------- filters in SQL


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def has_language(code: str) -> Any:
    """The profile's languages mapping has ``code`` as a key."""
    if _dialect() == "postgresql":
        return type_coerce(Profile.languages, JSONB).has_key(code)
    return func.json_type(Profile.languages, literal("$.") + literal(code)).is_not(None)


def _json_list_contains(column: Any, value: str) -> Any:
    if _dialect() == "postgresql":
        return type_coerce(column, JSONB).contains(type_coerce([value], JSONB))
    items = func.json_each(column).table_valued("value")
    return exists(select(literal(1)).select_from(items).where(items.c.value == value))


def has_sector(sector: str) -> Any:
    """A mentor with experience in ``sector``, or a mentee aiming at it."""
    return or_(
        Profile.target_sector == sector,
        _json_list_contains(Profile.sectors, sector),
    )


def name_search(q: str) -> list[Any]:
    """Conditions keeping the people whose first or last name or e-mail holds each word
    of ``q`` (case-insensitive): the candidates list's search, and the training
    enrolment chooser's."""
    conditions = []
    for term in q.lower().split():
        conditions.append(
            or_(
                func.lower(Person.first_name).contains(term, autoescape=True),
                func.lower(Person.last_name).contains(term, autoescape=True),
                func.lower(Person.email).contains(term, autoescape=True),
            )
        )
    return conditions


def filtered(filters: Filters, *, include_state: bool = True) -> Select:
    """``select(Person.id)`` with every filter applied (the base for counts and pages)."""
    stmt = select(Person.id).outerjoin(
        Profile, (Profile.tenant_id == Person.tenant_id) & (Profile.person_id == Person.id)
    )
    conditions = name_search(filters.q)
    if include_state and filters.state:
        conditions.append(Person.state == filters.state)
    if filters.role:
        conditions.append(Person.role == filters.role)
    if filters.language:
        conditions.append(has_language(filters.language))
    if filters.sector:
        conditions.append(has_sector(filters.sector))
    if filters.session:
        provider = SESSION_FILTER.one()
        if provider is not None:
            conditions.append(Person.id.in_(provider.person_ids(filters.session)))
    return stmt.where(*conditions)


# --------------------------------------------------------------------------- counts


_MEMO = "duo.state_counts"


def state_counts() -> dict[str, dict[str, int]]:
    """role -> state -> number of people (the whole branch, one query).

    Several to-dos and cards of one page read these numbers (the dashboard: the headline
    cards, intakes and decisions waiting, mentors waiting for training or for a mentee):
    they are counted once per request and branch, and counted afresh after anything
    is written (a flush or a bulk statement), so a page never shows numbers older than
    its own changes.
    """
    return _counted()[0]


def _counted() -> tuple[dict[str, dict[str, int]], dict[tuple[str, str], datetime | None]]:
    """The counts of :func:`state_counts` and, per role and state, the longest wait."""
    from duo.core.tenancy.context import current_tenant_id

    key = current_tenant_id()
    memo = request.environ.get(_MEMO) if has_request_context() else None
    if memo is not None and memo[0] == key:
        return memo[1]
    counts: dict[str, dict[str, int]] = {MENTOR: {}, MENTEE: {}}
    oldest: dict[tuple[str, str], datetime | None] = {}
    for role, state, n, since in _COUNTS():
        counts.setdefault(role, {})[state] = n
        oldest[role, state] = since
    if has_request_context():
        request.environ[_MEMO] = (key, (counts, oldest))
    return counts, oldest


def _by_role_and_state() -> Select:
    # With the longest wait of each group: the dashboard's "waiting for a mentor, the
    # longest for N weeks" comes with the counts, from one index (no statement of its own).
    return select(Person.role, Person.state, func.count(), func.min(waited_since())).group_by(
        Person.role, Person.state
    )


_COUNTS = BranchRead(_by_role_and_state)


def count_of(role: str, *wanted: str) -> int:
    """People of ``role`` in any of the ``wanted`` states (from :func:`state_counts`)."""
    of_role = state_counts().get(role, {})
    return sum(of_role.get(state, 0) for state in wanted)


def longest_waiting(role: str) -> datetime | None:
    """Since when the eligible person of ``role`` who has waited longest waits
    (``Person.waiting_since``, or before a first wait the last change of state); None if
    nobody of ``role`` is eligible. Read with :func:`state_counts`."""
    return _counted()[1].get((role, states.ELIGIBLE))


def _forget_counts(*_args: Any, **_kwargs: Any) -> None:
    if has_request_context():
        request.environ.pop(_MEMO, None)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Any, _context: Any) -> None:
    _forget_counts()


@event.listens_for(Session, "do_orm_execute")
def _after_bulk(state: Any) -> None:
    if not state.is_select:
        _forget_counts()


def overview_cards() -> list[Card]:
    """The branch overview's headline figures: how many mentors and mentees."""
    counts = state_counts()
    return [
        Card(_l("Mentors"), sum(counts.get(MENTOR, {}).values())),
        Card(_l("Mentees"), sum(counts.get(MENTEE, {}).values())),
    ]


# --------------------------------------------------------------------------- to-dos


def todo_counts() -> dict[str, int]:
    """How many people wait for an intake (attended, no intake yet) and for a decision."""
    totals: dict[str, int] = {}
    for of_role in state_counts().values():
        for state in (states.ATTENDED, states.NEEDS_REVIEW, states.INTAKE_DONE):
            if of_role.get(state):
                totals[state] = totals.get(state, 0) + of_role[state]
    return totals
