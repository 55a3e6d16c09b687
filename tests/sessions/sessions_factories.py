"""Helpers for the sessions tests (plain functions: fixtures stay in tests/conftest.py)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select

from duo.core.db import db, utcnow
from duo.core.jobs import dispatch
from duo.core.mail.models import OutgoingMail
from duo.core.tenancy.context import tenant_scope
from duo.people.models import Person, StateChange
from duo.privacy.models import Consent
from duo.sessions.models import InfoSession, Registration
from duo.sessions.signup import SignupRequest


def future(days: int = 30, hour: int = 17) -> datetime:
    """A moment well in the future, on a whole hour (UTC)."""
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def past(days: int = 2) -> datetime:
    return (utcnow() - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)


def make_session(tenant: object, **values: object) -> InfoSession:
    """An InfoSession of ``tenant`` written directly (past ones too), flushed."""
    defaults: dict[str, object] = {
        "starts_at": future(),
        "duration_minutes": 90,
        "place": "Rue du Progrès 1",
        "online_url": None,
        "language": tenant.locales[0],  # type: ignore[attr-defined]
        "audience": "both",
        "capacity": 10,
        "sequence": 0,
    }
    defaults.update(values)
    with tenant_scope(tenant.id):  # type: ignore[attr-defined]
        info = InfoSession(**defaults)
        db.session.add(info)
        db.session.flush()
    return info


def request_for(session_id: uuid.UUID, **values: object) -> SignupRequest:
    defaults: dict[str, object] = {
        "session_id": session_id,
        "role": "mentee",
        "first_name": "Amina",
        "last_name": "Benali",
        "email": f"amina.{uuid.uuid4().hex[:6]}@example.org",
        "locale": "en",
        "consent": True,
        "phone": "+32 470 12 34 56",
        "birth_year": 2001,
        "heard_from": "website",
        "waitlist": False,
    }
    defaults.update(values)
    return SignupRequest(**defaults)  # type: ignore[arg-type]


def form_for(session_id: uuid.UUID | str, **values: object) -> dict[str, str]:
    """The public sign-up form's fields, filled in."""
    data = {
        "audience": "mentee",
        "session": str(session_id),
        "first_name": "Amina",
        "last_name": "Benali",
        "email": f"amina.{uuid.uuid4().hex[:6]}@example.org",
        "phone": "+32 470 12 34 56",
        "birth_year": "2001",
        "heard_from": "website",
        "consent": "y",
        "website": "",
    }
    data.update({k: str(v) for k, v in values.items() if v is not None})
    for key in [k for k, v in values.items() if v is None]:
        data.pop(key, None)
    return data


def run_jobs(rounds: int = 10) -> int:
    """Run due outbox jobs in-process until none is left (jobs may enqueue jobs)."""
    total = 0
    for _ in range(rounds):
        ran = dispatch()
        total += ran
        if not ran:
            break
    return total


def counts(tenant: object) -> dict[str, int]:
    """Rows a sign-up writes, in one branch: to check that bad input writes nothing."""
    from duo.core.jobs.models import OutboxJob

    with tenant_scope(tenant.id):  # type: ignore[attr-defined]
        result = {
            model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Person, StateChange, Consent, Registration, OutgoingMail, InfoSession)
        }
    result["OutboxJob"] = db.session.execute(
        select(func.count()).select_from(OutboxJob)
    ).scalar_one()
    return result


def mails_to(tenant: object, address: str) -> list[OutgoingMail]:
    with tenant_scope(tenant.id):  # type: ignore[attr-defined]
        return list(
            db.session.execute(
                select(OutgoingMail)
                .where(OutgoingMail.recipient == address)
                .order_by(OutgoingMail.created_at)
            ).scalars()
        )
