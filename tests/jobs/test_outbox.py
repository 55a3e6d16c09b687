"""The outbox: jobs are written with the change that caused them and never lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from duo.core.db import utcnow
from duo.core.jobs import dispatch, enqueue, execute, job, register_jobs
from duo.core.jobs.models import DONE, FAILED, PENDING, OutboxJob
from duo.core.jobs.schedule import enqueue_periodic
from duo.core.tenancy.context import current_tenant_id

calls: list[tuple] = []
failures: dict[str, int] = {}


@job("test.record")
def record(value: str) -> None:
    calls.append((value, current_tenant_id()))


@job("test.flaky", max_attempts=3)
def flaky(key: str) -> None:
    failures[key] = failures.get(key, 0) + 1
    raise RuntimeError("the mail server is down")


register_jobs([record, flaky])  # described above; a test has no plugin.py


@pytest.fixture(autouse=True)
def _reset() -> None:
    calls.clear()
    failures.clear()


def rows(db) -> list[OutboxJob]:
    return list(db.session.execute(select(OutboxJob).order_by(OutboxJob.id)).scalars())


def test_job_exists_only_if_the_transaction_commits(db) -> None:
    nested = db.session.begin_nested()
    enqueue("test.record", "lost")
    nested.rollback()
    assert rows(db) == []


def test_in_process_dispatch_runs_in_the_jobs_branch(db, tenants, in_tenant) -> None:
    with in_tenant("lyon"):
        enqueue("test.record", "hello")
    db.session.commit()
    assert dispatch() == 1
    assert calls == [("hello", tenants["lyon"].id)]
    (row,) = rows(db)
    assert row.status == DONE and row.attempts == 1


def test_executing_a_finished_job_again_does_nothing(db) -> None:
    row = enqueue("test.record", "once", tenant_id=None)
    db.session.commit()
    execute(row.id)
    assert execute(row.id) == "skipped"
    assert calls == [("once", None)]


def test_failures_are_retried_with_backoff_then_kept_as_failed(db) -> None:
    row = enqueue("test.flaky", "k", tenant_id=None)
    db.session.commit()
    assert execute(row.id) == PENDING
    db.session.refresh(row)
    assert row.attempts == 1 and row.run_after > utcnow()
    assert "mail server is down" in row.last_error
    assert dispatch() == 0  # not due yet
    for _ in range(2):
        row.run_after = utcnow() - timedelta(seconds=1)
        db.session.commit()
        dispatch()
        db.session.refresh(row)
    assert row.status == FAILED and row.attempts == 3
    assert failures["k"] == 3


def test_dedupe_key_enqueues_once(db) -> None:
    assert enqueue("test.record", "a", tenant_id=None, dedupe_key="reminder:1:2") is not None
    assert enqueue("test.record", "a", tenant_id=None, dedupe_key="reminder:1:2") is None
    assert len(rows(db)) == 1


def test_periodic_jobs_enqueue_once_per_slot(db) -> None:
    now = utcnow()
    first = enqueue_periodic(now)
    assert first >= 1
    assert enqueue_periodic(now) == 0


def test_crashed_worker_lease_expires_and_the_job_is_handed_out_again(db) -> None:
    row = enqueue("test.record", "after crash", tenant_id=None)
    row.status = "running"
    row.locked_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert dispatch() == 1
    assert calls == [("after crash", None)]


def test_job_after_request_runs_in_process(app, db, coordinator) -> None:
    from duo.core.jobs.outbox import _registry  # noqa: F401 - the job must be registered

    client = coordinator("brussels")
    enqueue("test.record", "from request", tenant_id=None)
    # the request's single commit also dispatches what the transaction enqueued
    client.get("/brussels/")
    assert ("from request", None) in calls


@pytest.mark.redis
def test_real_worker_runs_jobs_and_survives_redis_outage_at_enqueue(app, db, redis_url) -> None:
    from redis import Redis
    from rq import Queue, SimpleWorker

    from duo.core.jobs.outbox import QUEUE

    connection = Redis.from_url(redis_url)
    Queue(QUEUE, connection=connection).empty()
    original = app.config["DUO_REDIS_URL"]
    try:
        app.config["DUO_REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
        row = enqueue("test.record", "survivor", tenant_id=None)
        db.session.commit()
        assert dispatch() == 0
        db.session.refresh(row)
        assert row.status == PENDING and calls == []

        app.config["DUO_REDIS_URL"] = redis_url
        assert dispatch() == 1
        db.session.refresh(row)
        assert row.status == "dispatched"
        SimpleWorker([QUEUE], connection=connection).work(burst=True)
        db.session.expire_all()
        assert db.session.get(OutboxJob, row.id).status == DONE
        assert calls == [("survivor", None)]
    finally:
        app.config["DUO_REDIS_URL"] = original
        Queue(QUEUE, connection=connection).empty()
