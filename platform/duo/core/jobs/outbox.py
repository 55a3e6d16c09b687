"""Enqueue, claim, dispatch and execute outbox jobs.

Every state change of a row is a *guarded* ``UPDATE ... WHERE status = <expected>``: two
dispatchers (the request-end one and the worker's loop), two workers, or a worker and the
lost-job recovery can race, and exactly one of them wins each step. On PostgreSQL the due
rows are first selected ``FOR UPDATE SKIP LOCKED`` so concurrent dispatchers do not even
wait on each other; SQLite serialises writers, and the guard does the rest.

A row moves ``pending → dispatched`` (claimed, committed *before* it is handed to RQ) →
``running`` (a worker took it) → ``done`` / back to ``pending`` with back-off / ``failed``.
"""

from __future__ import annotations

import contextvars
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import String, cast, literal, select, update

from duo.core.db import db, utcnow
from duo.core.jobs import metrics
from duo.core.jobs.models import DISPATCHED, DONE, FAILED, PENDING, RUNNING, OutboxJob
from duo.core.tenancy.context import current_tenant_id, tenant_scope

log = logging.getLogger(__name__)

#: In-process mode only (no Redis to ask whether a run is alive): a running row older than
#: this is taken to belong to a process that died.
LEASE = timedelta(minutes=15)
QUEUE = "duo"
IN_PROCESS_ROUNDS = 5


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[..., Any]
    max_attempts: int
    #: Called in a fresh transaction, in the job's branch, after a failed attempt:
    #: ``on_failure(args, error, attempts, next_attempt_at or None when final)``.
    on_failure: Callable[..., None] | None = None


@dataclass
class RunningJob:
    """The job being executed in this context: effects are keyed by it (see ``effect_key``)."""

    outbox_id: int
    name: str
    effects: int = field(default=0)

    def next_effect_key(self) -> str:
        """A key for the next outside effect of this run; the same sequence on every re-run."""
        self.effects += 1
        return f"job:{self.outbox_id}:{self.effects}"


_running: contextvars.ContextVar[RunningJob | None] = contextvars.ContextVar(
    "duo_running_job", default=None
)


def running_job() -> RunningJob | None:
    """The outbox job executing now (None in a request or a command)."""
    return _running.get()


_registry: dict[str, JobSpec] = {}


