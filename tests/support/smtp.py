"""A real SMTP server (aiosmtpd on 127.0.0.1) for the tests that send mail through one."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from duo.core.db import db
from duo.core.jobs.models import OutboxJob
from duo.core.mail import queue_mail
from duo.core.mail.models import OutgoingMail
from duo.core.tenancy.context import tenant_scope


class Inbox:
    """An aiosmtpd handler that keeps what it receives, or refuses it when told to."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []
        self.refuse = False
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return "554 5.7.1 Message refused for the test"
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        login = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append(login)
        return AuthResult(success=login == ("duo", "s3cret"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch) -> Iterator[Inbox]:
    """A server on a free port, and the app's mail settings pointed at it (no TLS, no login
    unless a test sets ``MAIL_USERNAME``: the server accepts ``duo`` / ``s3cret``)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
    monkeypatch.setitem(app.config, "MAIL_SENDER", "DUO for a JOB <no-reply@duoforajob.org>")
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    try:
        yield inbox
    finally:
        controller.stop()


def queue_and_commit(tenant, **values) -> tuple[object, int]:
    """A mail with HTML and an invitation attached, queued in ``tenant`` and committed: the
    id of the mail and of its sending job."""
    with tenant_scope(tenant.id):
        mail = queue_mail(
            values.pop("to", "amina@example.org"),
            "Your information session",
            "Hello Amina,\nsee you on Tuesday.\n",
            html="<p>Hello Amina,</p>",
            attachments=[
                (
                    "invitation.ics",
                    "text/calendar; charset=utf-8; method=REQUEST",
                    b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
                )
            ],
            **values,
        )
    job_id = db.session.execute(
        select(OutboxJob.id).where(OutboxJob.dedupe_key == f"mail.send:{mail.id}")
    ).scalar_one()
    mail_id = mail.id
    db.session.commit()
    return mail_id, job_id


def stored_mail(tenant, mail_id) -> OutgoingMail:
    """The mail row as it stands now (reloaded in its branch's scope)."""
    with tenant_scope(tenant.id):
        return db.session.execute(
            select(OutgoingMail).where(OutgoingMail.id == mail_id)
        ).scalar_one()
