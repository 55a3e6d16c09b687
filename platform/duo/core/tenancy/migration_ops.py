"""What the Alembic revisions in ``migrations/versions`` share: the shape of a branch-owned table.

Every such table ends with ``tenant_id`` and a UUID ``id`` (its primary key is the pair), has
a key to ``tenants`` and the ``tenant_isolation`` policy on PostgreSQL; a row of another
branch-owned table is referred to by ``(tenant_id, column)``. The revisions say only what
differs: a column made by :func:`user_ref`, :func:`row_ref` or :func:`person_ref` brings its
foreign key along. Names follow :data:`duo.core.db.NAMING`, as the models' names do.

A revision that has run is history: what a function here emits must never change, or a
database migrated before the change would differ from one migrated after. A new need is a
new function or a new argument whose default keeps today's output. Only revisions import this
module (it imports Alembic, which a web worker never loads).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import sqlalchemy as sa
from alembic import op

from duo.core.tenancy import rls

#: Where a column made here keeps its foreign key: a function of the table's name.
_KEY = "duo.migration_key"
Key = Callable[[str], sa.ForeignKeyConstraint]


def _keyed(column: sa.Column, key: Key) -> sa.Column:
    column.info[_KEY] = key
    return column


def user_ref(column: str, nullable: bool = True, ondelete: str = "SET NULL") -> sa.Column:
    """A staff account's id; by default the row stays when the account goes."""
    return _keyed(
        sa.Column(column, sa.Integer(), nullable=nullable),
        lambda table: sa.ForeignKeyConstraint(
            [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete=ondelete
        ),
    )


def row_ref(
    column: str, target: str, nullable: bool = False, ondelete: str | None = "CASCADE"
) -> sa.Column:
    """The id of a row of the branch-owned table ``target``, in the same branch."""
    return _keyed(
        sa.Column(column, sa.Uuid(), nullable=nullable),
        lambda table: sa.ForeignKeyConstraint(
            ["tenant_id", column],
            [f"{target}.tenant_id", f"{target}.id"],
            name=op.f(f"fk_{table}_tenant_id_{column}_{target}"),
            ondelete=ondelete,
        ),
    )


def person_ref(column: str = "person_id", nullable: bool = False) -> sa.Column:
    """A person of the branch; the row goes when the person is erased."""
    return row_ref(column, "people", nullable=nullable)


def unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{'_'.join(columns)}"))


def _keys(table: str, columns: Iterable[sa.Column]) -> list[sa.ForeignKeyConstraint]:
    # In the order of their names, as autogenerate wrote them: SQLite stores the CREATE
    # TABLE, whose constraints stand in the order they were made in.
    keys = [column.info[_KEY] for column in columns if _KEY in column.info]
    keys.sort(key=lambda key: key(table).name)
    return [key(table) for key in keys]


def create_branch_table(
    table: str,
    *columns: sa.Column,
    unique_together: Iterable[tuple[str, ...]] = (),
    indexed: Iterable[str] = (),
    named_indexes: Mapping[str, list[str]] | None = None,
) -> None:
    """Create a branch-owned table with its indexes (one for each ``indexed`` column, and
    ``named_indexes``: name to columns), and isolate its rows."""
    tenant_id = _keyed(
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        lambda name: sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{name}_tenant_id_tenants")
        ),
    )
    columns = (*columns, tenant_id, sa.Column("id", sa.Uuid(), nullable=False))
    op.create_table(
        table,
        *columns,
        *_keys(table, columns),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f(f"pk_{table}")),
        *(unique(table, *together) for together in unique_together),
    )
    for column in indexed:
        index(table, [column])
    for name, index_columns in (named_indexes or {}).items():
        index(table, index_columns, name=name)
    rls.migrate_enable(op, table)


def create_account_table(
    table: str, *columns: sa.Column, unique_columns: Iterable[str] = ()
) -> None:
    """Create a table of rows that belong to one staff account and go with it (its codes,
    sessions, password resets): an integer ``id`` and the indexed ``user_id`` come first."""
    columns = (
        sa.Column("id", sa.Integer(), nullable=False),
        user_ref("user_id", nullable=False, ondelete="CASCADE"),
        *columns,
    )
    op.create_table(
        table,
        *columns,
        *_keys(table, columns),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        *(unique(table, column) for column in unique_columns),
    )
    index(table, ["user_id"])


def index(
    table: str,
    columns: list[str],
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
        op.f(name or f"ix_{table}_{columns[0]}"), table, columns, unique=unique, **partial
    )


def drop_tables(*tables: str) -> None:
    """Drop tables in the order given, with their indexes and policies."""
    for table in tables:
        op.drop_table(table)
