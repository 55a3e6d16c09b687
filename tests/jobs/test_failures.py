"""Faults injected on real parts: our own redis-server (killed and restarted), real RQ
workers, real threads racing. Nothing is lost, nothing is done twice, no visitor sees 500.

Each test builds a committed throw-away deployment (``live.py``): the racing parts are
separate connections, so the usual rolled-back test transaction cannot be used.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter

import pytest
from live import RedisServer, live_deployment, wait_for
from sqlalchemy import func, select, update

from duo.core.db import db, utcnow
from duo.core.jobs import enqueue, job, register_jobs
from duo.core.jobs.models import DISPATCHED, DONE, PENDING, OutboxJob
from duo.core.jobs.outbox import QUEUE, dispatch
from duo.core.jobs.recovery import GRACE, recover_lost
from duo.core.mail.models import OutgoingMail
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant

pytestmark = pytest.mark.redis

runs: Counter[str] = Counter()
_lock = threading.Lock()


@job("test.count")
def count(key: str) -> None:
    with _lock:
        runs[key] += 1


register_jobs([count])  # described above; a test has no plugin.py


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture(autouse=True)
def _clear() -> None:
    runs.clear()


def _connection(url: str):
    from redis import Redis

    return Redis.from_url(url)


def _work_until(app, url: str, done, timeout: float = 30) -> None:
    """Run an RQ worker (burst, in this thread) until ``done()`` holds."""
    from rq import SimpleWorker

    def step() -> bool:
        with app.app_context():
            SimpleWorker([QUEUE], connection=_connection(url)).work(burst=True)
            db.session.remove()
            return done()

    wait_for(step, timeout, step=0.05, explain=lambda: _rows(app))


def _rows(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(OutboxJob.id, OutboxJob.name, OutboxJob.status, OutboxJob.last_error).where(
                OutboxJob.status != DONE
            )
        ).all()
        db.session.remove()
    return [tuple(r) for r in rows]


def _statuses(app) -> Counter[str]:
    """Statuses of the jobs these tests make: the reporting refresh that any change to
    people asks for (debounced, due at the end of the minute) is left out."""
    with app.app_context():
        rows = (
            db.session.execute(
                select(OutboxJob.status).where(~OutboxJob.name.startswith("reporting."))
            )
            .scalars()
            .all()
        )
        db.session.remove()
    return Counter(rows)


def _enqueue_many(app, n: int) -> list[int]:
    with app.app_context():
        ids = [enqueue("test.count", f"k{i}", tenant_id=None).id for i in range(n)]
        db.session.commit()
        db.session.remove()
    return ids


def test_two_dispatchers_at_once_hand_each_job_out_once(tmp_path, redis_server) -> None:
    """The request-end dispatcher and the worker's loop at the same moment: 60 jobs, 60 handed."""
    with live_deployment(tmp_path, DUO_REDIS_URL=redis_server.url) as live:
        _enqueue_many(live.app, 60)
        barrier = threading.Barrier(3)
        handed: list[int] = []

        def dispatcher() -> None:
            with live.app.app_context():
                barrier.wait()
                for _ in range(5):
                    handed.append(dispatch(limit=7))
                db.session.remove()

        threads = [threading.Thread(target=dispatcher) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        from rq import Queue

        queue = Queue(QUEUE, connection=_connection(redis_server.url))
        assert sum(handed) == 60
        assert queue.count == 60  # the Redis list holds each job exactly once
        _work_until(live.app, redis_server.url, lambda: _statuses(live.app) == {DONE: 60})
        assert set(runs.values()) == {1} and len(runs) == 60


def test_a_job_finished_before_the_dispatcher_commits_is_not_run_again(
    tmp_path, redis_server
) -> None:
    """A worker racing the dispatcher: every row ends done, each job ran once."""
    with live_deployment(tmp_path, DUO_REDIS_URL=redis_server.url) as live:
        _enqueue_many(live.app, 60)

        def dispatcher() -> None:
            with live.app.app_context():
                dispatch()
                db.session.remove()

        thread = threading.Thread(target=dispatcher)
        thread.start()
        _work_until(live.app, redis_server.url, lambda: _statuses(live.app) == {DONE: 60}, 30)
        thread.join(30)
        assert _statuses(live.app) == {DONE: 60}
        assert set(runs.values()) == {1}


def test_jobs_lost_with_an_emptied_redis_are_found_at_once_and_run_once(
    tmp_path, redis_server
) -> None:
    """Redis restarted empty under dispatched jobs: RQ no longer knows them; they run again."""
    with live_deployment(tmp_path, DUO_REDIS_URL=redis_server.url) as live:
        _enqueue_many(live.app, 5)
        with live.app.app_context():
            assert dispatch() == 5
            db.session.remove()
        redis_server.kill()
        redis_server.start()  # same port, no persistence: every job is gone
        with live.app.app_context():
            # dispatched a little while ago (recovery leaves fresh claims alone)
            db.session.execute(update(OutboxJob).values(claimed_at=utcnow() - GRACE - GRACE))
            db.session.commit()
            assert recover_lost(_connection(redis_server.url)) == 5
            assert _statuses(live.app) == {PENDING: 5}
            assert recover_lost(_connection(redis_server.url)) == 0
            assert dispatch() == 5
            db.session.remove()
        _work_until(live.app, redis_server.url, lambda: _statuses(live.app) == {DONE: 5})
        assert set(runs.values()) == {1} and len(runs) == 5


def test_jobs_waiting_in_redis_or_just_claimed_are_not_taken_for_lost(
    tmp_path, redis_server
) -> None:
    with live_deployment(tmp_path, DUO_REDIS_URL=redis_server.url) as live:
        _enqueue_many(live.app, 3)
        with live.app.app_context():
            assert dispatch() == 3
            assert recover_lost(_connection(redis_server.url)) == 0  # claims are fresh
            db.session.execute(update(OutboxJob).values(claimed_at=utcnow() - 3 * GRACE))
            db.session.commit()
            assert recover_lost(_connection(redis_server.url)) == 0  # queued in RQ: alive
            assert _statuses(live.app) == {DISPATCHED: 3}
            db.session.remove()


def _signup(client, session_id, n: int):
    from duo.privacy.consent import PRIVACY_NOTICE, TEXT_VERSIONS

    body = {
        "session_id": str(session_id),
        "audience": "mentee",
        "first_name": "Omar",
        "last_name": "Haddad",
        "email": f"cand{n}-{uuid.uuid4().hex[:4]}@example.org",
        "birth_year": 1999,
        "consent": True,
        "privacy_notice_version": TEXT_VERSIONS[PRIVACY_NOTICE],
        "locale": "en",
    }
    return client.post(
        "/api/v1/brussels/signups",
        json=body,
        environ_base={"REMOTE_ADDR": f"10.0.0.{n % 200 + 1}"},
    )


def test_redis_killed_during_sign_ups_loses_none_and_mails_each_once(tmp_path) -> None:
    """The limiter counts in memory while Redis is away; the jobs wait in the outbox."""
    from support import make_session

    redis_server = RedisServer(tmp_path, persistent=True)
    redis_server.start()
    try:
        _redis_killed_during_sign_ups(tmp_path, redis_server, make_session)
    finally:
        redis_server.kill()


def _redis_killed_during_sign_ups(tmp_path, redis_server, make_session) -> None:
    with live_deployment(
        tmp_path,
        DUO_REDIS_URL=redis_server.url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=redis_server.url,
    ) as live:
        with live.app.app_context():
            brussels = db.session.execute(
                select(Tenant).where(Tenant.slug == "brussels")
            ).scalar_one()
            info = make_session(brussels, capacity=100, language="en")
            session_id, brussels_id = info.id, brussels.id
            db.session.commit()
            db.session.remove()
        client = live.app.test_client()
        statuses = [_signup(client, session_id, n).status_code for n in range(5)]
        redis_server.kill()
        statuses += [_signup(client, session_id, n).status_code for n in range(5, 15)]
        assert _statuses(live.app)[PENDING] == 10  # the outage's mails wait in the outbox
        redis_server.start()
        statuses += [_signup(client, session_id, n).status_code for n in range(15, 20)]
        assert all(code < 500 for code in statuses), statuses
        assert all(code in (200, 201) for code in statuses), statuses
        with live.app.app_context():
            db.session.remove()
            from duo.core.jobs.cli import dispatcher_round

            dispatcher_round(live.app, _connection(redis_server.url))
        _work_until(
            live.app, redis_server.url, lambda: set(_statuses(live.app)) == {DONE}, timeout=20
        )
        with live.app.app_context(), tenant_scope(brussels_id):
            per_recipient = Counter(
                db.session.execute(select(OutgoingMail.recipient)).scalars().all()
            )
            from duo.sessions.models import Registration

            registrations = db.session.execute(
                select(func.count()).select_from(Registration)
            ).scalar_one()
            db.session.remove()
        assert registrations == 20
        assert len(per_recipient) == 20 and set(per_recipient.values()) == {1}
