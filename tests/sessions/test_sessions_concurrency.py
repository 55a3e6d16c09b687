"""Concurrent sign-ups on PostgreSQL: the capacity holds and a double click stays one.

Real threads, each with its own connection and transaction, released together by a
barrier; the session row lock (``SELECT ... FOR UPDATE``) makes them count seats one at a
time. The data is committed for real (other connections must see it) and removed after.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import delete, select

from duo.core.db import db, utcnow
from duo.core.jobs.models import OutboxJob
from duo.core.mail.models import OutgoingMail
from duo.core.tenancy.context import tenant_scope
from duo.core.tenancy.models import Tenant
from duo.people.models import Person, StateChange
from duo.privacy.models import Consent
from duo.sessions.models import REGISTERED, WAITLISTED, InfoSession, Registration
from duo.sessions.signup import sign_up
from support import DATABASE_URL, future, need, request_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def committed_session(app) -> Iterator[tuple[int, uuid.UUID]]:
    need(bool(DATABASE_URL), "DATABASE_URL is not set: concurrent sign-up tests skipped")
    started = utcnow()
    with app.app_context():
        tenant_id = db.session.execute(
            select(Tenant.id).where(Tenant.slug == "brussels")
        ).scalar_one()
        with tenant_scope(tenant_id):
            info = InfoSession(
                starts_at=future(),
                duration_minutes=90,
                place="Here",
                language="fr",
                audience="both",
                capacity=3,
            )
            db.session.add(info)
            db.session.commit()
            session_id = info.id
        db.session.remove()
    try:
        yield tenant_id, session_id
    finally:
        with app.app_context(), tenant_scope(tenant_id):
            people = select(Registration.person_id).where(Registration.session_id == session_id)
            ids = list(db.session.execute(people).scalars())
            db.session.execute(delete(OutgoingMail).where(OutgoingMail.person_id.in_(ids)))
            db.session.execute(delete(Registration).where(Registration.session_id == session_id))
            db.session.execute(delete(Consent).where(Consent.person_id.in_(ids)))
            db.session.execute(delete(StateChange).where(StateChange.person_id.in_(ids)))
            db.session.execute(delete(Person).where(Person.id.in_(ids)))
            db.session.execute(delete(InfoSession).where(InfoSession.id == session_id))
            db.session.execute(delete(OutboxJob).where(OutboxJob.created_at >= started))
            db.session.commit()
            db.session.remove()


def _race(app, tenant_id: int, n: int, make_request: Callable[[int], object]) -> list[str]:
    barrier = threading.Barrier(n)
    results: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        with app.app_context(), tenant_scope(tenant_id):
            tenant = db.session.get(Tenant, tenant_id)
            barrier.wait()
            try:
                outcome = sign_up(make_request(i), tenant=tenant)
                db.session.commit()
                result = outcome.status if outcome.created else "repeat"
            except Exception as exc:
                db.session.rollback()
                result = f"error: {exc!r}"
            finally:
                db.session.remove()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _registrations(app, tenant_id: int, session_id: uuid.UUID) -> list[Registration]:
    with app.app_context(), tenant_scope(tenant_id):
        rows = list(
            db.session.execute(
                select(Registration).where(Registration.session_id == session_id)
            ).scalars()
        )
        db.session.remove()
    return rows


def test_capacity_holds_when_many_sign_up_at_once(app, committed_session) -> None:
    tenant_id, session_id = committed_session
    results = _race(
        app,
        tenant_id,
        8,
        lambda i: request_for(session_id, email=f"racer{i}@example.org", waitlist=True),
    )
    assert sorted(results) == sorted([REGISTERED] * 3 + [WAITLISTED] * 5), results
    statuses = [r.status for r in _registrations(app, tenant_id, session_id)]
    assert statuses.count(REGISTERED) == 3 and statuses.count(WAITLISTED) == 5


def test_a_double_click_is_one_registration(app, committed_session) -> None:
    tenant_id, session_id = committed_session
    results = _race(
        app,
        tenant_id,
        4,
        lambda i: request_for(session_id, email="same.person@example.org"),
    )
    assert sorted(results) == [REGISTERED, "repeat", "repeat", "repeat"], results
    assert len(_registrations(app, tenant_id, session_id)) == 1
