"""Item 7 of issue 10: who read or changed whose data, and staff accounts' security events.

The log is append-only for the application (the ORM refuses, and on PostgreSQL the app
role lacks the privilege), each coordinator reads their own branch's log on a page that
filters and pages, and no row holds a password, token, code or search term.
"""

from __future__ import annotations

import io
import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, text, update

from appfactory import PASSWORD, log_in
from duo.core import audit
from duo.core.audit.models import AuditEvent, AuditLogIsAppendOnly
from duo.core.auth import accounts, twofactor
from duo.core.db import utcnow
from duo.people import states
from duo.people.pipeline import transition
from support import DATABASE_URL, days_from_today, need


def _events(db, in_tenant, branch: str, action: str | None = None) -> list[AuditEvent]:
    with in_tenant(branch):
        query = select(AuditEvent).order_by(AuditEvent.at)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(db.session.execute(query).scalars())


# --------------------------------------------------------------------------- what is recorded


def test_opening_a_persons_page_and_intake_is_recorded(db, coordinator, create_person, in_tenant):
    person_id = create_person("brussels").id
    client = coordinator("brussels")
    user_id = client.user.id
    assert client.get(f"/brussels/people/{person_id}").status_code == 200
    assert client.get(f"/brussels/people/{person_id}/intake").status_code == 200
    views = _events(db, in_tenant, "brussels", audit.PERSON_VIEW)
    assert [(e.object, e.person_id, e.actor_user_id) for e in views] == [
        ("person", person_id, user_id),
        ("intake", person_id, user_id),
    ]
    assert _events(db, in_tenant, "antwerp", audit.PERSON_VIEW) == []


def test_a_staff_state_change_is_recorded_but_not_a_candidates_own(
    db, create_user, create_person, in_tenant
):
    user = create_user(branches=["ghent"])
    person = create_person("ghent")
    with in_tenant("ghent"):
        transition(person, states.WITHDRAWN, by=user, reason="moved away")
        (event,) = db.session.execute(select(AuditEvent)).scalars().all()
        assert (event.action, event.person_id, event.actor_user_id) == (
            audit.PERSON_STATE,
            person.id,
            user.id,
        )
        assert event.details == {"from": states.REGISTERED, "to": states.WITHDRAWN}
        assert "moved away" not in json.dumps(event.details)
        other = create_person("ghent")
        with in_tenant("ghent"):
            transition(other, states.WITHDRAWN, by=None)
        assert len(db.session.execute(select(AuditEvent)).scalars().all()) == 1


def test_login_failed_login_and_logout_reach_each_branch_of_the_user(
    db, app, create_user, in_tenant
):
    user = create_user(branches=["brussels", "liege"])
    client = app.test_client()
    bad = client.post("/login", data={"email": user.email, "password": "not the password"})
    assert bad.status_code == 400
    assert log_in(client, user).status_code == 302
    assert client.post("/logout").status_code == 302
    for branch in ("brussels", "liege"):
        kinds = [e.action for e in _events(db, in_tenant, branch)]
        assert kinds == [audit.LOGIN_FAILED, audit.LOGIN, audit.SESSION_END], branch
        assert all(e.object == f"user:{user.id}" for e in _events(db, in_tenant, branch))
    assert _events(db, in_tenant, "ghent") == []
    failed = _events(db, in_tenant, "brussels", audit.LOGIN_FAILED)[0]
    assert failed.details == {"step": "password"}
    assert "not the password" not in json.dumps(failed.details)


def test_a_wrong_code_is_recorded_and_an_unknown_address_is_only_logged(
    db, app, create_user, in_tenant, caplog
):
    user = create_user(branches=["lyon"])
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.post("/login/code", data={"code": "000000"}).status_code == 400
    failed = _events(db, in_tenant, "lyon", audit.LOGIN_FAILED)
    assert [e.details for e in failed] == [{"step": "code"}]
    with caplog.at_level("INFO", logger="duo.audit"):
        client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD})
    assert "login.failed user=unknown" in caplog.text
    assert "nobody@example.org" not in caplog.text


