"""Several JSON columns of a row read as one JSON array, so the driver parses one value.

The pool's query reads six JSON columns of two thousand profiles; parsing each one apart
(twelve thousand small documents) cost half of the query. The array is built by the database
(SQLite's ``json_array``, PostgreSQL's ``json_build_array``), on the same ORM ``select``, so
the branch filter applies as everywhere else.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from duo.core.db.types import JSONType


class json_array(FunctionElement):
    """``json_array(a, b, ...)``: a JSON list of the columns' values (SQL NULL as ``null``)."""

    name = "json_array"
    type = JSONType
    inherit_cache = True


@compiles(json_array)
def _sqlite(element: json_array, compiler: Any, **kw: Any) -> str:
    # SQLite keeps JSON as text: json() makes each value a JSON value, not a string of it.
    values = ", ".join(f"json({compiler.process(c, **kw)})" for c in element.clauses)
    return f"json_array({values})"


@compiles(json_array, "postgresql")
def _postgresql(element: json_array, compiler: Any, **kw: Any) -> str:
    values = ", ".join(compiler.process(c, **kw) for c in element.clauses)
    return f"json_build_array({values})"
