"""Reset of a forgotten password by an e-mail link: through the outbox, once, no 2FA bypass."""

from __future__ import annotations

from datetime import timedelta

from duo.core.clock import advance
from duo.core.mail.models import OutgoingMail
from duo.core.tenancy.context import tenant_scope
from support import mails_where


def _reset_link(user) -> str:
    """The link of the one reset mail sent to ``user``."""
    with tenant_scope(user.branch_ids[0]):
        [mail] = mails_where(OutgoingMail.recipient == user.email)
    return mail.text.split("http://localhost")[1].split()[0]


def test_password_reset_by_mail_does_not_skip_the_second_step(app, db, client, create_user) -> None:

    user = create_user(branches=["lille"])
    unknown = client.post("/password/forgot", data={"email": "nobody@duo.example.org"})
    known = client.post("/password/forgot", data={"email": user.email})
    assert unknown.status_code == known.status_code == 302
    link = _reset_link(user)
    new = "seven green lanterns tonight"
    assert client.post(link, data={"new": new, "repeat": new}).status_code == 302
    assert client.get(link).status_code == 404  # single use
    assert client.get("/lille/").status_code == 302  # the link logged nobody in
    step = client.post("/login", data={"email": user.email, "password": new})
    assert step.headers["Location"].endswith("/login/code")


def test_an_expired_or_made_up_link_changes_nothing(app, db, client, create_user) -> None:

    assert client.get("/password/reset/made-up-token").status_code == 404
    user = create_user(branches=["lyon"])
    client.post("/password/forgot", data={"email": user.email})
    link = _reset_link(user)
    new = "seven green lanterns tonight"
    with advance(timedelta(hours=2)):
        assert client.post(link, data={"new": new, "repeat": new}).status_code == 404