def test_two_factor_and_password_events(db, app, create_user, in_tenant) -> None:
    user = create_user(branches=["paris"], enrolled=False)
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    page = client.get("/login/enrol").get_data(as_text=True)
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    response = client.post("/login/enrol", data={"code": twofactor.current_code(secret)})
    assert response.status_code == 200
    codes = twofactor.new_recovery_codes(user)
    client.post("/logout")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 302
    new = "a river of quiet pebbles"
    form = {"current": PASSWORD, "new": new, "repeat": new}
    assert client.post("/account/password", data=form).status_code == 302
    accounts.reset_two_factor(user)  # by an operator (duo users reset-2fa)
    kinds = [e.action for e in _events(db, in_tenant, "paris")]
    for kind in (
        audit.TWO_FACTOR_ENROL,
        audit.RECOVERY_CODE_USED,
        audit.PASSWORD_CHANGE,
        audit.TWO_FACTOR_RESET,
    ):
        assert kind in kinds
    (reset,) = _events(db, in_tenant, "paris", audit.TWO_FACTOR_RESET)
    assert reset.actor_user_id is None  # an operator's command
    for event in _events(db, in_tenant, "paris"):
        text_of = json.dumps(event.details)
        assert new not in text_of and PASSWORD not in text_of and codes[0] not in text_of


def test_the_export_keeps_no_search_term(db, coordinator, in_tenant) -> None:
    client = coordinator("brussels")
    assert client.get("/brussels/people/export.csv?q=Amina&role=mentee").status_code == 200
    (event,) = _events(db, in_tenant, "brussels", audit.EXPORT)
    assert event.details["filters"] == {"role": "mentee"}


