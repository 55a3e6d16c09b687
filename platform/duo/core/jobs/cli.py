"""``duo worker`` and ``duo jobs ...``."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from duo.core.db import db, utcnow
from duo.core.jobs.models import OutboxJob
from duo.core.jobs.outbox import QUEUE, dispatch, redis_connection
from duo.core.jobs.schedule import enqueue_periodic, schedule

log = logging.getLogger(__name__)


def _dispatch_loop(app, interval: float, stop: threading.Event) -> None:  # noqa: ANN001
    """Move due outbox rows to Redis and enqueue periodic jobs, until stopped."""
    while not stop.is_set():
        with app.app_context():
            try:
                enqueue_periodic(utcnow())
                db.session.commit()
                dispatch()
            except Exception:  # noqa: BLE001 - Redis or DB down: try again next round
                db.session.rollback()
                log.exception("dispatcher round failed")
            finally:
                db.session.remove()
        stop.wait(interval)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued, then exit.")
@click.option("--interval", default=5.0, help="Seconds between dispatcher rounds.")
@with_appcontext
def worker(burst: bool, interval: float) -> None:
    """Run an RQ worker with the outbox dispatcher and the periodic scheduler."""
    from rq import SimpleWorker  # lazy: only a worker with Redis needs RQ loaded

    app = current_app._get_current_object()
    redis = redis_connection()
    if redis is None:
        raise click.ClickException("REDIS_URL is not set: jobs run in-process, no worker needed")
    stop = threading.Event()
    if burst:
        _dispatch_loop_once(app)
    else:
        threading.Thread(target=_dispatch_loop, args=(app, interval, stop), daemon=True).start()
    try:
        SimpleWorker([QUEUE], connection=redis).work(burst=burst, with_scheduler=not burst)
    finally:
        stop.set()


def _dispatch_loop_once(app) -> None:  # noqa: ANN001
    with app.app_context():
        enqueue_periodic(utcnow())
        db.session.commit()
        dispatch()


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


@jobs.command("schedule")
@with_appcontext
def schedule_command() -> None:
    """Print the periodic jobs (id, job, every), in the order the packages declare them."""
    items = schedule()
    width = max((len(item.id) for item in items), default=2)
    job_width = max((len(item.job) for item in items), default=3)
    click.echo(f"{'id':{width}}  {'job':{job_width}}  every")
    for item in items:
        click.echo(f"{item.id:{width}}  {item.job:{job_width}}  {_every(item.every)}")


def _every(interval: timedelta) -> str:
    """``1d``, ``1h``, ``15m``, ``1d 6h``: the rhythm, read at a glance."""
    seconds = int(interval.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return " ".join(parts) or "0s"
