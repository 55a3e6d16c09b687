"""Mail without a mail server: the outbox row, the job, the dev page, languages, links."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select

from duo.core.db import db
from duo.core.jobs.models import DONE, OutboxJob
from duo.core.jobs.outbox import execute
from duo.core.mail import external_url, queue_mail
from duo.core.mail.models import KEPT, QUEUED, OutgoingMail
from duo.core.tenancy.context import tenant_scope
from duo.sessions.signup import SignupRequest, sign_up
from support import make_session


def _queue(tenant, to: str = "reader@example.org", **values) -> OutgoingMail:  # noqa: ANN001
    with tenant_scope(tenant.id):
        return queue_mail(
            to,
            values.pop("subject", "Your session"),
            values.pop("text", "Hello,\nsee you soon.\n"),
            **values,
        )


def test_a_queued_mail_is_one_row_and_one_job_with_its_id_only(db, tenants) -> None:
    mail = _queue(
        tenants["brussels"],
        html="<p>Hello</p>",
        attachments=[("invitation.ics", "text/calendar; method=REQUEST", b"BEGIN:VCALENDAR")],
        kind="test",
    )
    assert mail.status == QUEUED and mail.message_id.startswith("<")
    job = db.session.execute(
        select(OutboxJob).where(OutboxJob.dedupe_key == f"mail.send:{mail.id}")
    ).scalar_one()
    assert job.name == "mail.send" and job.args == [str(mail.id)]
    assert job.tenant_id == tenants["brussels"].id
    assert "reader@example.org" not in json.dumps(job.args)


def test_without_a_mail_server_the_mail_is_kept_once(db, tenants) -> None:
    mail = _queue(tenants["brussels"])
    job_id = db.session.execute(
        select(OutboxJob.id).where(OutboxJob.dedupe_key == f"mail.send:{mail.id}")
    ).scalar_one()
    mail_id = mail.id
    db.session.commit()
    assert execute(job_id) == DONE
    assert execute(job_id) == "skipped"
    with tenant_scope(tenants["brussels"].id):
        kept = db.session.execute(
            select(OutgoingMail).where(OutgoingMail.id == mail_id)
        ).scalar_one()
        assert kept.status == KEPT and kept.sent_at is None


def test_the_outbox_page_shows_the_branch_mails(db, tenants, coordinator, hq_client) -> None:
    from duo.core.jobs import dispatch

    mine = _queue(
        tenants["brussels"],
        subject="Welcome to Brussels",
        attachments=[("invitation.ics", "text/calendar", b"BEGIN:VCALENDAR\r\n")],
    )
    theirs = _queue(tenants["antwerp"], to="antwerp@example.org", subject="Welkom in Antwerpen")
    mine_id, theirs_id = mine.id, theirs.id
    db.session.commit()
    dispatch()
    client = coordinator("brussels", locale="en")
    page = client.get("/brussels/outbox")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Welcome to Brussels" in html and "kept (not sent)" in html
    assert "Welkom in Antwerpen" not in html and "antwerp@example.org" not in html
    message = client.get(f"/brussels/outbox/{mine_id}").get_data(as_text=True)
    assert "see you soon." in message and "invitation.ics" in message
    attachment = client.get(f"/brussels/outbox/{mine_id}/attachments/0")
    assert attachment.data.startswith(b"BEGIN:VCALENDAR")
    assert attachment.mimetype == "text/calendar"
    assert client.get(f"/brussels/outbox/{mine_id}/attachments/1").status_code == 404
    assert client.get(f"/brussels/outbox/{theirs_id}").status_code == 404
    antwerp = coordinator("antwerp", locale="en")
    for path in (
        f"/brussels/outbox/{mine_id}",
        f"/antwerp/outbox/{mine_id}",
        f"/antwerp/outbox/{mine_id}/attachments/0",
        "/brussels/outbox",
    ):
        assert antwerp.get(path).status_code == 404, path
    assert hq_client.get("/brussels/outbox").status_code == 404
    assert hq_client.get(f"/brussels/outbox/{mine_id}").status_code == 404


def request(session_id, email: str, locale: str) -> SignupRequest:  # noqa: ANN001
    return SignupRequest(
        session_id=session_id,
        role="mentee",
        first_name="Amina",
        last_name="Benali",
        email=email,
        locale=locale,
        consent=True,
        birth_year=2000,
    )


def mail_to(tenant, address: str) -> OutgoingMail:  # noqa: ANN001
    with tenant_scope(tenant.id):
        return db.session.execute(
            select(OutgoingMail).where(OutgoingMail.recipient == address)
        ).scalar_one()


def test_mails_are_written_in_the_recipient_language(db, tenants, in_tenant) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant)
    local_day = info.starts_at.astimezone(ZoneInfo(tenant.timezone)).date()
    with in_tenant("brussels"):
        sign_up(request(info.id, "nl@example.org", "nl"), tenant=tenant)
        sign_up(request(info.id, "fr@example.org", "fr"), tenant=tenant)
    dutch = mail_to(tenant, "nl@example.org")
    french = mail_to(tenant, "fr@example.org")
    assert format_date(local_day, "full", locale="nl") in dutch.text
    assert format_date(local_day, "full", locale="fr") in french.text
    assert 'lang="nl"' in dutch.html and 'lang="fr"' in french.html
    assert "Brussel" in dutch.text and "Bruxelles" in french.text


def test_links_in_mails_use_the_public_address(app, db, tenants, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "DUO_PUBLIC_URL", "https://duo.example.org/app")
    url = external_url("join.join", tenant="ghent")
    assert url == "https://duo.example.org/app/ghent/join"
    monkeypatch.setitem(app.config, "DUO_PUBLIC_URL", "")
    assert external_url("join.join", tenant="ghent") == "http://localhost:5000/ghent/join"
