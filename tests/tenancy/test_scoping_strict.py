"""The ORM layer cannot be skipped (on SQLite it stands alone): Core writes, raw SQL, metadata."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import insert, select, text, update

from duo.core.db import db as _db
from duo.core.tenancy.context import CrossTenantWriteError
from duo.core.tenancy.models import TenantScoped, tenant_owned_tables
from duo.core.tenancy.scoping import RawTenantSQLError
from duo.people.models import Person


def test_core_insert_with_another_branch_is_refused(db, tenants, in_tenant) -> None:
    with in_tenant("brussels"), pytest.raises(CrossTenantWriteError):
        db.session.execute(
            insert(Person).values(
                tenant_id=tenants["antwerp"].id,
                id=uuid.uuid4(),
                role="mentee",
                first_name="X",
                last_name="Y",
                email="x@example.org",
                locale="nl",
            )
        )


def test_core_insert_of_many_rows_with_another_branch_is_refused(db, tenants, in_tenant) -> None:
    row = {
        "tenant_id": tenants["antwerp"].id,
        "id": uuid.uuid4(),
        "role": "mentee",
        "first_name": "X",
        "last_name": "Y",
        "email": "x@example.org",
        "locale": "nl",
    }
    with in_tenant("brussels"), pytest.raises(CrossTenantWriteError):
        db.session.execute(insert(Person), [row])


def test_core_update_cannot_move_a_row_to_another_branch(
    db, tenants, in_tenant, create_person
) -> None:
    person = create_person("brussels")
    with in_tenant("brussels"), pytest.raises(CrossTenantWriteError):
        db.session.execute(
            update(Person).where(Person.id == person.id).values(tenant_id=tenants["ghent"].id)
        )


def test_core_update_within_the_branch_still_works(db, in_tenant, create_person) -> None:
    person = create_person("brussels", first_name="Before")
    with in_tenant("brussels"):
        db.session.execute(update(Person).where(Person.id == person.id).values(first_name="After"))
        db.session.expire_all()
        assert db.session.get(Person, (person.tenant_id, person.id)).first_name == "After"


def test_raw_sql_on_a_branch_table_is_refused(db, in_tenant, create_person) -> None:
    create_person("antwerp", first_name="Secret")
    with in_tenant("brussels"), pytest.raises(RawTenantSQLError):
        db.session.execute(text("SELECT first_name FROM people"))
    with pytest.raises(RawTenantSQLError):
        db.session.execute(text("select * from PEOPLE where 1=1"))
    # raw SQL that touches no branch table is fine
    assert db.session.execute(text("SELECT 1")).scalar_one() == 1


def test_every_table_with_tenant_id_is_scoped(app) -> None:
    """Over the models' metadata (SQLite and PostgreSQL alike)."""
    scoped = {
        mapper.local_table.name
        for mapper in _db.Model.registry.mappers
        if issubclass(mapper.class_, TenantScoped)
    }
    with_column = {t.name for t in _db.metadata.tables.values() if "tenant_id" in t.columns}
    # tables that point at a branch but hold no branch's people: the roles of staff users,
    # the outbox of jobs (ids only; one dispatcher claims every branch's due jobs), and
    # the reporting rollups HQ reads (counts per branch, never a person)
    not_branch_owned = {"role_grants", "outbox_jobs", "report_rollups", "report_refreshes"}
    assert with_column - not_branch_owned - scoped == set()
    assert set(tenant_owned_tables()) >= scoped
    assert "people" in scoped


def test_the_scoped_query_still_filters(db, in_tenant, create_person) -> None:
    create_person("antwerp", first_name="Antwerpian")
    with in_tenant("brussels"):
        names = db.session.execute(select(Person.first_name)).scalars().all()
    assert "Antwerpian" not in names
