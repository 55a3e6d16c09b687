"""Periodic jobs, declared as data with stable ids.

Each package lists its periodic jobs in its ``plugin.py`` (``periodic=[Periodic(...)]``);
the factory gathers them, in its fixed order, into one schedule and refuses two with the
same id (``duo jobs schedule`` prints it). Each run is an outbox row whose dedupe key is the
job's id and its time slot, so a restarted or duplicated scheduler neither loses nor
repeats a run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from duo.core.jobs.outbox import enqueue
from duo.core.plugins import PERIODIC, Periodic

__all__ = ["HOUSEKEEPING", "PERIODIC", "Periodic", "enqueue_periodic", "schedule"]

HOUSEKEEPING = Periodic("outbox-housekeeping", "jobs.housekeeping", timedelta(days=1))


def schedule() -> list[Periodic]:
    """The current app's periodic jobs, in the factory's order."""
    return PERIODIC.items()


def enqueue_periodic(now: datetime) -> int:
    """Enqueue the current slot of every periodic job that has not been enqueued yet."""
    count = 0
    for item in schedule():
        seconds = int(item.every.total_seconds())
        slot = int(now.timestamp()) // seconds
        if enqueue(item.job, tenant_id=None, dedupe_key=f"periodic:{item.id}:{slot}"):
            count += 1
    return count
