"""PostgreSQL: no setting lets the application role see or delete another branch's people.

The HQ bypass (a ``duo.hq_aggregate`` setting the policies accepted) is gone; HQ reads
rollups. These tests run as the application role (the app's own connection) and try every
setting we can think of, plus every setting any policy mentions.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from duo.core.tenancy.models import tenant_owned_tables
from support import raw_sql as text
from support import today

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("postgres_only")]


ATTEMPTS = [
    "SELECT set_config('duo.hq_aggregate', 'on', true)",
    "SELECT set_config('duo.hq_aggregate', 'on', false)",
    "SET duo.hq_aggregate = 'on'",
    "SELECT set_config('duo.aggregate', 'on', true)",
    "SELECT set_config('duo.hq', 'on', true)",
    "SELECT set_config('duo.bypass', 'on', true)",
    "SELECT set_config('duo.all_tenants', 'true', true)",
    "SELECT set_config('duo.tenant_ids', '1,2,3,4,5,6,7,8,9,10', true)",
    "SELECT set_config('duo.tenant_id', '', true)",
    "SELECT set_config('duo.tenant_id', '*', true)",
    "SELECT set_config('duo.tenant_id', '1 OR true', true)",
    "SELECT set_config('duo.tenant_id', 'NULL', true)",
    "SELECT set_config('duo.tenant_id', '-1', true)",
    "SET row_security = off",
    "SET ROLE postgres",
    "SET ROLE NONE",
    "RESET ROLE",
    "SET SESSION AUTHORIZATION postgres",
    "SELECT set_config('role', 'postgres', true)",
    "SELECT set_config('session_authorization', 'postgres', true)",
    "ALTER TABLE people DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE people NO FORCE ROW LEVEL SECURITY",
    "DROP POLICY tenant_isolation ON people",
    "CREATE POLICY open_all ON people USING (true)",
    "ALTER ROLE CURRENT_USER BYPASSRLS",
    "SET search_path = pg_temp, public",
]


def _policy_settings(db) -> set[str]:
    rows = db.session.execute(text("SELECT qual, with_check FROM pg_policies")).all()
    found: set[str] = set()
    for qual, check in rows:
        for expr in (qual or "", check or ""):
            found.update(re.findall(r"current_setting\('([^']+)'", expr))
    return found


def test_no_policy_reads_any_setting_but_the_branch(db) -> None:
    assert _policy_settings(db) == {"duo.tenant_id"}
    rows = db.session.execute(
        text("SELECT tablename, qual FROM pg_policies WHERE policyname = 'tenant_isolation'")
    ).all()
    assert {t for t, _ in rows} == set(tenant_owned_tables())
    for table, qual in rows:
        assert "hq" not in qual and " OR " not in qual.upper(), (table, qual)


def _visible_branches(db) -> set[int]:
    branches: set[int] = set()
    for table in tenant_owned_tables():
        branches |= set(
            db.session.execute(text(f'SELECT DISTINCT tenant_id FROM "{table}"')).scalars()
        )
    return branches


def test_every_setting_leaves_other_branches_invisible_and_undeletable(
    db, tenants, create_person, in_tenant
) -> None:
    create_person("brussels", first_name="Bxl")
    create_person("antwerp", first_name="Antw")
    create_person("paris", first_name="Par")
    own = tenants["brussels"].id
    attempts = [*ATTEMPTS]
    attempts += [f"SELECT set_config('{name}', 'on', true)" for name in _policy_settings(db)]
    with in_tenant("brussels"):
        for statement in attempts:
            savepoint = db.session.begin_nested()
            try:
                db.session.execute(text(statement))
            except sa.exc.DBAPIError:
                savepoint.rollback()
                savepoint = db.session.begin_nested()
            try:
                visible = _visible_branches(db)
                assert visible <= {own}, (statement, visible)
                deleted = db.session.execute(
                    text("DELETE FROM people WHERE tenant_id <> :own"), {"own": own}
                ).rowcount
                assert deleted == 0, statement
                updated = db.session.execute(
                    text("UPDATE people SET first_name = 'x' WHERE tenant_id <> :own"),
                    {"own": own},
                ).rowcount
                assert updated == 0, statement
            except sa.exc.DBAPIError:
                pass  # refused outright is as good as seeing nothing
            finally:
                savepoint.rollback()
    with in_tenant("antwerp"):
        names = db.session.execute(text("SELECT first_name FROM people")).scalars().all()
    assert names == ["Antw"]


def test_switching_the_branch_setting_never_shows_two_branches(
    db, tenants, create_person, in_tenant
) -> None:
    create_person("brussels")
    create_person("antwerp")
    with in_tenant("brussels"):
        for slug in ("antwerp", "paris", "brussels"):
            db.session.execute(
                text("SELECT set_config('duo.tenant_id', :v, true)"),
                {"v": str(tenants[slug].id)},
            )
            assert len(_visible_branches(db)) <= 1


def test_rollups_are_readable_by_all_but_written_only_by_their_branch(
    db, tenants, in_tenant
) -> None:
    from duo.reporting.refresh import refresh_now

    refresh_now(tenants["brussels"].id)
    refresh_now(tenants["antwerp"].id)
    counts = db.session.execute(
        text("SELECT count(DISTINCT tenant_id) FROM report_refreshes")
    ).scalar_one()
    assert counts == 2  # HQ (no branch) reads every branch's rollups
    with in_tenant("brussels"):
        deleted = db.session.execute(
            text("DELETE FROM report_refreshes WHERE tenant_id = :t"),
            {"t": tenants["antwerp"].id, "m": today().replace(day=1)},
        ).rowcount
        assert deleted == 0
        savepoint = db.session.begin_nested()
        with pytest.raises(sa.exc.ProgrammingError):
            db.session.execute(
                text(
                    "INSERT INTO report_rollups (tenant_id, month, measure, dimension, category, "
                    "bucket, count, total) VALUES (:t, :m, 'x', '', '', -1, 1, 0)"
                ),
                {"t": tenants["antwerp"].id, "m": today().replace(day=1)},
            )
        savepoint.rollback()
