"""HQ's path across branches returns figures, never rows of people."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from duo.core.tenancy.aggregates import NotAnAggregateError, run_aggregate
from duo.people.models import Person


def test_counts_across_branches(db, create_person, tenants) -> None:
    create_person("brussels", role="mentor")
    create_person("brussels", role="mentee")
    create_person("paris", role="mentee")
    rows = run_aggregate(
        select(Person.tenant_id, Person.role, func.count()).group_by(Person.tenant_id, Person.role)
    )
    counts = {(t, r): n for t, r, n in rows}
    assert counts[(tenants["brussels"].id, "mentor")] == 1
    assert counts[(tenants["paris"].id, "mentee")] == 1


@pytest.mark.parametrize(
    "columns",
    [
        (Person,),
        (Person.first_name,),
        (Person.email, func.count()),
        (Person.birth_year,),
    ],
)
def test_personal_columns_are_refused(db, columns) -> None:
    with pytest.raises(NotAnAggregateError):
        run_aggregate(select(*columns))


def test_scope_is_restored_after_an_aggregate(db, create_person) -> None:
    from duo.core.tenancy.context import NoTenantError

    create_person("brussels")
    run_aggregate(select(func.count()).select_from(Person))
    with pytest.raises(NoTenantError):
        db.session.execute(select(Person)).all()


@pytest.mark.parametrize("aggregate", [func.min, func.max, func.sum, func.avg])
def test_value_revealing_aggregates_over_personal_columns_are_refused(db, aggregate) -> None:
    with pytest.raises(NotAnAggregateError):
        run_aggregate(select(aggregate(Person.birth_year)))
