"""SMTP down: each attempt's error and the next try are on the outbox page; after the last
attempt the mail shows as failed with a button to try again (coordinators of its branch)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from duo.core.db import db, utcnow
from duo.core.jobs.models import FAILED, PENDING, OutboxJob
from duo.core.jobs.outbox import execute
from duo.core.mail.jobs import MAX_ATTEMPTS
from duo.core.mail.models import FAILED as MAIL_FAILED
from duo.core.mail.models import QUEUED, SENT
from support.smtp import queue_and_commit, stored_mail

pytestmark = pytest.mark.smtp


def _fail_until_last(job_id: int) -> None:
    db.session.execute(
        update(OutboxJob)
        .where(OutboxJob.id == job_id)
        .values(attempts=MAX_ATTEMPTS - 1, run_after=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()


def test_each_failed_attempt_is_shown_with_the_next_try(db, tenants, smtp, coordinator) -> None:
    brussels = tenants["brussels"]
    smtp.refuse = True
    mail_id, job_id = queue_and_commit(brussels)
    assert execute(job_id) == PENDING
    mail = stored_mail(brussels, mail_id)
    assert mail.status == QUEUED and mail.failed_attempts == 1
    assert "554" in mail.last_error and mail.next_attempt_at > utcnow()
    html = coordinator("brussels").get("/brussels/outbox").get_data(as_text=True)
    # Brussels speaks French first.
    assert "1 tentative a échoué" in html and "554" in html and "Prochaine tentative" in html
    assert "Réessayer" not in html


def test_after_the_last_attempt_staff_see_it_failed_and_retry(
    db,
    tenants,
    smtp,
    coordinator,
) -> None:
    brussels = tenants["brussels"]
    smtp.refuse = True
    mail_id, job_id = queue_and_commit(brussels)
    _fail_until_last(job_id)
    assert execute(job_id) == FAILED
    assert stored_mail(brussels, mail_id).status == MAIL_FAILED
    client = coordinator("brussels")
    html = client.get("/brussels/outbox").get_data(as_text=True)
    assert "échec" in html and "Réessayer" in html and f"/brussels/outbox/{mail_id}/retry" in html

    smtp.refuse = False
    response = client.post(f"/brussels/outbox/{mail_id}/retry")
    assert response.status_code == 302
    db.session.expire_all()
    assert stored_mail(brussels, mail_id).status == SENT  # dispatched after the request's commit
    assert len(smtp.messages) == 1
    # A second press changes nothing.
    client.post(f"/brussels/outbox/{mail_id}/retry")
    assert len(smtp.messages) == 1


def test_another_branch_cannot_retry_or_see_the_mail(
    db, tenants, smtp, coordinator, hq_client
) -> None:
    smtp.refuse = True
    mail_id, job_id = queue_and_commit(tenants["brussels"])
    _fail_until_last(job_id)
    execute(job_id)
    other = coordinator("liege")
    assert other.post(f"/brussels/outbox/{mail_id}/retry").status_code == 404
    assert other.post(f"/liege/outbox/{mail_id}/retry").status_code == 404
    assert hq_client.post(f"/brussels/outbox/{mail_id}/retry").status_code == 404
    assert stored_mail(tenants["brussels"], mail_id).status == MAIL_FAILED
