"""Sending through a real SMTP server (aiosmtpd on 127.0.0.1), failures and retries."""

from __future__ import annotations

import pytest

from duo.core.db import utcnow
from duo.core.jobs.models import DONE, PENDING, OutboxJob
from duo.core.jobs.outbox import execute
from duo.core.mail.models import QUEUED, SENT
from support import make_session
from support.smtp import free_port, queue_and_commit, stored_mail

pytestmark = pytest.mark.smtp


def test_a_mail_is_sent_through_smtp_once(db, tenants, smtp) -> None:
    tenant = tenants["brussels"]
    mail_id, job_id = queue_and_commit(tenant)
    assert execute(job_id) == DONE
    [message] = smtp.messages
    assert smtp.envelopes[0].rcpt_tos == ["amina@example.org"]
    assert message["To"] == "amina@example.org"
    assert message["From"] == "DUO for a JOB <no-reply@duoforajob.org>"
    assert message["Reply-To"] == "brussels@duoforajob.be"
    assert message["Subject"] == "Your information session"
    stored = stored_mail(tenant, mail_id)
    assert message["Message-ID"] == stored.message_id
    assert message.get_body(("plain",)).get_content().startswith("Hello Amina,")
    assert "<p>Hello Amina,</p>" in message.get_body(("html",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "invitation.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert "BEGIN:VCALENDAR" in attachment.get_content()
    assert stored.status == SENT and stored.sent_at is not None
    assert execute(job_id) == "skipped"
    assert len(smtp.messages) == 1


def test_a_refused_mail_is_retried_not_lost(db, tenants, smtp) -> None:
    tenant = tenants["brussels"]
    mail_id, job_id = queue_and_commit(tenant)
    smtp.refuse = True
    assert execute(job_id) == PENDING
    job = db.session.get(OutboxJob, job_id)
    assert job.attempts == 1 and "554" in job.last_error and job.run_after > utcnow()
    assert stored_mail(tenant, mail_id).status == QUEUED
    smtp.refuse = False
    job.run_after = utcnow()
    db.session.commit()
    assert execute(job_id) == DONE
    assert len(smtp.messages) == 1 and stored_mail(tenant, mail_id).status == SENT


def test_an_unreachable_server_keeps_the_mail_queued(app, db, tenants, smtp, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens there
    tenant = tenants["brussels"]
    mail_id, job_id = queue_and_commit(tenant)
    assert execute(job_id) == PENDING
    assert stored_mail(tenant, mail_id).status == QUEUED
    assert db.session.get(OutboxJob, job_id).last_error


def test_the_server_login_is_used(app, db, tenants, smtp, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "duo")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "s3cret")
    _mail_id, job_id = queue_and_commit(tenants["brussels"])
    assert execute(job_id) == DONE
    assert smtp.logins == [("duo", "s3cret")] and len(smtp.messages) == 1
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "wrong")
    _mail_id, job_id = queue_and_commit(tenants["brussels"])
    assert execute(job_id) == PENDING
    assert len(smtp.messages) == 1


def test_the_sign_up_confirmation_arrives_with_its_invitation(db, tenants, client, smtp) -> None:
    info = make_session(tenants["antwerp"])
    session_id = info.id
    db.session.commit()
    response = client.post(
        "/antwerp/join",
        data={
            "audience": "mentee",
            "session": str(session_id),
            "first_name": "Yasmina",
            "last_name": "Amrani",
            "email": "yasmina@example.org",
            "birth_year": "2002",
            "consent": "y",
        },
    )
    assert response.status_code == 302
    [message] = smtp.messages  # sent by the dispatch after the request's commit
    assert message["To"] == "yasmina@example.org"
    text = message.get_body(("plain",)).get_content()
    assert "Yasmina" in text and "/antwerp/join/registration/" in text
    [invitation] = list(message.iter_attachments())
    assert invitation.get_content_type() == "text/calendar"
    assert str(session_id) in invitation.get_content()
