"""Ready to distribute by branch (Citus): every key of a branch-owned table includes
``tenant_id``, and the branch setting is made with ``SET LOCAL`` (Citus propagates it)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from duo.core.db import db as _db
from duo.core.settings import REPO_ROOT
from duo.core.tenancy.models import TenantScoped
from duo.core.tenancy.rls import setting_sql


def tenant_tables() -> dict[str, sa.Table]:
    """Branch-owned tables: the TenantScoped models', and any table keyed by tenant_id
    (the reporting rollups: one branch's figures, readable by HQ, distributed alike)."""
    from duo.app import load_models

    load_models()
    tables = {}
    for mapper in _db.Model.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, TenantScoped) and mapper.local_table is not None:
            tables[mapper.local_table.name] = mapper.local_table
    for table in _db.metadata.sorted_tables:
        if "tenant_id" in table.primary_key.columns:
            tables[table.name] = table
    return tables


def test_there_are_branch_owned_tables() -> None:
    assert {"people", "outgoing_mails", "training_feed_tokens"} <= set(tenant_tables())


def test_every_key_of_a_branch_owned_table_includes_tenant_id() -> None:
    tables = tenant_tables()
    problems = []
    for name, table in sorted(tables.items()):
        if "tenant_id" not in table.primary_key.columns:
            problems.append(f"{name}: primary key {table.primary_key.columns.keys()}")
        for constraint in table.constraints:
            columns = [c.name for c in constraint.columns]
            if isinstance(constraint, sa.UniqueConstraint) and "tenant_id" not in columns:
                problems.append(f"{name}: unique {columns}")
            if isinstance(constraint, sa.ForeignKeyConstraint):
                target = constraint.referred_table.name
                if target in tables and "tenant_id" not in columns:
                    problems.append(f"{name}: foreign key {columns} -> {target}")
        for index in table.indexes:
            columns = [c.name for c in index.columns]
            if index.unique and "tenant_id" not in columns:
                problems.append(f"{name}: unique index {columns}")
        for column in table.columns:
            if column.unique and column.name != "tenant_id":
                problems.append(f"{name}: {column.name} unique on its own")
    assert problems == []


def _script() -> str:
    return (REPO_ROOT / "infra" / "citus" / "distribute.sql").read_text()


def test_the_distribution_script_distributes_by_tenant_id_and_keeps_the_outbox_local() -> None:
    script = _script()
    assert "create_distributed_table(step.table_name, 'tenant_id'" in script
    assert "create_reference_table(step.table_name)" in script
    assert "citus.propagate_set_commands = 'local'" in script
    assert "outbox_jobs" in script  # named as local


@pytest.mark.postgres
def test_the_distribution_plan_finds_every_branch_owned_table_parents_first(db) -> None:
    """The script's plan (the part that needs no Citus) run on the migrated schema."""
    from support import DATABASE_URL, need

    need(bool(DATABASE_URL), "DATABASE_URL is not set")
    script = _script()
    plan = script[script.index("-- >>> plan") : script.index("-- <<< plan")]
    # Straight to the driver: the function body holds a '%' that is not a placeholder.
    db.session.connection().connection.cursor().execute(plan)
    rows = db.session.execute(
        sa.text("SELECT table_name, kind FROM pg_temp.duo_citus_plan() ORDER BY step_no")
    ).all()
    distributed = [name for name, kind in rows if kind == "distributed"]
    # The reporting rollups are not branch-scoped in the ORM (HQ reads them all) but are
    # keyed by tenant_id and written per branch: distributed by branch too.
    rollups = {"report_rollups", "report_refreshes"}
    assert set(distributed) == set(tenant_tables()) | rollups
    assert [name for name, kind in rows if kind == "reference"] == [
        "tenants",
        "users",
        "role_grants",
    ]
    order = {name: i for i, name in enumerate(distributed)}
    for name, table in tenant_tables().items():
        for fk in table.foreign_key_constraints:
            parent = fk.referred_table.name
            if parent in order and parent != name:
                assert order[parent] < order[name], (parent, name)


def test_the_setting_statement_takes_only_an_id() -> None:
    assert setting_sql(7) == "SET LOCAL duo.tenant_id = '7'"
    assert setting_sql(None) == "SET LOCAL duo.tenant_id = ''"
    for bad in ("7'; DROP TABLE people; --", 7.5, True):
        with pytest.raises(TypeError):
            setting_sql(bad)


@pytest.mark.postgres
def test_the_scope_reaches_postgresql_as_a_transaction_local_setting(db, tenants) -> None:
    from duo.core.tenancy.context import tenant_scope
    from support import DATABASE_URL, need

    need(bool(DATABASE_URL), "DATABASE_URL is not set")
    with tenant_scope(tenants["lille"].id):
        value = db.session.execute(sa.text("SELECT current_setting('duo.tenant_id')")).scalar()
        assert value == str(tenants["lille"].id)
