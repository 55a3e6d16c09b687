"""Periodic jobs, declared as data with stable ids.

Each run is an outbox row whose dedupe key is the job's id and its time slot, so a
restarted or duplicated scheduler neither loses nor repeats a run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from duo.core.jobs.outbox import enqueue


@dataclass(frozen=True)
class Periodic:
    id: str
    job: str
    every: timedelta


PERIODIC: list[Periodic] = [
    Periodic("outbox-housekeeping", "jobs.housekeeping", timedelta(days=1)),
]


def register_periodic(item: Periodic) -> None:
    if all(p.id != item.id for p in PERIODIC):
        PERIODIC.append(item)


def enqueue_periodic(now: datetime) -> int:
    """Enqueue the current slot of every periodic job that has not been enqueued yet."""
    count = 0
    for item in PERIODIC:
        seconds = int(item.every.total_seconds())
        slot = int(now.timestamp()) // seconds
        if enqueue(item.job, tenant_id=None, dedupe_key=f"periodic:{item.id}:{slot}"):
            count += 1
    return count
