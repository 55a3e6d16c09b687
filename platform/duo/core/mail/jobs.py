"""The job that sends one queued mail, what a failed attempt leaves on the mail, and retry."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.jobs import enqueue, job
from duo.core.jobs.outbox import retry_failed
from duo.core.mail.models import FAILED, KEPT, QUEUED, SENT, OutgoingMail
from duo.core.mail.smtp import build_message, deliver
from duo.core.tenancy.models import Tenant

SEND_JOB = "mail.send"
MAX_ATTEMPTS = 12


def _short_error(exc: BaseException) -> str:
    """What staff read on the outbox page: the error's kind and the server's words."""
    text = " ".join(str(exc).split()) or "-"
    return f"{type(exc).__name__}: {text}"[:500]


def record_failure(args: list[Any], exc: BaseException, attempts: int, next_at: datetime | None):  # noqa: ANN201
    """After each failed attempt: the error and the next try, or ``failed`` after the last."""
    mail = db.session.execute(
        select(OutgoingMail).where(OutgoingMail.id == uuid.UUID(args[0]))
    ).scalar_one_or_none()
    if mail is None or mail.status not in (QUEUED, FAILED):
        return
    mail.failed_attempts = (mail.failed_attempts or 0) + 1
    mail.last_error = _short_error(exc)
    mail.next_attempt_at = next_at
    if next_at is None:
        mail.status = FAILED


@job(SEND_JOB, max_attempts=MAX_ATTEMPTS, on_failure=record_failure)
def send(mail_id: str) -> str:
    """Send the mail once; a mail already sent or kept is left alone.

    SMTP errors propagate: the outbox records the failure and retries with back-off, so
    a mail is never lost. A crash between the SMTP server's "250 OK" and our commit can
    send it twice (at least once, never zero times); the stable Message-ID lets the
    receiving side recognise the repeat.
    """
    mail = db.session.execute(
        select(OutgoingMail).where(OutgoingMail.id == uuid.UUID(mail_id)).with_for_update()
    ).scalar_one_or_none()
    if mail is None or mail.status != QUEUED:
        return "skipped"
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        mail.status = KEPT
        return KEPT
    tenant = db.session.get(Tenant, mail.tenant_id)
    message = build_message(
        mail,
        sender=config.get("MAIL_SENDER") or "no-reply@duoforajob.org",
        reply_to=tenant.contact_email if tenant is not None else None,
    )
    deliver(message, config)
    mail.status = SENT
    mail.sent_at = utcnow()
    mail.next_attempt_at = None
    return SENT


def retry(mail: OutgoingMail) -> bool:
    """Staff asked to try a failed mail again: its job gets a fresh series of attempts."""
    if mail.status != FAILED:
        return False
    mail.status = QUEUED
    mail.next_attempt_at = utcnow()
    if not retry_failed(f"{SEND_JOB}:{mail.id}"):
        enqueue(SEND_JOB, str(mail.id), tenant_id=mail.tenant_id)
    db.session.flush()
    return True
