"""Enqueue, dispatch and execute outbox jobs."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select

from duo.core.db import db, utcnow
from duo.core.jobs.models import DISPATCHED, DONE, FAILED, PENDING, RUNNING, OutboxJob
from duo.core.tenancy.context import current_tenant_id, tenant_scope

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)
QUEUE = "duo"
IN_PROCESS_ROUNDS = 5


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[..., Any]
    max_attempts: int


_registry: dict[str, JobSpec] = {}


def job(name: str, *, max_attempts: int = 8) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a job function under a stable name (rows in the outbox refer to it)."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        _registry[name] = JobSpec(name, func, max_attempts)
        return func

    return decorator


def registered() -> dict[str, JobSpec]:
    return dict(_registry)


def enqueue(
    name: str,
    *args: Any,
    tenant_id: int | None | type[Ellipsis] = ...,
    dedupe_key: str | None = None,
    run_after: datetime | None = None,
) -> OutboxJob | None:
    """Write a job into the caller's transaction. Returns None if ``dedupe_key`` exists."""
    if name not in _registry:
        raise KeyError(f"unknown job {name!r}")
    if dedupe_key is not None:
        existing = db.session.execute(
            select(OutboxJob.id).where(OutboxJob.dedupe_key == dedupe_key)
        ).first()
        if existing is not None:
            return None
    row = OutboxJob(
        name=name,
        args=list(args),
        tenant_id=current_tenant_id() if tenant_id is ... else tenant_id,
        dedupe_key=dedupe_key,
        max_attempts=_registry[name].max_attempts,
        run_after=run_after or utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    return row


def _due(now: datetime, limit: int) -> list[OutboxJob]:
    stmt = (
        select(OutboxJob)
        .where(
            or_(
                (OutboxJob.status == PENDING) & (OutboxJob.run_after <= now),
                OutboxJob.status.in_([DISPATCHED, RUNNING]) & (OutboxJob.locked_until < now),
            )
        )
        .order_by(OutboxJob.run_after, OutboxJob.id)
        .limit(limit)
    )
    return list(db.session.execute(stmt).scalars())


def redis_connection():  # noqa: ANN201
    url = current_app.config.get("DUO_REDIS_URL")
    if not url:
        return None
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def dispatch(limit: int = 200) -> int:
    """Hand due jobs to Redis, or run them here when no Redis is configured.

    Commits its own bookkeeping; call it after the caller's commit. Returns how many jobs
    were handed out or run. A Redis error leaves the rows pending for the next call.
    """
    now = utcnow()
    rows = _due(now, limit)
    if not rows:
        return 0
    redis = redis_connection()
    if redis is None:
        # In-process: jobs may enqueue further jobs (a cancellation promotes someone who
        # is then mailed); keep going for a few rounds so the demo does not wait for the
        # next request. Anything left stays in the outbox for the next dispatch.
        done = 0
        for _round in range(IN_PROCESS_ROUNDS):
            ids = [r.id for r in rows]
            db.session.commit()
            for job_id in ids:
                execute(job_id)
            done += len(ids)
            rows = _due(utcnow(), limit)
            if not rows:
                break
        return done
    from redis.exceptions import RedisError
    from rq import Queue

    queue = Queue(QUEUE, connection=redis)
    handed = 0
    for row in rows:
        try:
            queue.enqueue_call(
                "duo.worker.run_outbox_job",
                args=(row.id,),
                job_id=f"outbox-{row.id}-{row.attempts}",
                result_ttl=3600,
                failure_ttl=7 * 24 * 3600,
            )
        except RedisError as exc:
            log.warning("Redis unreachable, job %s stays pending: %s", row.id, exc)
            break
        row.status = DISPATCHED
        row.locked_until = now + LEASE
        handed += 1
    db.session.commit()
    return handed


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


def execute(outbox_id: int) -> str:
    """Run one outbox job now, in its branch's scope; idempotent on already-finished rows."""
    row = db.session.get(OutboxJob, outbox_id, with_for_update=True)
    if row is None or row.status in (DONE, FAILED):
        db.session.rollback()
        return "skipped"
    spec = _registry.get(row.name)
    row.status = RUNNING
    row.attempts += 1
    row.locked_until = utcnow() + LEASE
    db.session.commit()
    try:
        if spec is None:
            raise LookupError(f"no job registered as {row.name!r}")
        with tenant_scope(row.tenant_id):
            spec.func(*row.args)
            db.session.flush()
        row = db.session.get(OutboxJob, outbox_id)
        row.status = DONE
        row.finished_at = utcnow()
        row.last_error = None
        row.locked_until = None
        db.session.commit()
        return DONE
    except Exception:  # noqa: BLE001 - any failure is recorded and retried, never lost
        db.session.rollback()
        row = db.session.get(OutboxJob, outbox_id)
        row.last_error = traceback.format_exc(limit=8)[-4000:]
        row.locked_until = None
        if row.attempts >= row.max_attempts:
            row.status = FAILED
            row.finished_at = utcnow()
        else:
            row.status = PENDING
            row.run_after = utcnow() + _backoff(row.attempts)
        db.session.commit()
        log.exception("job %s (%s) failed, attempt %s", outbox_id, row.name, row.attempts)
        return row.status
