"""Recomputing a branch's rollups: a job that runs in that branch's scope, through the outbox.

* :func:`refresh_branch` (job ``reporting.refresh_branch``) makes the current branch's
  rollup rows what :func:`duo.reporting.facts.collect` counts now (rewriting the months whose
  digest moved), and records when, a hash of the result and each month's digest
  (:class:`~duo.reporting.models.RollupRefresh`).
* :func:`request_refresh` enqueues it debounced: one job per branch per minute, run at the
  end of that minute, however many changes the minute saw. :mod:`duo.reporting.listeners`
  calls it when a transaction changed a table the figures are made of.
* ``reporting.refresh_all`` (periodic, nightly) enqueues a refresh for every active branch,
  so figures that depend on time alone (active duos at the end of a month) move on too.
"""

from __future__ import annotations

import hashlib
import time
from datetime import date, datetime, timedelta
from itertools import groupby
from operator import itemgetter

from flask import g, has_request_context
from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Connection

from duo.core.db import db, utcnow
from duo.core.jobs import enqueue, job, registered
from duo.core.jobs.models import PENDING, OutboxJob
from duo.core.plugins import Periodic
from duo.core.tenancy.context import require_tenant_id, tenant_scope
from duo.core.tenancy.models import Tenant
from duo.reporting.facts import collect
from duo.reporting.models import RollupCell, RollupRefresh
from duo.reporting.reading import collector_paused

REFRESH_JOB = "reporting.refresh_branch"
REFRESH_ALL_JOB = "reporting.refresh_all"
DEBOUNCE = timedelta(minutes=1)


def rows_hash(rows: list[tuple]) -> str:
    """A stable hash of rollup rows (sorted, values as text, one line each)."""
    digest = hashlib.sha256()
    for row in sorted(rows):
        digest.update(("|".join(map(str, row)) + "\n").encode())
    return digest.hexdigest()


@job(REFRESH_JOB)
def refresh_branch() -> dict[str, object]:
    """Replace the current branch's rollups by a fresh count; returns what was written.

    The collector stays paused until the count's rows are gone (:func:`_refresh` returns).
    """
    with collector_paused():
        result = _refresh(require_tenant_id())
    if has_request_context():
        g.pop("duo_rollup_version", None)  # the version query.cubes read for this request
    return result


#: Memory PostgreSQL may sort a refresh's reads in (the branch's history, tens of thousands
#: of rows, ordered by time), for this transaction only: the default 4 MB sorts on disk.
SORT_MEMORY = "64MB"


def _refresh(tenant_id: int) -> dict[str, object]:
    started = time.perf_counter()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"SET LOCAL work_mem = '{SORT_MEMORY}'"))
    tenant = db.session.get(Tenant, tenant_id)
    rows = collect(tenant).rows()  # sorted, by month first
    digest, months = digests(rows)
    record = db.session.get(RollupRefresh, tenant_id) or RollupRefresh(tenant_id=tenant_id)
    write_months(tenant_id, rows, months, record.month_digests)
    record.refreshed_at = utcnow()
    record.cells = len(rows)
    record.data_hash = digest
    record.month_digests = months
    record.duration_ms = int((time.perf_counter() - started) * 1000)
    db.session.add(record)
    db.session.flush()
    return {"cells": len(rows), "hash": digest}


#: The columns of a row of :meth:`~duo.reporting.tally.Tally.rows`, in order.
_COLUMNS = ("month", "measure", "dimension", "category", "bucket", "count", "total")


def digests(rows: list[tuple]) -> tuple[str, dict[str, str]]:
    """A digest of each month's rows and one of the whole, from rows sorted by month.

    Each month is hashed as the ``repr`` of its list of rows (dates, text, integers and
    floats rounded when counted: stable from one run and one process to the next), which
    costs a fraction of writing each row out as a line.
    """
    months = {
        month.isoformat(): hashlib.sha256(repr(list(group)).encode()).hexdigest()
        for month, group in groupby(rows, key=itemgetter(0))
    }
    whole = hashlib.sha256("".join(f"{m}:{d};" for m, d in months.items()).encode())
    return whole.hexdigest(), months


