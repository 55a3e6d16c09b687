"""The public sign-up page /<branch>/join, its confirmation, and the personal link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from duo.core.db import utcnow
from duo.core.mail.models import KEPT
from duo.core.tenancy.context import tenant_scope
from duo.people.models import Person
from duo.sessions.models import CANCELLED, REGISTERED, WAITLISTED, Registration
from duo.sessions.signup import sign_up
from duo.sessions.tokens import make_token
from support import (
    ADULT_BIRTH_YEAR,
    counts,
    form_for,
    mails_to,
    make_session,
    past,
    reading,
    request_for,
    run_jobs,
)


@pytest.fixture
def visitor(client):
    """A visitor who chose English (offered in Brussels); assertions quote English texts."""
    return reading(client, "en")


def _link(text: str) -> str:
    match = re.search(r"https?://[^\s]+/join/registration/[A-Za-z0-9._-]+", text)
    assert match, text
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


# --------------------------------------------------------------------------- the page


def test_the_home_page_links_every_branch_to_its_sign_up(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'href="/brussels/join"' in html and 'href="/antwerp/join"' in html


def test_the_page_asks_mentor_or_mentee_first(visitor) -> None:
    html = visitor.get("/brussels/join").get_data(as_text=True)
    assert "/brussels/join?audience=mentor" in html
    assert "/brussels/join?audience=mentee" in html
    assert "<form" not in html.split("<main", 1)[1]


def test_the_page_lists_upcoming_sessions_for_the_audience_in_the_language_first(
    db, tenants, visitor
) -> None:
    brussels = tenants["brussels"]
    english = make_session(brussels, language="en", audience="mentees", place="EN place")
    english_id = english.id
    dutch = make_session(brussels, language="nl", audience="both", place="NL place")
    dutch_id = dutch.id
    make_session(brussels, language="en", audience="mentors", place="Mentors only")
    make_session(brussels, language="en", starts_at=past(), place="Already held")
    make_session(brussels, language="en", cancelled_at=utcnow(), place="Called off")
    make_session(tenants["antwerp"], language="en", place="Antwerp place")
    db.session.commit()
    response = visitor.get("/brussels/join?audience=mentee")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for absent in ("Mentors only", "Already held", "Called off", "Antwerp place"):
        assert absent not in html
    assert html.index(str(english_id)) < html.index("Sessions in other languages")
    assert html.index("Sessions in other languages") < html.index(str(dutch_id))
    assert "Privacy notice" in html and 'name="website"' in html
    assert 'name="consent"' in html


def test_without_sessions_the_page_says_whom_to_write_to(visitor) -> None:
    html = visitor.get("/antwerp/join?audience=mentor").get_data(as_text=True)
    assert "antwerp@duoforajob.be" in html
    assert 'name="first_name"' not in html


# --------------------------------------------------------------------------- signing up


def test_signing_up_registers_and_keeps_the_mail_in_the_outbox(db, tenants, visitor) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, language="en")
    info_id = info.id
    session_id = info_id
    db.session.commit()
    form = form_for(session_id, email="Yasmina@example.org", first_name="Yasmina")
    response = visitor.post("/brussels/join", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/brussels/join/done")
    done = visitor.get("/brussels/join/done").get_data(as_text=True)
    assert "You are registered" in done and "Y…@example.org" in done
    assert "Yasmina@example.org" not in done
    with tenant_scope(tenant.id):
        person = db.session.execute(select(Person)).scalar_one()
        assert (person.first_name, person.role, person.locale, person.birth_year) == (
            "Yasmina",
            "mentee",
            "en",
            ADULT_BIRTH_YEAR,
        )
        reg = db.session.execute(select(Registration)).scalar_one()
        assert reg.status == REGISTERED and reg.heard_from == "website"
    [mail] = mails_to(tenant, "Yasmina@example.org")
    assert mail.status == KEPT  # no MAIL_SERVER: kept for the outbox page
    assert mail.attachments[0]["filename"].endswith(".ics")


def test_a_double_submission_creates_nothing_more(db, tenants, visitor) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, language="en")
    info_id = info.id
    session_id = info_id
    db.session.commit()
    form = form_for(session_id, email="double@example.org")
    assert visitor.post("/brussels/join", data=form).status_code == 302
    before = counts(tenant)
    again = visitor.post("/brussels/join", data={**form, "email": "DOUBLE@example.org"})
    assert again.status_code == 302
    done = visitor.get("/brussels/join/done").get_data(as_text=True)
    # the page a new address would read: nothing says the address was known
    assert "You are registered" in done and "already" not in done
    after = counts(tenant)
    assert after == before
    assert len(mails_to(tenant, "double@example.org")) == 1


def test_a_full_session_offers_the_waiting_list(db, tenants, in_tenant, visitor) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, language="en", capacity=1)
    info_id = info.id
    session_id = info_id
    with in_tenant("brussels"):
        sign_up(request_for(info_id), tenant=tenant)
    db.session.commit()
    page = visitor.get("/brussels/join?audience=mentee").get_data(as_text=True)
    assert "full: waiting list" in page and 'name="waitlist"' in page
    response = visitor.post("/brussels/join", data=form_for(session_id, waitlist="y"))
    assert response.status_code == 302
    done = visitor.get("/brussels/join/done").get_data(as_text=True)
    assert "You are on the waiting list" in done


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no_consent", "Please agree to the privacy notice to sign up."),
        ("bad_email", "Enter a valid e-mail address."),
        ("full", "This session is full. Tick the box to join its waiting list"),
        ("past", "This session has already taken place."),
        ("honeypot", "Leave this field empty."),
        ("no_session", "Choose one of the sessions listed."),
        ("unknown_session", "Choose one of the sessions listed."),
        ("mentors_only", "This session is for future mentors only."),
        ("birth_year", "Enter your year of birth as four digits"),
        ("no_name", "Enter your first name."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    db, tenants, in_tenant, visitor, case, message
) -> None:
    tenant = tenants["brussels"]
    values: dict[str, object] = {}
    if case == "past":
        values["starts_at"] = past()
    if case == "mentors_only":
        values["audience"] = "mentors"
    if case == "full":
        values["capacity"] = 1
    info = make_session(tenant, language="en", **values)
    info_id = info.id
    if case == "full":
        with in_tenant("brussels"):
            sign_up(request_for(info_id), tenant=tenant)
    session_id = info_id
    db.session.commit()
    run_jobs()
    overrides: dict[str, object | None] = {
        "no_consent": {"consent": None},
        "bad_email": {"email": "amina@@example"},
        "full": {},
        "past": {},
        "honeypot": {"website": "http://spam.example.com"},
        "no_session": {"session": None},
        "unknown_session": {"session": "00000000-0000-4000-8000-000000000000"},
        "mentors_only": {},
        "birth_year": {"birth_year": "85"},
        "no_name": {"first_name": "  "},
    }[case]
    before = counts(tenant)
    response = visitor.post("/brussels/join", data=form_for(session_id, **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html, html[html.find("<main") :]
    assert "Please correct the following" in html
    assert counts(tenant) == before


def test_messages_follow_the_visitor_language(db, tenants, client) -> None:
    info = make_session(tenants["brussels"])
    info_id = info.id
    session_id = info_id
    db.session.commit()
    response = client.post(  # no choice made: Brussels speaks French first
        "/brussels/join", data=form_for(session_id, email="not-an-address")
    )
    assert response.status_code == 400
    assert "Saisissez une adresse e-mail valide." in response.get_data(as_text=True)


def test_sign_ups_are_rate_limited(app, db, tmp_path: Path) -> None:
    """A separate app with rate limiting on (the test app turns it off)."""
    from appfactory import build_app
    from duo.core.extensions import limiter
    from duo.core.settings import REPO_ROOT, Settings

    settings = Settings(
        instance_path=tmp_path,
        secret_key="test-secret",
        database_url=app.config["DUO_OWNER_DATABASE_URL"],
        redis_url=None,
        tenants_path=REPO_ROOT / "tenants",
    )
    limited = build_app(settings, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    try:
        with limited.app_context():
            client = limited.test_client()
            statuses = [
                client.post("/brussels/join", data={"audience": "mentee"}).status_code
                for _ in range(21)
            ]
            assert statuses[:20] == [400] * 20
            assert statuses[20] == 429
            assert client.get("/brussels/join").status_code == 200  # reading is never limited
            api = client.post("/api/v1/brussels/signups", json={})
            assert api.status_code == 429 and "message" in api.get_json()
    finally:
        limiter.enabled = False
        from duo.core.db import db as _db

        with limited.app_context():
            _db.engine.dispose()


# --------------------------------------------------------------------------- the personal link


def test_the_personal_link_cancels_and_promotes_the_next(db, tenants, in_tenant, visitor) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, language="en", capacity=1)
    info_id = info.id
    session_id = info_id
    with in_tenant("brussels"):
        seat = sign_up(request_for(info_id, email="seat@example.org"), tenant=tenant)
        waiting = sign_up(
            request_for(info_id, email="next@example.org", waitlist=True), tenant=tenant
        )
        seat_reg, waiting_reg = seat.registration.id, waiting.registration.id
    db.session.commit()
    [mail] = mails_to(tenant, "seat@example.org")
    link = _link(mail.text)
    page = visitor.get(link)
    assert page.status_code == 200
    assert "You have a seat at this session." in page.get_data(as_text=True)
    assert visitor.post(link).status_code == 302
    assert "is cancelled" in visitor.get(link).get_data(as_text=True)
    assert visitor.post(link).status_code == 302  # twice: still fine, nothing more
    run_jobs()
    with in_tenant("brussels"):
        statuses = dict(db.session.execute(select(Registration.id, Registration.status)).all())
    assert statuses == {seat_reg: CANCELLED, waiting_reg: REGISTERED}
    kinds = [m.kind for m in mails_to(tenant, "next@example.org")]
    assert kinds == ["sessions.confirmation", "sessions.promoted"]
    assert session_id


def _signed_up(tenant, in_tenant) -> tuple[object, str]:
    """An English session of ``tenant``, and the personal link of one sign-up to it."""
    info = make_session(tenant, language="en")
    with in_tenant(tenant.slug):
        seat = sign_up(request_for(info.id), tenant=tenant)
        token = make_token(tenant.id, seat.registration.id)
    return info, token


def test_a_bad_link_is_explained_and_changes_nothing(db, tenants, in_tenant, visitor) -> None:
    tenant = tenants["brussels"]
    info, token = _signed_up(tenant, in_tenant)
    info_id = info.id
    db.session.commit()
    for path in (
        "/brussels/join/registration/not-a-token",
        f"/brussels/join/registration/{token[:-3]}abc",
        f"/antwerp/join/registration/{token}",  # another branch
        f"/brussels/join/registration/{make_token(tenant.id, info_id)}",  # no such registration
    ):
        response = visitor.get(path)
        assert response.status_code == 404, path
        assert "This link does not work" in response.get_data(as_text=True) or path.startswith(
            "/antwerp"
        )
        assert visitor.post(path).status_code == 404
    with in_tenant("brussels"):
        assert (
            db.session.execute(
                select(func.count())
                .select_from(Registration)
                .where(Registration.status == REGISTERED)
            ).scalar_one()
            == 1
        )


def test_a_link_for_a_session_that_took_place_has_expired(db, tenants, in_tenant, visitor) -> None:
    tenant = tenants["brussels"]
    info, token = _signed_up(tenant, in_tenant)
    with in_tenant("brussels"):
        info.starts_at = past()
        db.session.flush()
    db.session.commit()
    response = visitor.post(f"/brussels/join/registration/{token}")
    assert response.status_code == 400
    assert "This session has already taken place" in response.get_data(as_text=True)
    with in_tenant("brussels"):
        assert db.session.execute(select(Registration.status)).scalar_one() == REGISTERED


def test_the_waiting_list_link_says_so(db, tenants, in_tenant, visitor) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, language="en", capacity=1)
    info_id = info.id
    with in_tenant("brussels"):
        sign_up(request_for(info_id), tenant=tenant)
        waiting = sign_up(request_for(info_id, waitlist=True), tenant=tenant)
        token = make_token(tenant.id, waiting.registration.id)
        assert waiting.status == WAITLISTED
    db.session.commit()
    html = visitor.get(f"/brussels/join/registration/{token}").get_data(as_text=True)
    assert "Leave the waiting list" in html
