"""Automatic branch filtering in the ORM: the first of the two isolation layers.

Every ORM ``select``, ``update`` and ``delete`` touching a :class:`TenantScoped` model gets
``tenant_id = <current branch>`` added (also on joins, relationship loads and aliases).
With no branch selected the query fails closed: it raises when a branch-owned model is the
subject of the statement, and any branch-owned entity reached indirectly matches nothing.
Writes are checked at flush: a new row takes the current branch, a row of another branch
is refused. Core ``insert``/``update`` statements run through the session are checked too:
a ``tenant_id`` value other than the current branch's is refused. ``session.get()`` returns
an object of another branch as ``None``, even from the identity map, where the previous
scope's objects may still sit (the session class's :class:`~duo.core.db.VisibleGet`).
:func:`read_in_branch` reads plain rows past the ORM under the same filter. Raw SQL
(``text()``) that names a branch-owned table is refused through the session (it would skip
the filter on SQLite, where nothing else stands behind it), unless the statement carries
the execution option ``duo_raw_sql=True`` — for the tests of the second layer only.
PostgreSQL row-level security (:mod:`duo.core.tenancy.rls`) backs all this up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import CompoundSelect, Integer, Result, Select, event, false
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.elements import BindParameter, TextClause

from duo.core.db import add_visibility_check, db
from duo.core.tenancy.context import CrossTenantWriteError, NoTenantError, current_scope
from duo.core.tenancy.models import TenantScoped


def _is_scoped(cls: type) -> bool:
    return isinstance(cls, type) and issubclass(cls, TenantScoped)


class CrossTenantReadError(RuntimeError):
    """A read built with one branch's filter (:class:`BranchLoad`) run for another branch."""


class RawTenantSQLError(RuntimeError):
    """Raw SQL naming a branch-owned table, run outside the scoped (ORM) path."""


@cache
def _tenant_table_pattern() -> re.Pattern[str]:
    names = sorted(
        {
            mapper.local_table.name
            for mapper in db.Model.registry.mappers
            if _is_scoped(mapper.class_) and mapper.local_table is not None
        }
    )
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b", re.IGNORECASE)


def _values_given(state: ORMExecuteState) -> list[dict[str, Any]]:
    given: list[dict[str, Any]] = []
    params = state.parameters
    if isinstance(params, dict):
        given.append(params)
    elif isinstance(params, list | tuple):
        given.extend(p for p in params if isinstance(p, dict))
    if not given:  # values inside the statement (``.values(...)``): read them compiled
        given.append(dict(state.statement.compile().params))
    return given


def _check_core_write(state: ORMExecuteState, tenant_id: int | None) -> None:
    """``insert(Model).values(tenant_id=...)`` / ``update(...).values(tenant_id=...)``."""
    if not any(_is_scoped(m.class_) for m in state.all_mappers):
        return
    for values in _values_given(state):
        for key, value in values.items():
            # "tenant_id" is the SET/VALUES parameter; a WHERE on it binds "tenant_id_1"
            if key == "tenant_id" and value is not None and value != tenant_id:
                raise CrossTenantWriteError(
                    f"statement writes tenant_id={value} while working for {tenant_id}"
                )


@event.listens_for(Session, "do_orm_execute")
def _filter_to_current_tenant(state: ORMExecuteState) -> None:
    if state.is_column_load:
        return
    if isinstance(state.statement, TextClause):
        if not state.execution_options.get("duo_raw_sql") and _tenant_table_pattern().search(
            state.statement.text
        ):
            raise RawTenantSQLError(
                "raw SQL on a branch-owned table: use the ORM (it is scoped to the branch)"
            )
        return
    if state.is_insert or state.is_update:
        _check_core_write(state, current_scope().tenant_id)
    if not (state.is_select or state.is_update or state.is_delete):
        return
    scope = current_scope()
    tenant_id = scope.tenant_id
    if tenant_id is None:
        if any(_is_scoped(m.class_) for m in state.all_mappers):
            raise NoTenantError("query of a branch-owned model with no branch selected")
        state.statement = state.statement.options(
            with_loader_criteria(TenantScoped, lambda cls: false(), include_aliases=True)
        )
        return
    built_for = _PREFILTERED.get(id(state.statement))
    if built_for is not None:  # a statement built once, with a branch's filter
        if built_for != tenant_id:  # a second filter would not replace the first one
            raise CrossTenantReadError(
                f"a read built for branch {built_for} run while working for {tenant_id}"
            )
        return
    state.statement = state.statement.options(_in_branch(tenant_id))


#: id() of each :class:`BranchRead` / :class:`BranchLoad` statement -> the branch whose
#: filter it carries. Only the very statement object is recognised (a lazy load from its
#: rows, or any other statement, is filtered as usual); they keep their statements alive,
#: so no id is reused.
_PREFILTERED: dict[int, int] = {}