def job(
    name: str,
    *,
    max_attempts: int = 8,
    on_failure: Callable[..., None] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Describe a job function: its stable name (rows in the outbox refer to it), attempts
    and failure hook. Describing registers nothing: a package lists its jobs in its
    ``plugin.py`` and the app factory registers them (:func:`register_jobs`)."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        func.job_spec = JobSpec(name, func, max_attempts, on_failure)
        func.job_name = name
        return func

    return decorator


def register_jobs(funcs: Iterable[Callable[..., Any]]) -> None:
    """Make described job functions runnable. The same name twice must be the same
    function (a new app in the same process registers its packages again)."""
    for func in funcs:
        spec = getattr(func, "job_spec", None)
        if spec is None:
            raise ValueError(f"{func!r} is not a job: describe it with @job(name)")
        known = _registry.get(spec.name)
        if (
            known is not None
            and known.func is not func
            and (
                known.func.__module__,
                known.func.__qualname__,
            )
            != (func.__module__, func.__qualname__)
        ):
            raise ValueError(f"job name {spec.name!r} used by {known.func!r} and {func!r}")
        _registry[spec.name] = spec


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


def retry_failed(dedupe_key: str) -> bool:
    """Give a failed job a fresh series of attempts (staff pressed "try again")."""
    result = db.session.execute(
        update(OutboxJob)
        .where(OutboxJob.dedupe_key == dedupe_key, OutboxJob.status == FAILED)
        .values(status=PENDING, attempts=0, run_after=utcnow(), finished_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def redis_connection():
    url = current_app.config.get("DUO_REDIS_URL")
    if not url:
        return None
    from redis import Redis  # lazy: the embedded default runs without Redis

    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def claim(now: datetime, limit: int, *, expired_leases: bool = False) -> list[tuple[int, str]]:
    """Mark up to ``limit`` due rows dispatched and commit; returns ``(id, rq job id)``.

    One statement: ``UPDATE ... WHERE status = 'pending' AND id IN (the due ids) RETURNING``;
    on PostgreSQL the due ids are selected ``FOR UPDATE SKIP LOCKED``, so concurrent
    dispatchers take disjoint rows without waiting; SQLite takes its write lock with the
    statement itself (no read-then-upgrade deadlock) and the status guard does the rest.
    Only a row this call moved from ``pending`` is returned, so no row is handed out twice.
    The claim is committed before anyone hands the row to RQ: a worker never finishes a
    job whose claim is still to be written.

    ``expired_leases`` (in-process mode, where no RQ can say whether a run is alive) also
    takes rows whose run outlived :data:`LEASE`: their process died.
    """
    claimable = (OutboxJob.status == PENDING) & (OutboxJob.run_after <= now)
    if expired_leases:
        claimable = claimable | (
            OutboxJob.status.in_([DISPATCHED, RUNNING]) & (OutboxJob.locked_until < now)
        )
    due = (
        select(OutboxJob.id)
        .where(claimable)
        .order_by(OutboxJob.run_after, OutboxJob.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    job_id = (
        literal("outbox-")
        + cast(OutboxJob.id, String)
        + literal("-")
        + cast(OutboxJob.claims + 1, String)
    )
    stmt = (
        update(OutboxJob)
        .where(claimable, OutboxJob.id.in_(due.scalar_subquery()))
        .values(
            status=DISPATCHED,
            claims=OutboxJob.claims + 1,
            rq_job_id=job_id,
            claimed_at=now,
            locked_until=now + LEASE,
        )
        .returning(OutboxJob.id, OutboxJob.rq_job_id)
        .execution_options(synchronize_session=False)
    )
    claimed = [(row_id, rq_id) for row_id, rq_id in db.session.execute(stmt).all()]
    db.session.commit()
    claimed.sort()
    return claimed


def _release(row_id: int, job_id: str) -> None:
    """Give back a claim that could not be handed to RQ (Redis down): the row waits."""
    db.session.execute(
        update(OutboxJob)
        .where(
            OutboxJob.id == row_id, OutboxJob.status == DISPATCHED, OutboxJob.rq_job_id == job_id
        )
        .values(status=PENDING, claimed_at=None, locked_until=None)
        .execution_options(synchronize_session=False)
    )


def dispatch(limit: int = 200) -> int:
    """Hand due jobs to Redis, or run them here when no Redis is configured.

    The one dispatcher path: the request-end hook and ``duo worker``'s loop both call it.
    Commits its own bookkeeping; call it after the caller's commit. Returns how many jobs
    were handed out or run. A Redis error leaves the rows pending for the next call.
    """
    redis = redis_connection()
    if redis is None:
        return _run_in_process(limit)
    # lazy: only loaded when a Redis is configured (the embedded default has none)
    from redis.exceptions import RedisError
    from rq import Queue

    claimed = claim(utcnow(), limit)
    if not claimed:
        return 0
    queue = Queue(QUEUE, connection=redis)
    handed = 0
    for index, (row_id, job_id) in enumerate(claimed):
        try:
            queue.enqueue_call(
                "duo.worker.run_outbox_job",
                args=(row_id,),
                job_id=job_id,
                result_ttl=3600,
                failure_ttl=7 * 24 * 3600,
            )
        except RedisError as exc:
            log.warning("Redis unreachable, %d job(s) stay pending: %s", len(claimed) - index, exc)
            for rest_id, rest_job in claimed[index:]:
                _release(rest_id, rest_job)
            db.session.commit()
            break
        handed += 1
    return handed


def _run_in_process(limit: int) -> int:
    # Jobs may enqueue further jobs (a cancellation promotes someone who is then mailed);
    # keep going for a few rounds so the demo does not wait for the next request. Anything
    # left stays in the outbox for the next dispatch.
    done = 0
    for _round in range(IN_PROCESS_ROUNDS):
        claimed = claim(utcnow(), limit, expired_leases=True)
        if not claimed:
            break
        for row_id, _job_id in claimed:
            execute(row_id)
        done += len(claimed)
    return done


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


def _start(outbox_id: int) -> OutboxJob | None:
    """Take the row for this run: only one runner gets it (guarded update)."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxJob)
        .where(OutboxJob.id == outbox_id, OutboxJob.status.in_([PENDING, DISPATCHED]))
        .values(status=RUNNING, attempts=OutboxJob.attempts + 1, locked_until=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        return None
    db.session.commit()
    return db.session.get(OutboxJob, outbox_id, populate_existing=True)


def _finish(outbox_id: int, attempt: int, **values: Any) -> bool:
    """Record the run's end, only if the row is still this run's (not recovered meanwhile)."""
    result = db.session.execute(
        update(OutboxJob)
        .where(
            OutboxJob.id == outbox_id, OutboxJob.status == RUNNING, OutboxJob.attempts == attempt
        )
        .values(locked_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _hold_write_lock_on_sqlite(outbox_id: int) -> None:
    """SQLite: open the job's transaction with a write, so it holds the write lock throughout.

    A job reads, waits on the outside world (SMTP), then writes; a read transaction that
    upgrades to a write while another connection (the worker's dispatcher thread) holds
    the write lock is refused at once ("database is locked"). Writing first makes the
    others wait instead. PostgreSQL locks rows, not the file: nothing to do there.
    """
    if db.session.get_bind().dialect.name != "sqlite":
        return
    db.session.execute(
        update(OutboxJob)
        .where(OutboxJob.id == outbox_id)
        .values(locked_until=utcnow() + LEASE)
        .execution_options(synchronize_session=False)
    )


def execute(outbox_id: int) -> str:
    """Run one outbox job now, in its branch's scope; idempotent on already-taken rows.

    The job's own writes and the row's ``done`` commit together; if the row was taken
    from this run meanwhile (recovered as lost), the run's writes are rolled back.
    """
    row = _start(outbox_id)
    if row is None:
        return "skipped"
    name, args, tenant_id, attempt = row.name, list(row.args), row.tenant_id, row.attempts
    spec = _registry.get(name)
    token = _running.set(RunningJob(outbox_id, name))
    try:
        _hold_write_lock_on_sqlite(outbox_id)
        if spec is None:
            raise LookupError(f"no job registered as {name!r}")
        with tenant_scope(tenant_id):
            spec.func(*args)
            db.session.flush()
        if not _finish(outbox_id, attempt, status=DONE, finished_at=utcnow(), last_error=None):
            db.session.rollback()
            metrics.job_finished(name, "superseded")
            return "superseded"
        db.session.commit()
        metrics.job_finished(name, DONE)
        return DONE
    except Exception as exc:
        db.session.rollback()
        error = traceback.format_exc(limit=8)[-4000:]
        max_attempts = row.max_attempts
        final = attempt >= max_attempts
        next_at = None if final else utcnow() + _backoff(attempt)
        values: dict[str, Any] = {"last_error": error}
        if final:
            values.update(status=FAILED, finished_at=utcnow())
        else:
            values.update(status=PENDING, run_after=next_at)
        if not _finish(outbox_id, attempt, **values):
            db.session.rollback()
            return "superseded"
        db.session.commit()
        status = FAILED if final else PENDING
        metrics.job_finished(name, "failed" if final else "retry")
        log.warning("job %s (%s) failed, attempt %s: %s", outbox_id, name, attempt, exc)
        _report_failure(spec, tenant_id, args, exc, attempt, next_at)
        return status
    finally:
        _running.reset(token)


def _report_failure(
    spec: JobSpec | None,
    tenant_id: int | None,
    args: list[Any],
    exc: Exception,
    attempt: int,
    next_at: datetime | None,
) -> None:
    if spec is None or spec.on_failure is None:
        return
    try:
        with tenant_scope(tenant_id):
            spec.on_failure(args, exc, attempt, next_at)
            db.session.flush()
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("failure hook of %s failed", spec.name)
