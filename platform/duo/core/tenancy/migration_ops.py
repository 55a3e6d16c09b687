"""What the Alembic revisions in ``migrations/versions`` share: the shape of a branch-owned table.

Every such table ends with ``tenant_id`` and a UUID ``id`` (its primary key is the pair), has
a key to ``tenants`` and the ``tenant_isolation`` policy on PostgreSQL; rows of other
branch-owned tables are referred to by ``(tenant_id, column)``. The revisions say only what
differs. Names follow :data:`duo.core.db.NAMING`, as the models' names do.

A revision that has run is history: what a function here emits must never change, or a
database migrated before the change would differ from one migrated after. A new need is a
new function or a new argument whose default keeps today's output. Only revisions import this
module (it imports Alembic, which a web worker never loads).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from alembic import op

from duo.core.tenancy import rls

#: A foreign key of the table being created, given the table's name.
Key = Callable[[str], sa.ForeignKeyConstraint]


def user_key(column: str, ondelete: str = "SET NULL") -> Key:
    """``column`` holds a staff account's id (the row stays when the account goes)."""
    return lambda table: sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete=ondelete
    )


def row_key(column: str, target: str, ondelete: str | None = "CASCADE") -> Key:
    """``column`` holds the id of a row of the branch-owned table ``target``, same branch."""
    return lambda table: sa.ForeignKeyConstraint(
        ["tenant_id", column],
        [f"{target}.tenant_id", f"{target}.id"],
        name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
        ondelete=ondelete,
    )


def person_key(column: str = "person_id") -> Key:
    return row_key(column, "people")


def unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{'_'.join(columns)}"))


def create_branch_table(
    table: str,
    *columns: sa.Column,
    keys: Iterable[Key] = (),
    unique_together: Iterable[tuple[str, ...]] = (),
    indexed: Iterable[str] = (),
) -> None:
    """Create a branch-owned table, index the ``indexed`` columns and isolate its rows.

    ``keys`` come in the order they are written in the table's definition (on SQLite the
    stored ``CREATE TABLE`` keeps it); the key to ``tenants`` and the primary key follow them.
    """
    op.create_table(
        table,
        *columns,
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        *(key(table) for key in keys),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
        *(unique(table, *together) for together in unique_together),
    )
    for column in indexed:
        index(table, column)
    rls.migrate_enable(op, table)


def create_account_table(
    table: str, *columns: sa.Column, unique_columns: Iterable[str] = ()
) -> None:
    """Create a table of rows that belong to one staff account and go with it (its codes,
    sessions, password resets): an integer ``id`` and the indexed ``user_id`` come first."""
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        *columns,
        user_key("user_id", ondelete="CASCADE")(table),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        *(unique(table, column) for column in unique_columns),
    )
    index(table, "user_id")


def index(
    table: str,
    *columns: str,
    name: str | None = None,
    unique: bool = False,
    where: str | None = None,
) -> None:
    """An index named ``name``, or ``ix_<table>_<column>`` for one column; ``where`` makes
    it partial on both backends."""
    partial = {}
    if where is not None:
        partial = {"sqlite_where": sa.text(where), "postgresql_where": sa.text(where)}
    op.create_index(
        op.f(name or f"ix_{table}_{columns[0]}"), table, list(columns), unique=unique, **partial
    )


def drop_tables(*tables: str) -> None:
    """Drop tables in the order given, with their indexes and policies."""
    for table in tables:
        op.drop_table(table)
