"""Background work that is never lost: an outbox table in front of RQ.

Callers :func:`enqueue` a job by name with ids as arguments; the row is written in the
caller's own transaction, so the job exists exactly when the change that caused it does.
:func:`dispatch` is the one dispatcher path (after each request's commit, and every few
seconds in ``duo scheduler`` / ``duo worker``): it *claims* due rows in the database (one
guarded UPDATE, ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), commits, then hands them to
Redis, or runs them in-process when no ``REDIS_URL`` is configured; so no row is handed
out twice. A Redis outage leaves rows pending. A job lost in flight (worker killed, Redis
emptied) is found from RQ's own state by :mod:`duo.core.jobs.recovery` within a minute.
A job's outside effects are keyed by its run (:func:`running_job`; mails use it), so a
job that runs twice writes its mails once.
"""

from duo.core.jobs.outbox import (
    dispatch,
    enqueue,
    execute,
    job,
    register_jobs,
    registered,
    running_job,
)

__all__ = [
    "dispatch",
    "enqueue",
    "execute",
    "job",
    "register_jobs",
    "registered",
    "running_job",
]
