"""Issue 10 probe: the sign-up answers the same whether or not the e-mail is known.

Through the API and through the HTML form (its page and the confirmation page after it),
a known address must read exactly what a new one reads, so that nobody learns that a
person joined a programme for young people with a migrant background (timing aside).
"""

from __future__ import annotations

import re

import pytest

from support import form_for, make_session, reading


def _payload(sid, email: str, **values):
    body = {
        "session_id": str(sid),
        "audience": "mentee",
        "first_name": "Omar",
        "last_name": "Haddad",
        "email": email,
        "birth_year": 1999,
        "consent": True,
        "locale": "en",
    }
    body.update(values)
    return body


def _same(a, b) -> None:
    assert (a.status_code, a.get_json()) == (b.status_code, b.get_json())


@pytest.mark.parametrize("capacity,waitlist", [(10, False), (2, False), (2, True)])
def test_the_api_answers_alike_for_a_known_and_a_new_address(
    db, tenants, client, capacity, waitlist
) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, capacity=capacity)
    sid = info.id
    db.session.commit()
    first = client.post("/api/v1/brussels/signups", json=_payload(sid, "known@example.org"))
    assert first.status_code == 201
    if capacity == 2:  # fill the last seat: from now on the session is full
        other = client.post("/api/v1/brussels/signups", json=_payload(sid, "third@example.org"))
        assert other.status_code == 201
    known = client.post(
        "/api/v1/brussels/signups",
        json=_payload(sid, "Known@Example.org", first_name="Someone", waitlist=waitlist),
    )
    new = client.post(
        "/api/v1/brussels/signups",
        json=_payload(sid, "unknown@example.org", first_name="Someone", waitlist=waitlist),
    )
    _same(known, new)
    assert "already" not in known.get_data(as_text=True)


def _page(response) -> str:
    """The page with what legitimately differs between the two requests taken out (the
    CSRF token, and the address each typed, echoed in the form or masked after it)."""
    text = response.get_data(as_text=True)
    text = re.sub(r'name="csrf_token"[^>]*>', "", text)
    text = text.replace("KIM@example.org", "typed").replace("nobody@example.org", "typed")
    return re.sub(r"[A-Za-z]…@example\.org", "…", text)


@pytest.mark.parametrize("capacity,waitlist", [(10, ""), (2, ""), (2, "y")])
def test_the_form_answers_alike_for_a_known_and_a_new_address(
    app, db, tenants, capacity, waitlist
) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, language="en", capacity=capacity)
    sid = info.id
    db.session.commit()
    first = reading(app.test_client(), "en")
    assert first.post("/brussels/join", data=form_for(sid, email="kim@example.org")).status_code
    if capacity == 2:
        filler = reading(app.test_client(), "en")
        filler.post("/brussels/join", data=form_for(sid, email="lee@example.org"))
    answers = []
    for email in ("KIM@example.org", "nobody@example.org"):
        visitor = reading(app.test_client(), "en")
        form = form_for(sid, email=email, first_name="Sam", waitlist=waitlist)
        response = visitor.post("/brussels/join", data=form)
        location = response.headers.get("Location")
        after = visitor.get(location) if location else None
        answers.append((response.status_code, location, _page(after) if after else _page(response)))
    assert answers[0] == answers[1], _debug(answers[0][2], answers[1][2])
    assert "already" not in answers[0][2]


def _debug(a, b):
    import difflib

    return "\n".join(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1))
