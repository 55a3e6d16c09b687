"""Bad input never crashes: the probes of issue 10, on SQLite and (with DATABASE_URL) PostgreSQL.

A NUL byte in any text field, a phone one character too long, dates in year 9999, a place
of only spaces: each gets a clear message at its field (or a 400 for the URL), nothing is
written, and the API answers JSON whatever went wrong.
"""

from __future__ import annotations

import logging
import uuid
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from duo.core.db import db as _db
from duo.core.tenancy.context import tenant_scope
from duo.people import states
from duo.people.models import Person
from duo.sessions.models import InfoSession
from duo.training.models import TrainingCycle
from support import (
    ADULT_BIRTH_YEAR,
    PoolFactory,
    cycle_form,
    form_for,
    make_cycle,
    make_session,
    session_form,
)

NUL = "Ami\x00na"
CONTROL = "Remove the invisible control characters from this text."


def saved(obj):
    """Commit the test's setup and keep the keys (on PostgreSQL, RLS hides rows outside scope)."""
    keys = SimpleNamespace(id=obj.id, tenant_id=obj.tenant_id)
    _db.session.commit()
    return keys


def count(model, tenant) -> int:
    with tenant_scope(tenant.id):
        return _db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def english(login):
    return lambda slug: login(branches=[slug], locale="en")


# --------------------------------------------------------------------------- public sign-up


@pytest.mark.parametrize("field", ["first_name", "last_name", "email", "phone", "birth_year"])
def test_nul_in_the_signup_form_is_refused_at_the_field(client, tenants, field) -> None:
    brussels = tenants["brussels"]
    info = saved(make_session(brussels))
    data = form_for(info.id)
    data[field] = data[field][:3] + "\x00" + data[field][3:]
    before = count(Person, brussels)
    response = client.post("/brussels/join", data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(Person, brussels) == before


def _api_body(session_id, **values) -> dict:
    body = {
        "session_id": str(session_id),
        "audience": "mentee",
        "first_name": "Amina",
        "last_name": "Benali",
        "email": f"amina.{uuid.uuid4().hex[:6]}@example.org",
        "phone": "+32 470 12 34 56",
        "birth_year": ADULT_BIRTH_YEAR,
        "consent": True,
        "locale": "en",
    }
    body.update(values)
    return body


@pytest.mark.parametrize(
    "field", ["first_name", "last_name", "email", "phone", "privacy_notice_version", "website"]
)
def test_nul_through_the_api_is_a_json_400(client, tenants, field) -> None:
    brussels = tenants["brussels"]
    info = saved(make_session(brussels))
    body = _api_body(info.id, **{field: "abc\x00def"})
    before = count(Person, brussels)
    response = client.post("/api/v1/brussels/signups", json=body)
    assert response.status_code == 400
    assert response.is_json
    assert response.get_json()["errors"][field] == [CONTROL]
    assert count(Person, brussels) == before


def test_a_phone_of_41_characters_is_refused_by_the_api(client, tenants) -> None:
    info = saved(make_session(tenants["brussels"]))
    response = client.post(
        "/api/v1/brussels/signups", json=_api_body(info.id, phone="+" + "4" * 40)
    )
    assert response.status_code == 400
    assert "phone" in response.get_json()["errors"]
    fine = client.post("/api/v1/brussels/signups", json=_api_body(info.id, phone="+" + "4" * 39))
    assert fine.status_code == 201, fine.get_json()


def test_a_personal_link_with_a_nul_is_refused(client, tenants) -> None:
    assert client.get("/brussels/join/registration/abc%00def").status_code == 400


# --------------------------------------------------------------------------- staff pages


def test_nul_in_the_search_is_a_400(english) -> None:
    client = english("brussels")
    assert client.get("/brussels/people/?q=am%00ina").status_code == 400
    assert client.get("/brussels/people/?q=amina").status_code == 200


def test_nul_in_a_withdraw_reason_changes_nothing(english, create_person) -> None:
    person = saved(create_person("brussels", state=states.ELIGIBLE))
    client = english("brussels")
    response = client.post(f"/brussels/people/{person.id}/withdraw", data={"reason": NUL})
    assert response.status_code == 400
    assert CONTROL in response.get_data(as_text=True)
    _db.session.expire_all()
    with tenant_scope(person.tenant_id):
        assert _db.session.get(Person, (person.tenant_id, person.id)).state == states.ELIGIBLE


def test_nul_in_an_override_justification_is_refused(english, create_person) -> None:
    person = saved(create_person("brussels", state=states.NEEDS_REVIEW))
    client = english("brussels")
    response = client.post(
        f"/brussels/people/{person.id}/override",
        data={"outcome": "eligible", "justification": "Seen the papers\x00 myself"},
    )
    assert response.status_code == 400
    assert CONTROL in response.get_data(as_text=True)


def test_nul_in_an_info_session_cancel_reason_is_refused(english, tenants) -> None:
    info = saved(make_session(tenants["brussels"]))
    client = english("brussels")
    response = client.post(f"/brussels/sessions/{info.id}/cancel", data={"reason": NUL})
    assert response.status_code == 400
    assert CONTROL in response.get_data(as_text=True)
    _db.session.expire_all()
    with tenant_scope(info.tenant_id):
        assert _db.session.get(InfoSession, (info.tenant_id, info.id)).cancelled_at is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"start_date": "9999-12-31"}, "start_date"),
        ({"start_date": "1000-01-01"}, "start_date"),
        ({"place": "   "}, "place"),
        ({"place": "Rue\x00 Royale"}, "place"),
        ({"details": "Bring\x00 an ID"}, "details"),
        ({"place": "x" * 301}, "place"),
    ],
)
def test_an_info_session_with_bad_values_is_refused(english, tenants, values, field) -> None:
    brussels = tenants["brussels"]
    before = count(InfoSession, brussels)
    response = english("brussels").post("/brussels/sessions/new", data=session_form(**values))
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(InfoSession, brussels) == before


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "Autumn\x00 training"}, "title"),
        ({"start_date": "9999-12-01"}, "start_date"),
        ({"location": "\x00"}, "location"),
    ],
)
def test_a_training_cycle_with_bad_values_is_refused(english, tenants, values, field) -> None:
    rotterdam = tenants["rotterdam"]
    before = count(TrainingCycle, rotterdam)
    for action in ("preview", "save"):
        data = cycle_form(rotterdam, action=action, **values)
        response = english("rotterdam").post("/rotterdam/training/cycles/new", data=data)
        assert response.status_code in (200, 400)
        html = response.get_data(as_text=True)
        assert f'id="{field}-error"' in html, html[:2000]
    assert count(TrainingCycle, rotterdam) == before


