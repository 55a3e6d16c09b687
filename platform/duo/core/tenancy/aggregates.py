"""HQ's only way across branches: counting queries that never return a person's row.

HQ sees consolidated figures for every branch and country, never personal data. Instead of
trusting each report to be careful, this module refuses any statement whose result columns
are not aggregates or columns a model declares groupable (``__hq_groupable__``: state,
audience, year, ...). Inside, the ORM filter is lifted and PostgreSQL's policy admits all
branches through the ``duo.hq_aggregate`` setting, for this statement's transaction only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.sql import elements, functions

from duo.core.db import db
from duo.core.tenancy.context import hq_aggregate_scope


class NotAnAggregateError(ValueError):
    """The statement would hand HQ rows rather than figures."""


def _groupable(column: Any) -> bool:
    table = getattr(column, "table", None)
    key = getattr(column, "key", None)
    if key == "tenant_id":
        return True
    if key in {"country", "slug"} and getattr(table, "name", None) == "tenants":
        return True
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is table:
            return key in getattr(mapper.class_, "__hq_groupable__", ())
    return False


def _allowed(expr: Any) -> bool:
    while isinstance(expr, elements.Label):
        expr = expr.element
    if isinstance(expr, functions.FunctionElement):
        name = getattr(expr, "name", "").lower()
        if name == "count":
            return True  # a count reveals no value of any row
        # min/max/sum/avg and scalar functions would reveal values: groupable columns only
        return all(_allowed(c) for c in expr.clauses)
    if isinstance(expr, elements.Extract):
        return _allowed(expr.expr)
    if isinstance(expr, elements.ColumnClause):
        return _groupable(expr)
    return isinstance(expr, elements.BindParameter | elements.Null)


def check_aggregate(stmt: Select) -> None:
    for expr in stmt.selected_columns:
        if not _allowed(expr):
            raise NotAnAggregateError(f"HQ query selects a non-aggregate column: {expr}")


def run_aggregate(stmt: Select) -> list[Any]:
    """Execute an aggregate across all branches.

    Entering the scope re-applies the RLS setting inside the open transaction and leaving
    it restores the previous one, so nothing outlives this statement.
    """
    check_aggregate(stmt)
    with hq_aggregate_scope():
        return list(db.session.execute(stmt).all())