def write_months(
    tenant_id: int, rows: list[tuple], months: dict[str, str], stored: dict[str, str] | None
) -> None:
    """Make the branch's stored rollups equal to ``rows``, rewriting only the months whose
    digest moved since the last refresh (all of them when none was kept).

    A change moves a few cells of one or two months out of a branch's tens of thousands of
    cells over ten years; deleting and inserting every cell was a third of a refresh.
    """
    if stored is None:
        db.session.execute(delete(RollupCell).where(RollupCell.tenant_id == tenant_id))
        moved = set(months)
    else:
        moved = {m for m in months.keys() | stored.keys() if months.get(m) != stored.get(m)}
        if not moved:
            return
        db.session.execute(
            delete(RollupCell).where(
                RollupCell.tenant_id == tenant_id,
                RollupCell.month.in_([date.fromisoformat(m) for m in sorted(moved)]),
            )
        )
    fresh = [row for row in rows if row[0].isoformat() in moved]
    if fresh:
        db.session.execute(
            insert(RollupCell.__table__),  # Core executemany: no ORM bookkeeping per row
            [{"tenant_id": tenant_id, **dict(zip(_COLUMNS, row, strict=True))} for row in fresh],
        )


def refresh_now(tenant_id: int) -> dict[str, object]:
    """Refresh one branch in this process (CLI, tests, the demo), in that branch's scope."""
    with tenant_scope(tenant_id):
        return refresh_branch()


def _slot(now: datetime) -> int:
    return int(now.timestamp() // DEBOUNCE.total_seconds())


def refresh_slot(tenant_id: int, now: datetime | None = None) -> tuple[str, datetime]:
    """The dedupe key of the current minute's refresh of a branch, and when it runs."""
    now = now or utcnow()
    slot = _slot(now)
    run_after = datetime.fromtimestamp((slot + 1) * DEBOUNCE.total_seconds(), tz=now.tzinfo)
    return f"{REFRESH_JOB}:{tenant_id}:{slot}", run_after


def request_refresh(tenant_id: int, now: datetime | None = None) -> None:
    """Ask for a refresh of ``tenant_id`` at the end of the current minute (once per minute)."""
    now = now or utcnow()
    key, run_after = refresh_slot(tenant_id, now)
    enqueue(REFRESH_JOB, tenant_id=tenant_id, dedupe_key=key, run_after=run_after)


def request_refresh_on(connection: Connection, tenant_id: int, now: datetime | None = None) -> str:
    """The same, as one ``INSERT ... ON CONFLICT DO NOTHING`` on the flushing connection.

    Used from inside a flush (:mod:`duo.reporting.listeners`), where the session cannot
    flush again: the outbox row joins the transaction of the change that caused it.
    """
    now = now or utcnow()
    key, run_after = refresh_slot(tenant_id, now)
    table = OutboxJob.__table__
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(table).values(
        name=REFRESH_JOB,
        args=[],
        tenant_id=tenant_id,
        dedupe_key=key,
        status=PENDING,
        attempts=0,
        max_attempts=registered()[REFRESH_JOB].max_attempts,
        run_after=run_after,
        created_at=now,
    )
    connection.execute(stmt.on_conflict_do_nothing(index_elements=["dedupe_key"]))
    return key


@job(REFRESH_ALL_JOB)
def refresh_all() -> int:
    """Nightly: one refresh job per active branch (each runs in its own branch's scope)."""
    ids = db.session.execute(select(Tenant.id).where(Tenant.active.is_(True))).scalars().all()
    for tenant_id in ids:
        enqueue(REFRESH_JOB, tenant_id=tenant_id)
    return len(ids)


#: Nightly, every branch in full (listed in ``reporting/plugin.py``).
NIGHTLY = Periodic("reporting-nightly", REFRESH_ALL_JOB, timedelta(days=1))