def test_nul_in_a_training_cycle_rename_is_refused(english, tenants) -> None:
    cycle = saved(make_cycle(tenants["brussels"]))
    client = english("brussels")
    response = client.post(
        f"/brussels/training/cycles/{cycle.id}/settings",
        data={"title": "Re\x00named", "location": "", "capacity": ""},
    )
    assert response.status_code in (302, 400)
    _db.session.expire_all()
    with tenant_scope(cycle.tenant_id):
        assert _db.session.get(TrainingCycle, (cycle.tenant_id, cycle.id)).title == "Test cycle"


def test_nul_in_a_duo_stop_reason_is_refused(db, tenants, english) -> None:
    from duo.duos import lifecycle
    from duo.duos import states as duo_states
    from duo.duos.models import Duo

    pool = PoolFactory(db, tenants)
    mentee = pool.mentee("rotterdam", "Amina", languages={"nl": "native"})
    mentor = pool.mentor("rotterdam", "Jan", languages={"nl": "native"})
    with tenant_scope(tenants["rotterdam"].id):
        duo = lifecycle.propose(mentee, mentor)
        key = (duo.tenant_id, duo.id)
        duo_id = duo.id
    db.session.commit()
    response = english("rotterdam").post(
        f"/rotterdam/duos/{duo_id}/to/stopped",
        data={"stopped-reason": "They did\x00 not click", "stopped-declined_by": "mentee"},
    )
    assert response.status_code == 400
    assert CONTROL in response.get_data(as_text=True)
    db.session.expire_all()
    with tenant_scope(tenants["rotterdam"].id):
        assert db.session.get(Duo, key).state != duo_states.STOPPED


# --------------------------------------------------------------------------- API errors, logs


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/nowhere", 404),
        ("GET", "/api/v1/atlantis/sessions", 404),
        ("DELETE", "/api/v1/brussels/signups", 405),
        ("GET", "/api/v1/brussels/sessions?audience=%00", 400),
    ],
)
def test_api_errors_are_json(client, method, path, status) -> None:
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.is_json
    assert response.get_json()["message"]


def test_an_unexpected_api_error_is_json(app, tenants) -> None:
    testing = app.testing
    app.testing = False  # the 500 handler re-raises under testing
    try:
        response = app.test_client().post(
            "/api/v1/brussels/signups", data=b"{", content_type="application/json"
        )
        assert response.status_code == 400
        assert response.is_json
    finally:
        app.testing = testing


def test_database_errors_never_log_the_parameters(app, db, caplog) -> None:
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True
    assert db.engine.hide_parameters is True
    with pytest.raises(sa.exc.DBAPIError) as failure:
        db.session.execute(
            sa.text("SELECT * FROM no_such_table WHERE x = :secret"),
            {"secret": "zoubida@example.org"},
        )
    db.session.rollback()
    assert "zoubida@example.org" not in str(failure.value)
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").exception("x", exc_info=failure.value)
    assert "zoubida@example.org" not in caplog.text
