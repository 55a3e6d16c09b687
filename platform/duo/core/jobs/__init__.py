"""Background work that is never lost: an outbox table in front of RQ.

Callers :func:`enqueue` a job by name with ids as arguments; the row is written in the
caller's own transaction, so the job exists exactly when the change that caused it does.
:func:`dispatch` (after each commit, and every few seconds in ``duo worker``) hands due rows
to Redis, or runs them in-process when no ``REDIS_URL`` is configured. A Redis outage leaves
rows pending; a crashed worker's lease expires and the row is handed out again; jobs are
written to be idempotent, so running one twice is harmless.
"""

from duo.core.jobs.outbox import dispatch, enqueue, execute, job, registered

__all__ = ["dispatch", "enqueue", "execute", "job", "registered"]
