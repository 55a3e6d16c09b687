"""Queue a mail: one row plus one job, in the caller's transaction."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterable
from email.utils import make_msgid, parseaddr

from flask import current_app
from sqlalchemy import select

from duo.core.db import db
from duo.core.hooks import Hook
from duo.core.jobs import enqueue
from duo.core.jobs.outbox import running_job
from duo.core.mail.models import QUEUED, OutgoingMail

Attachment = tuple[str, str, bytes]

#: ``(person_id) -> bool``: True when no mail may go to the person any more (their privacy
#: consent withdrawn, or their data erased). Provided by :mod:`duo.privacy`.
MAIL_WITHHELD: Hook[Callable[[uuid.UUID], bool]] = Hook(
    "mail.withheld", "Whether mails to a person are withheld."
)


def _sender_domain() -> str:
    sender = current_app.config.get("MAIL_SENDER") or ""
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "duoforajob.org"


def queue_mail(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Iterable[Attachment] = (),
    person: object | None = None,
    kind: str | None = None,
) -> OutgoingMail:
    """Write the mail to the current branch's outbox and enqueue ``mail.send`` for it.

    Nothing is sent if the caller's transaction rolls back. ``attachments`` are
    ``(filename, content_type, bytes)``; ``person`` (a Person) links the mail to whom it
    concerns; ``kind`` (e.g. ``"sessions.confirmation"``) helps staff read the outbox.
    Inside a job the mail is keyed by the job's run (``effect_key``): when the job runs
    again (a retry, a worker that died after its work), the mail it wrote is returned and
    nothing new is written or sent.
    """
    running = running_job()
    effect_key = running.next_effect_key() if running is not None else None
    if effect_key is not None:
        existing = db.session.execute(
            select(OutgoingMail).where(OutgoingMail.effect_key == effect_key)
        ).scalar_one_or_none()
        if existing is not None:
            return existing
    person_id = getattr(person, "id", None)
    withheld = person_id is not None and any(check(person_id) for check in MAIL_WITHHELD.items())
    mail = OutgoingMail(
        effect_key=effect_key,
        kind=kind,
        recipient=to.strip(),
        subject=" ".join(subject.split())[:300],
        text=text,
        html=html,
        attachments=[
            {
                "filename": filename,
                "content_type": content_type,
                "data": base64.b64encode(content).decode("ascii"),
            }
            for filename, content_type, content in attachments
        ],
        person_id=getattr(person, "id", None),
        message_id=make_msgid(domain=_sender_domain()),
        status=QUEUED,
    )
    if withheld:
        return mail  # never stored, never sent: the person asked us to stop
    db.session.add(mail)
    db.session.flush()
    enqueue("mail.send", str(mail.id), dedupe_key=f"mail.send:{mail.id}")
    return mail
