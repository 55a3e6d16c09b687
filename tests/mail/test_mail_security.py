"""The outbox of one branch: no rows of another, no 500 on odd input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from duo.core.mail import queue_mail
from duo.core.mail.models import OutgoingMail
from duo.core.tenancy.context import tenant_scope


def _queue(tenant, subject: str) -> str:
    """The new mail's id (read inside the branch: the row is hidden outside it)."""
    with tenant_scope(tenant.id):
        return queue_mail(
            "reader@example.org",
            subject,
            "Hello.\n",
            attachments=[("invite.ics", "text/calendar", b"BEGIN:VCALENDAR\r\n")],
        ).id


@pytest.mark.parametrize("page", ["99999999999999999999999", "-5", "abc"])
def test_odd_page_numbers_are_not_a_server_error(login, page: str) -> None:
    client = login(branches=["brussels"], locale="en")
    response = client.get(f"/brussels/outbox?page={page}")
    assert response.status_code == 200


def test_mail_of_another_branch_is_404_and_not_listed(login, tenants) -> None:
    mail_id = _queue(tenants["antwerp"], "Antwerp only subject")
    client = login(branches=["brussels"], locale="en")
    assert "Antwerp only subject" not in client.get("/brussels/outbox").get_data(as_text=True)
    assert client.get(f"/brussels/outbox/{mail_id}").status_code == 404
    assert client.get(f"/brussels/outbox/{mail_id}/attachments/0").status_code == 404
    # the same ids under the other branch's URL, for a coordinator of the wrong branch
    assert client.get(f"/antwerp/outbox/{mail_id}").status_code == 404


def test_counting_with_select_from_stays_in_the_branch(db, tenants) -> None:
    """The dashboard's to-dos and the outbox total count with ``select_from(Model)``."""
    _queue(tenants["antwerp"], "one")
    _queue(tenants["antwerp"], "two")
    _queue(tenants["brussels"], "three")
    count = select(func.count()).select_from(OutgoingMail)
    with tenant_scope(tenants["brussels"].id):
        assert db.session.execute(count).scalar_one() == 1
    with tenant_scope(tenants["antwerp"].id):
        assert db.session.execute(count).scalar_one() == 2
