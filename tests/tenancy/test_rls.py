"""PostgreSQL row-level security: the second layer, for raw SQL and forgotten filters."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from duo.core.tenancy.models import tenant_owned_tables
from support import raw_sql as text

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("postgres_only")]


def test_every_tenant_owned_table_has_rls_enabled_and_forced(db) -> None:
    tables = tenant_owned_tables()
    assert "people" in tables
    rows = db.session.execute(
        text(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname = ANY(:names) AND relkind = 'r'"
        ),
        {"names": tables},
    ).all()
    found = {name: (enabled, forced) for name, enabled, forced in rows}
    assert set(found) == set(tables)
    for name, (enabled, forced) in found.items():
        assert enabled and forced, f"RLS not enabled and forced on {name}"


def test_every_table_with_tenant_id_is_declared_tenant_owned(db) -> None:
    rows = db.session.execute(
        text(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id' "
            "AND table_schema = 'public'"
        )
    ).scalars()
    # role_grants and outbox_jobs are global tables that merely point at a branch; the
    # reporting rollups hold no person and are readable by all (written per branch only).
    global_tables = {"role_grants", "outbox_jobs", "report_rollups", "report_refreshes"}
    assert set(rows) - global_tables == set(tenant_owned_tables())


def test_the_app_role_cannot_bypass_rls_and_owns_nothing(db) -> None:
    who = db.session.execute(
        text(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
    ).one()
    assert who.rolsuper is False and who.rolbypassrls is False
    owned = db.session.execute(
        text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
            "AND tableowner = current_user"
        )
    ).scalar_one()
    assert owned == 0


def test_raw_sql_without_filter_sees_only_the_current_branch(db, create_person, in_tenant) -> None:
    create_person("brussels", first_name="Bxl")
    create_person("antwerp", first_name="Antw")
    with in_tenant("antwerp"):
        names = db.session.execute(text("SELECT first_name FROM people")).scalars().all()
    assert names == ["Antw"]
    with in_tenant("brussels"):
        names = db.session.execute(text("SELECT first_name FROM people")).scalars().all()
    assert names == ["Bxl"]


def test_raw_sql_with_no_branch_sees_nothing(db, create_person) -> None:
    create_person("brussels")
    assert db.session.execute(text("SELECT count(*) FROM people")).scalar_one() == 0


def test_raw_insert_for_another_branch_is_refused(db, tenants, in_tenant) -> None:
    with in_tenant("brussels"), pytest.raises(sa.exc.ProgrammingError):
        db.session.execute(
            text(
                "INSERT INTO people (tenant_id, id, role, first_name, last_name, email, "
                "locale, state, created_at) VALUES (:t, gen_random_uuid(), 'mentor', 'x', "
                "'y', 'z@z.z', 'nl', 'registered', now())"
            ),
            {"t": tenants["antwerp"].id},
        )
    db.session.rollback()


def test_pooled_connection_carries_nothing_to_the_next_request(app, tenants) -> None:
    """Two committed 'requests' on one pooled connection: the second sees none of the first's."""
    from duo.core.db import db as real_db
    from duo.core.tenancy.context import tenant_scope
    from duo.people.models import Person

    with app.app_context():
        engine = sa.create_engine(real_db.engine.url, pool_size=1, max_overflow=0)
        session = sa.orm.Session(engine)
        try:
            with tenant_scope(tenants["mechelen"].id):
                session.add(
                    Person(
                        role="mentor",
                        first_name="Pooled",
                        last_name="Row",
                        email="pooled@example.org",
                        locale="nl",
                    )
                )
                session.commit()
                assert (
                    session.execute(
                        text("SELECT count(*) FROM people WHERE first_name = 'Pooled'")
                    ).scalar_one()
                    == 1
                )
                session.commit()
            with tenant_scope(tenants["ghent"].id):
                seen = session.execute(
                    text("SELECT count(*) FROM people WHERE first_name = 'Pooled'")
                ).scalar_one()
                session.commit()
            with tenant_scope(None):
                unscoped = session.execute(text("SELECT count(*) FROM people")).scalar_one()
                session.commit()
            assert seen == 0
            assert unscoped == 0
        finally:
            with tenant_scope(tenants["mechelen"].id):
                session.execute(text("DELETE FROM people WHERE first_name = 'Pooled'"))
                # the figures' refresh the committed person asked for (duo.reporting)
                session.execute(text("DELETE FROM outbox_jobs WHERE name LIKE 'reporting.%'"))
                session.commit()
            session.close()
            engine.dispose()
