"""``duo worker`` and ``duo jobs ...``."""

from __future__ import annotations

import logging
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from duo.core.db import db, utcnow
from duo.core.jobs.models import OutboxJob
from duo.core.jobs.outbox import QUEUE, dispatch, redis_connection
from duo.core.jobs.recovery import HEARTBEAT_EVERY, recover_lost
from duo.core.jobs.schedule import enqueue_periodic

log = logging.getLogger(__name__)


def dispatcher_round(app, redis) -> int:  # noqa: ANN001
    """One round of the one dispatcher path: periodic slots, lost jobs back, due jobs out."""
    with app.app_context():
        try:
            enqueue_periodic(utcnow())
            db.session.commit()
            if redis is not None:
                recover_lost(redis)
            return dispatch()
        except Exception:  # noqa: BLE001 - Redis or DB down: try again next round
            db.session.rollback()
            log.exception("dispatcher round failed")
            return 0
        finally:
            db.session.remove()


def _dispatch_loop(app, redis, interval: float, stop: threading.Event) -> None:  # noqa: ANN001
    while not stop.is_set():
        dispatcher_round(app, redis)
        stop.wait(interval)


def _serve_metrics(port: int | None) -> None:
    if port:
        from prometheus_client import start_http_server

        start_http_server(port)


def _heartbeat_loop(worker, stop: threading.Event) -> None:  # noqa: ANN001
    """Beat for the worker even while it runs a job (RQ's SimpleWorker does not then)."""
    while not stop.wait(HEARTBEAT_EVERY):
        if worker.birth_date is None:
            continue
        try:
            worker.heartbeat()
        except Exception:  # noqa: BLE001 - Redis away: the worker notices by itself
            log.warning("worker heartbeat failed", exc_info=True)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued, then exit.")
@click.option("--interval", default=2.0, help="Seconds between dispatcher rounds.")
@click.option(
    "--dispatch/--no-dispatch",
    default=True,
    help="Also run the dispatcher (periodic jobs, lost jobs, hand-out); off when a "
    "separate `duo scheduler` runs.",
)
@click.option(
    "--metrics-port",
    type=int,
    default=None,
    help="Serve this process's Prometheus metrics (jobs by name and outcome) on this port.",
)
@with_appcontext
def worker(burst: bool, interval: float, dispatch: bool, metrics_port: int | None) -> None:
    """Run an RQ worker (SIGTERM: the running job finishes first)."""
    from rq import SimpleWorker

    app = current_app._get_current_object()
    _serve_metrics(metrics_port)
    redis = redis_connection()
    if redis is None:
        raise click.ClickException("REDIS_URL is not set: jobs run in-process, no worker needed")
    stop = threading.Event()
    if burst:
        dispatcher_round(app, redis)
    elif dispatch:
        threading.Thread(
            target=_dispatch_loop, args=(app, redis, interval, stop), daemon=True
        ).start()
    rq_worker = SimpleWorker([QUEUE], connection=redis)
    threading.Thread(target=_heartbeat_loop, args=(rq_worker, stop), daemon=True).start()
    try:
        rq_worker.work(burst=burst, with_scheduler=False)
    finally:
        stop.set()


@click.command("scheduler")
@click.option("--interval", default=2.0, help="Seconds between rounds.")
@with_appcontext
def scheduler(interval: float) -> None:
    """The dispatcher alone: enqueue periodic jobs, recover lost ones, hand out due ones."""
    app = current_app._get_current_object()
    redis = redis_connection()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    _dispatch_loop(app, redis, interval, stop)


@click.group("jobs", help="The outbox of background jobs.")
def jobs() -> None:
    pass


@jobs.command("dispatch")
@with_appcontext
def dispatch_command() -> None:
    """Hand due jobs to Redis (or run them here without Redis)."""
    click.echo(f"dispatched {dispatch()} job(s)")


@jobs.command("status")
@with_appcontext
def status() -> None:
    """Count outbox jobs by status."""
    for state, n in db.session.execute(
        select(OutboxJob.status, func.count()).group_by(OutboxJob.status)
    ):
        click.echo(f"{state:12} {n}")


commands = [worker, scheduler, jobs]
