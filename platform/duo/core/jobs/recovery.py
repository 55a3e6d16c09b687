"""Find outbox rows whose RQ job was lost, from RQ's own state, and put them back.

A row handed to RQ is ``dispatched`` or ``running``. It is lost when RQ no longer knows the
job (Redis restarted empty, or the dispatcher died between claim and hand-out), when RQ
gave up on it (failed, stopped, cancelled: its started-job registry cleanup moves jobs of
dead workers there), or when the worker running it stopped sending heartbeats (killed:
``duo worker`` beats every few seconds, even mid-job). Such a row goes back to
``pending`` at once, so a job of a killed worker runs again within a minute, not after a
fixed lease. Heartbeats are compared with the Redis server's clock, the one RQ wrote
them with.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from duo.core.db import db, utcnow
from duo.core.jobs.models import DISPATCHED, PENDING, RUNNING, OutboxJob
from duo.core.jobs.outbox import QUEUE

log = logging.getLogger(__name__)

#: A claim younger than this may not have reached Redis yet: leave it alone.
GRACE = timedelta(seconds=10)
#: A worker whose last heartbeat is older than this is taken for dead.
HEARTBEAT_STALE = timedelta(seconds=25)
#: How often ``duo worker`` beats (well inside ``HEARTBEAT_STALE``).
HEARTBEAT_EVERY = 5.0

_WAITING = {"queued", "scheduled", "deferred"}


def _redis_now(redis) -> datetime:  # noqa: ANN001
    seconds, micros = redis.time()
    return datetime.fromtimestamp(seconds + micros / 1e6, tz=UTC)


def why_lost(redis, job_id: str | None, redis_now: datetime) -> str | None:  # noqa: ANN001
    """Why the RQ job ``job_id`` will never finish, or None if it may still run."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job
    from rq.worker import Worker

    if not job_id:
        return "never handed to RQ"
    try:
        rq_job = Job.fetch(job_id, connection=redis)
    except NoSuchJobError:
        return "unknown to Redis"
    status = str(getattr(rq_job.get_status(refresh=False), "value", rq_job.get_status()))
    if status in _WAITING:
        return None
    if status != "started":
        return f"RQ job {status}"
    if not rq_job.worker_name:
        return None  # just taken by a worker that has not written its name yet
    worker = Worker.find_by_key(
        Worker.redis_worker_namespace_prefix + rq_job.worker_name, connection=redis
    )
    if worker is None:
        return f"worker {rq_job.worker_name} is gone"
    beat = worker.last_heartbeat
    if beat is not None and beat.tzinfo is None:
        beat = beat.replace(tzinfo=UTC)
    if beat is None or redis_now - beat > HEARTBEAT_STALE:
        return f"worker {rq_job.worker_name} stopped beating"
    return None


def recover_lost(redis) -> int:  # noqa: ANN001
    """Put every lost in-flight row back to pending; returns how many. Commits."""
    from rq.registry import StartedJobRegistry

    # RQ's own maintenance: jobs of workers whose registry entry expired go to "failed".
    StartedJobRegistry(QUEUE, connection=redis).cleanup()
    now = utcnow()
    rows = db.session.execute(
        select(OutboxJob.id, OutboxJob.status, OutboxJob.claims, OutboxJob.rq_job_id).where(
            OutboxJob.status.in_([DISPATCHED, RUNNING]),
            OutboxJob.claimed_at.is_(None) | (OutboxJob.claimed_at < now - GRACE),
        )
    ).all()
    if not rows:
        db.session.rollback()
        return 0
    redis_now = _redis_now(redis)
    recovered = 0
    for row_id, status, claims, job_id in rows:
        reason = why_lost(redis, job_id, redis_now)
        if reason is None:
            continue
        result = db.session.execute(
            update(OutboxJob)
            .where(OutboxJob.id == row_id, OutboxJob.status == status, OutboxJob.claims == claims)
            .values(status=PENDING, run_after=now, locked_until=None, last_error=f"lost: {reason}")
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            recovered += 1
            log.warning("outbox job %s was lost (%s): pending again", row_id, reason)
    db.session.commit()
    return recovered