def test_an_import_is_recorded(db, coordinator, in_tenant) -> None:
    client = coordinator("brussels", locale="en")
    body = "role,first_name,last_name,email\nmentee,Ana,Lima,ana.lima@example.org\n"
    upload = client.post(
        "/brussels/people/import",
        data={"file": (io.BytesIO(body.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    assert client.post(upload.headers["Location"]).status_code == 302
    (event,) = _events(db, in_tenant, "brussels", audit.IMPORT)
    assert event.details == {"created": 1, "known": 0}


def test_details_never_keep_secrets(db, in_tenant) -> None:
    with in_tenant("mechelen"):
        event = audit.record(
            "export",
            "x",
            details={"password": "p", "reset_token": "t", "totp_code": "1", "rows": 2},
        )
        assert event.details == {"rows": 2}


# --------------------------------------------------------------------------- append-only


def test_the_orm_refuses_to_change_or_delete_an_audit_row(db, in_tenant) -> None:
    with in_tenant("ghent"):
        event = audit.record("export", "people.csv")
        event.object = "nothing happened"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
    with in_tenant("ghent"):
        event = audit.record("export", "people.csv")
        db.session.delete(event)
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.flush()
        db.session.rollback()
    with in_tenant("ghent"):
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(update(AuditEvent).values(object="x"))
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(delete(AuditEvent))
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(update(AuditEvent.__table__).values(object="x"))


@pytest.mark.postgres
def test_on_postgresql_the_app_role_cannot_update_delete_or_truncate(db, in_tenant) -> None:
    need(bool(DATABASE_URL), "DATABASE_URL is not set: PostgreSQL privilege test skipped")
    with in_tenant("ghent"):
        audit.record("export", "people.csv")
        for sql in (
            "UPDATE audit_events SET object = 'x'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
        ):
            savepoint = db.session.begin_nested()
            with pytest.raises(Exception, match="permission denied"):
                db.session.execute(text(sql).execution_options(duo_raw_sql=True))
            savepoint.rollback()
        count = db.session.execute(
            text("SELECT count(*) FROM audit_events").execution_options(duo_raw_sql=True)
        ).scalar_one()
        assert count == 1


# --------------------------------------------------------------------------- the page


def test_the_page_shows_the_branchs_log_filtered(
    db, coordinator, create_person, create_user, in_tenant
):
    person_id = create_person("brussels", first_name="Yasmina", last_name="Audit").id
    other_id = create_person("brussels", first_name="Pieter", last_name="Other").id
    client = coordinator("brussels", locale="en")
    client.get(f"/brussels/people/{person_id}")
    client.get(f"/brussels/people/{other_id}")
    page = client.get("/brussels/audit/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Yasmina Audit" in body and "Pieter Other" in body and "Login" in body
    assert client.user.name in body
    by_person = client.get(f"/brussels/audit/?person={person_id}").get_data(as_text=True)
    assert "Yasmina Audit" in by_person and "Pieter Other" not in by_person
    by_kind = client.get("/brussels/audit/?kind=login").get_data(as_text=True)
    assert "Yasmina" not in by_kind and "Login" in by_kind
    by_actor = client.get(f"/brussels/audit/?actor={client.user.id + 999}")
    assert "No event matches" in by_actor.get_data(as_text=True)
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    later = client.get(f"/brussels/audit/?date_from={tomorrow}").get_data(as_text=True)
    assert "No event matches" in later
    # The other branch's coordinator sees nothing of it, HQ gets 404
    antwerp = coordinator("antwerp", locale="en")
    assert "Yasmina" not in antwerp.get("/antwerp/audit/").get_data(as_text=True)
    assert antwerp.get("/brussels/audit/").status_code == 404


def test_the_page_is_closed_to_others(client, coordinator, hq_client) -> None:
    assert client.get("/brussels/audit/").status_code in (302, 404)
    assert coordinator("antwerp").get("/brussels/audit/").status_code == 404
    assert hq_client.get("/brussels/audit/").status_code == 404


def test_the_page_pages(db, coordinator, in_tenant) -> None:
    client = coordinator("liege", locale="fr")
    with in_tenant("liege"):
        for n in range(60):
            audit.record("export", f"people.csv#{n}", actor=client.user)
        db.session.commit()
    first = client.get("/liege/audit/").get_data(as_text=True)
    assert "Page 1 sur 2" in first or "Page 1 de 2" in first
    second = client.get("/liege/audit/?page=2&kind=export")
    assert second.status_code == 200
    assert client.get("/liege/audit/?page=999999999999").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "date_from=9999-12-31",
        f"date_from={days_from_today(0).year}-13-45",  # no such month
        f"date_from={days_from_today(-1)}&date_to={days_from_today(-2)}",
        "person=not-a-uuid",
        "actor=abc&kind=nonsense",
        "person=" + "x" * 5000,
    ],
)
def test_bad_filters_get_a_message_not_a_500(coordinator, query) -> None:
    response = coordinator("brussels", locale="en").get(f"/brussels/audit/?{query}")
    assert response.status_code in (200, 400)
    assert "Audit log" in response.get_data(as_text=True)


def test_a_nul_byte_in_a_filter_is_refused(coordinator) -> None:
    assert coordinator("lille").get("/lille/audit/?person=%00").status_code == 400


def test_the_log_is_in_three_languages(coordinator) -> None:
    for locale, title in (("en", "Audit log"), ("fr", "Journal d"), ("nl", "Auditlog")):
        body = coordinator("brussels", locale=locale).get("/brussels/audit/")
        assert title in body.get_data(as_text=True), locale


def test_a_person_unknown_to_the_log_is_shown_plainly(db, coordinator, in_tenant) -> None:
    client = coordinator("brussels", locale="en")
    gone = uuid.uuid4()
    with in_tenant("brussels"):
        audit.record(audit.PERSON_VIEW, "person", actor=client.user, person_id=gone)
        db.session.commit()
    body = client.get("/brussels/audit/").get_data(as_text=True)
    assert "a person no longer on record" in body
