"""The job that sends one queued mail."""

from __future__ import annotations

import uuid

from flask import current_app
from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.jobs import job
from duo.core.mail.models import KEPT, QUEUED, SENT, OutgoingMail
from duo.core.mail.smtp import build_message, deliver
from duo.core.tenancy.models import Tenant


@job("mail.send", max_attempts=12)
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
    return SENT
