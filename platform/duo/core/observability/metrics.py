"""Prometheus metrics (prometheus-client): what the process counts, and what the database holds.

Counters and histograms live in the process that does the work: the web app counts
requests, ``duo worker`` counts the jobs it runs (it serves them on ``--metrics-port``).
With several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` so ``/metrics`` adds them
up. Outbox backlog, the age of the oldest due job and failed mails are read from the
database at scrape time, so every process reports the same truth. No label carries
personal data: routes are endpoint names, never paths with ids or query strings.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from duo.core.jobs.health import outbox_state
from duo.core.jobs.metrics import JOBS

REQUESTS = Counter(
    "duo_http_requests_total", "HTTP requests answered, by route and status", ["route", "status"]
)
LATENCY = Histogram(
    "duo_http_request_duration_seconds",
    "Time to answer an HTTP request, by route",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def request_finished(route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route=route, status=str(status)).inc()
    LATENCY.labels(route=route).observe(seconds)


class OutboxCollector:
    """Backlog by status, the oldest due job's age, failed mails: read at scrape time."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self.app.app_context():
            state = outbox_state()
        backlog = GaugeMetricFamily("duo_outbox_jobs", "Outbox jobs by status", labels=["status"])
        for status, count in sorted(state.by_status.items()):
            backlog.add_metric([status], count)
        yield backlog
        yield GaugeMetricFamily(
            "duo_outbox_oldest_due_seconds",
            "Age of the oldest pending job that is due (0 when none)",
            value=state.oldest_due_seconds,
        )
        yield GaugeMetricFamily(
            "duo_mails_failed",
            "Mails whose every delivery attempt failed",
            value=state.mails_failed,
        )


def exposition(app) -> tuple[bytes, str]:  # noqa: ANN001
    """The text format of every metric of this deployment."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY, JOBS):
            registry.register(collector)
    registry.register(OutboxCollector(app))
    return generate_latest(registry), CONTENT_TYPE_LATEST