class _BranchValue(BindParameter):
    """The branch's id in the filter: a bound value that, compared with ``==``, answers
    whether it is the same value rather than building SQL.

    The ORM copies the filter's value once per table it filters (annotated copies, which
    hash like the value itself), and SQLAlchemy, rebuilding a cached statement's values on
    every execution, puts those copies in one dict: each equal hash was told apart by a
    SQL comparison built and then read as a boolean (the comparison of the two hashes),
    five times for a small count, 40% of running it. This answers the same thing without
    the SQL. ``Person.tenant_id == value`` is unchanged: the column's ``==`` builds it.
    """

    inherit_cache = True

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        return hash(self) == hash(other)

    __hash__ = BindParameter.__hash__


@lru_cache(maxsize=1024)
def _in_branch(tenant_id: int):
    """The criterion every ORM query gets: each branch-owned entity of the current branch.

    One option object per branch, made once: an option holds its branch as a bound value
    and can go into any number of statements, and making it (the lambda's analysis) was a
    sizeable part of a small query's time, on every query. The value is a SQL element of
    the lambda's closure, so every branch's statements share one compiled form, each with
    its own value."""
    value = _BranchValue("tenant_id", tenant_id, type_=Integer(), unique=True)
    return with_loader_criteria(
        TenantScoped, lambda cls: cls.tenant_id == value, include_aliases=True
    )


def read_in_branch(statement: Select) -> Result:
    """Run a ``select`` of columns on the session's connection, filtered to the current branch
    exactly as the ORM filters (:func:`_in_branch`), without the ORM's row handling.

    For reads of a few hundred thousand values (a rollup refresh), where the ORM's work on
    each column of each row is a sizeable part of the time; the rows are plain (no entities).
    With no branch selected it raises, like a query of a branch-owned model through the ORM.
    """
    tenant_id = current_scope().tenant_id
    if tenant_id is None:
        raise NoTenantError("query of a branch-owned model with no branch selected")
    return db.session.connection().execute(statement.options(_in_branch(tenant_id)))


class BranchRead:
    """A read of branch-owned rows built once, run on every page under the branch filter.

    The same filter as every ORM query (:func:`_in_branch`), added once per branch rather
    than on every execution, and run on the session's connection like
    :func:`read_in_branch`: a dashboard's counts, asked on every visit, spent three times as
    long building their statement, filtering it and going through the ORM's execution as
    reading the database. ``build`` makes the statement (values that change, such as now,
    are ``bindparam``s, given as keywords when called); rows are plain, never entities.

    Pending changes are flushed first, as the ORM's autoflush would, so a read never
    misses what its own request wrote. With no branch selected it raises.
    """

    def __init__(self, build: Callable[[], Select | CompoundSelect]) -> None:
        self._build = build
        self._by_branch: dict[int, Select | CompoundSelect] = {}

    def _statement(self) -> Select | CompoundSelect:
        """The current branch's statement, built and filtered on its first use; known to
        the ORM event as that branch's, should it ever run through the session."""
        tenant_id = current_scope().tenant_id
        if tenant_id is None:
            raise NoTenantError("query of a branch-owned model with no branch selected")
        statement = self._by_branch.get(tenant_id)
        if statement is None:
            statement = self._build().options(_in_branch(tenant_id))
            _PREFILTERED[id(statement)] = tenant_id
            self._by_branch[tenant_id] = statement
        return statement

    def __call__(self, **params: Any) -> Result:
        statement = self._statement()
        if db.session.autoflush:
            db.session.flush()
        return db.session.connection().execute(statement, params)


class BranchLoad(BranchRead):
    """An ORM read of entities built once per branch: as :class:`BranchRead`, but run
    through the session, so its rows are the session's objects (a page that loads a
    person, a duo or a profile it may then change).

    An ORM statement built on every call spent about as long being built, given the
    branch filter and keyed for the statement cache as the database took to answer
    (0.14 of 0.25 ms for a one-row read); a page makes ten. The statement carries the same
    filter as every ORM query (:func:`_in_branch`), added once, and the ORM event
    recognises it by identity rather than adding the filter again; the relationship loads
    its objects make later are statements of their own, filtered as always.
    """

    def __call__(self, **params: Any) -> Result:
        return db.session.execute(self._statement(), params)  # the session autoflushes


def _visible_in_scope(obj: object) -> bool:
    """``session.get()`` hands out a branch's object only while working for that branch."""
    if not _is_scoped(type(obj)):
        return True
    return obj.tenant_id == current_scope().tenant_id


add_visibility_check(_visible_in_scope)


@event.listens_for(Session, "before_flush")
def _check_writes(session: Session, flush_context, instances) -> None:
    new = session.new  # built anew on every access: read once (a bulk flush holds thousands)
    touched = [o for o in (*new, *session.dirty, *session.deleted) if _is_scoped(type(o))]
    if not touched:
        return
    tenant_id = current_scope().tenant_id
    if tenant_id is None:
        raise NoTenantError("write of a branch-owned row with no branch selected")
    for obj in touched:
        if obj in new and obj.tenant_id is None:
            obj.tenant_id = tenant_id
        if obj.tenant_id != tenant_id:
            raise CrossTenantWriteError(
                f"{type(obj).__name__} of branch {obj.tenant_id} written while working "
                f"for branch {tenant_id}"
            )
