"""What the process that runs jobs counts (Prometheus): runs by job name and outcome."""

from __future__ import annotations

from prometheus_client import Counter

JOBS = Counter("duo_jobs_total", "Outbox job runs, by job name and outcome", ["job", "outcome"])


def job_finished(name: str, outcome: str) -> None:
    JOBS.labels(job=name, outcome=outcome).inc()
