"""What makes a refresh fast must not change what it counts: local days worked out once per
UTC day, and only the months whose figures moved rewritten."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlalchemy import event, select

from duo.core.db import utcnow
from duo.core.i18n import zones
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from duo.reporting.facts import collect
from duo.reporting.models import RollupCell
from duo.reporting.reading import LocalDays
from duo.reporting.refresh import refresh_now
from support.history import REPORT_YEAR, History, at


@pytest.mark.parametrize(
    "timezone",
    ["Europe/Brussels", "Europe/Amsterdam", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"],
)
def test_local_days_agree_with_the_one_conversion_around_the_clock(timezone: str) -> None:
    """Every 7 minutes over a year (both daylight-saving switches), aware and as SQLite text;
    Kolkata's offset is not whole hours, Lord Howe's summer time moves by half an hour."""
    local = LocalDays(timezone)
    moment = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(days=200)
    end = moment + timedelta(days=366)
    while moment < end:
        expected = zones.local_date(moment, timezone)
        assert local(moment) == expected, moment
        assert local(moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")) == expected, moment
        moment += timedelta(minutes=7)


def _stored(db, tenant_id: int) -> list[tuple]:
    c = RollupCell.__table__.c
    return sorted(
        tuple(row)
        for row in db.session.execute(
            select(c.month, c.measure, c.dimension, c.category, c.bucket, c.count, c.total).where(
                c.tenant_id == tenant_id
            )
        )
    )


def _counted(db, tenant_id: int) -> list[tuple]:
    with tenant_scope(tenant_id):
        return collect(db.session.get(Tenant, tenant_id)).rows()


class _RollupWrites:
    """Counts the rollup rows each INSERT, UPDATE and DELETE statement is run for."""

    def __init__(self, engine) -> None:
        self.rows = 0
        self.engine = engine

    def __enter__(self) -> _RollupWrites:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        words = statement.split(None, 3)
        if words[0] in ("INSERT", "UPDATE", "DELETE") and "report_rollups" in statement:
            self.rows += len(parameters) if executemany else 1


def test_a_small_change_rewrites_only_the_month_it_moves(db, history: History) -> None:
    history.cohort("ghent", 12, REPORT_YEAR, 2)
    gid = history.tenants["ghent"].id
    refresh_now(gid)
    before = _stored(db, gid)
    assert before == _counted(db, gid)

    with _RollupWrites(db.engine) as writes:  # nothing changed: nothing written
        refresh_now(gid)
    assert writes.rows == 0
    assert _stored(db, gid) == before

    newcomer = at(REPORT_YEAR, 7, 3)
    history.person("ghent", signed_up=newcomer, birth_year=REPORT_YEAR - 22, sector="retail")
    with _RollupWrites(db.engine) as writes:
        refresh_now(gid)
    after = _stored(db, gid)
    assert after == _counted(db, gid)
    months = {row[0] for row in set(after) ^ set(before)}
    assert months == {newcomer.date().replace(day=1)}
    rewritten = sum(1 for row in after if row[0] in months)
    assert 0 < writes.rows <= 1 + rewritten < len(before) // 4  # one DELETE, the month's rows


def test_cells_that_no_longer_count_are_removed(db, history: History) -> None:
    history.cohort("liege", 3, REPORT_YEAR, 3)
    lid = history.tenants["liege"].id
    late = history.person("liege", signed_up=at(REPORT_YEAR, 11, 20), sector="it")
    refresh_now(lid)
    assert any(row[3] == "it" for row in _stored(db, lid))
    with tenant_scope(lid):
        db.session.delete(late)
        db.session.flush()
    refresh_now(lid)
    assert not any(row[3] == "it" for row in _stored(db, lid))
    assert _stored(db, lid) == _counted(db, lid)


def test_moments_and_ids_are_read_as_one_text_on_either_database(
    db, create_person, in_tenant
) -> None:
    """The text LocalDays and the comparisons of a count rely on: SQLite's stored form, and
    the same on PostgreSQL (where the driver would hand over datetimes and UUIDs)."""
    import uuid

    from duo.core.tenancy.scoping import read_in_branch
    from duo.people.models import Person
    from duo.reporting.reading import raw

    person = create_person("ghent")
    with in_tenant("ghent"):
        pid, created = read_in_branch(
            select(raw(Person.id), raw(Person.created_at)).where(Person.id == person.id)
        ).one()
    assert created == person.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    assert uuid.UUID(pid) == person.id
