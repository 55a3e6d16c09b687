"""The JSON API for the organisation's website, and its OpenAPI description."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from duo.core.db import utcnow
from duo.core.tenancy.context import tenant_scope
from duo.privacy.consent import PRIVACY_NOTICE, TEXT_VERSIONS
from duo.sessions.models import Registration
from duo.sessions.signup import sign_up
from support import counts, make_session, past, request_for, run_jobs


def payload(sid: object, /, **values: object) -> dict[str, object]:
    body: dict[str, object] = {
        "session_id": str(sid),
        "audience": "mentee",
        "first_name": "Omar",
        "last_name": "Haddad",
        "email": "omar@example.org",
        "phone": "+32 470 00 00 00",
        "birth_year": 1999,
        "heard_from": "social_media",
        "consent": True,
        "privacy_notice_version": TEXT_VERSIONS[PRIVACY_NOTICE],
        "locale": "en",
    }
    body.update(values)
    return {k: v for k, v in body.items() if v is not ...}


@pytest.fixture
def spec(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def validate_against(spec: dict, name: str, instance: object) -> None:
    from openapi_schema_validator import OAS31Validator

    OAS31Validator(
        {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    ).validate(instance)


# --------------------------------------------------------------------------- reading


def test_sessions_are_listed_for_an_audience_and_language(db, tenants, client, spec) -> None:
    brussels = tenants["brussels"]
    mentees = make_session(
        brussels,
        audience="mentees",
        language="fr",
        capacity=3,
        online_url="https://meet.example.org/secret",
        place=None,
    )
    mentees_id = mentees.id
    make_session(brussels, audience="mentors", language="nl")
    make_session(brussels, starts_at=past())
    make_session(brussels, cancelled_at=utcnow())
    make_session(tenants["antwerp"])
    db.session.commit()
    response = client.get("/api/v1/brussels/sessions?audience=mentee")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    sessions = response.get_json()["sessions"]
    assert [s["id"] for s in sessions] == [str(mentees_id)]
    item = sessions[0]
    assert item["seats_left"] == 3 and item["full"] is False and item["online"] is True
    assert "secret" not in response.get_data(as_text=True)  # the link goes to seat holders only
    assert item["starts_at"].endswith(("+01:00", "+02:00"))
    assert item["signup_url"].endswith(f"/brussels/join?session={mentees_id}&audience=mentee")
    for entry in sessions:
        validate_against(spec, "Session", entry)
    assert len(client.get("/api/v1/brussels/sessions").get_json()["sessions"]) == 2
    assert (
        client.get("/api/v1/brussels/sessions?language=nl").get_json()["sessions"][0]["audience"]
        == "mentors"
    )
    bad = client.get("/api/v1/brussels/sessions?audience=robots")
    assert bad.status_code == 400 and "audience" in bad.get_json()["errors"]


def test_one_session_and_other_branches(db, tenants, client) -> None:
    info = make_session(tenants["brussels"])
    info_id = info.id
    db.session.commit()
    assert client.get(f"/api/v1/brussels/sessions/{info_id}").get_json()["id"] == str(info_id)
    for path in (
        f"/api/v1/antwerp/sessions/{info_id}",
        f"/api/v1/atlantis/sessions/{info_id}",
        "/api/v1/brussels/sessions/00000000-0000-4000-8000-000000000000",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["message"]


def test_the_privacy_notice_and_its_version(client) -> None:
    body = client.get("/api/v1/brussels/privacy-notice?locale=en").get_json()
    assert body["version"] == TEXT_VERSIONS[PRIVACY_NOTICE]
    assert body["locale"] == "en" and len(body["paragraphs"]) >= 3
    assert "brussels@duoforajob.be" in " ".join(body["paragraphs"])
    dutch = client.get("/api/v1/brussels/privacy-notice", headers={"Accept-Language": "nl"})
    assert dutch.get_json()["locale"] == "nl"
    # Antwerp speaks Dutch only: an English request gets Dutch
    assert client.get("/api/v1/antwerp/privacy-notice?locale=en").get_json()["locale"] == "nl"


# --------------------------------------------------------------------------- signing up


def test_a_sign_up_through_the_api(db, tenants, client, spec) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, capacity=1)
    info_id = info.id
    db.session.commit()
    response = client.post("/api/v1/brussels/signups", json=payload(info_id))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    validate_against(spec, "SignupResult", body)
    assert body["status"] == "registered" and "already_registered" not in body
    assert body["session"]["full"] is True
    again = client.post("/api/v1/brussels/signups", json=payload(info_id, email="OMAR@example.org"))
    new = client.post("/api/v1/brussels/signups", json=payload(info_id, email="new@example.org"))
    # a repeated sign-up answers like a new address: the session is full for both, so
    # nobody learns that the address is known
    assert again.status_code == new.status_code == 400
    assert again.get_json() == new.get_json()
    waiting = client.post(
        "/api/v1/brussels/signups",
        json=payload(info_id, email="other@example.org", waitlist=True),
    )
    assert waiting.status_code == 201 and waiting.get_json()["status"] == "waitlisted"
    with tenant_scope(tenant.id):
        regs = db.session.execute(select(Registration)).scalars().all()
        assert len(regs) == 2


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("no_consent", "consent", "Please agree to the privacy notice to sign up."),
        ("missing_consent", "consent", "This field is required."),
        ("bad_email", "email", "Enter a valid e-mail address."),
        ("full", "waitlist", "This session is full."),
        ("past", "session_id", "This session has already taken place."),
        ("honeypot", "website", "Leave this field empty."),
        ("unknown_field", "favourite_colour", "Unknown field."),
        ("bad_uuid", "session_id", "Choose one of the sessions listed."),
        ("old_notice", "privacy_notice_version", "The privacy notice has changed"),
        ("birth_year", "birth_year", "Enter your year of birth as four digits"),
        ("audience", "audience", "Choose “mentor” or “mentee”."),
    ],
)
def test_bad_sign_ups_are_refused_field_by_field(
    db, tenants, in_tenant, client, case, field, message
) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant, capacity=1, **({"starts_at": past()} if case == "past" else {}))
    info_id = info.id
    if case == "full":
        with in_tenant("brussels"):
            sign_up(request_for(info.id), tenant=tenant)
    db.session.commit()
    run_jobs()
    body = payload(
        info_id,
        **{
            "no_consent": {"consent": False},
            "missing_consent": {"consent": ...},
            "bad_email": {"email": "omar@"},
            "full": {},
            "past": {},
            "honeypot": {"website": "spam"},
            "unknown_field": {"favourite_colour": "blue"},
            "bad_uuid": {"session_id": "12"},
            "old_notice": {"privacy_notice_version": "2020-01-v0"},
            "birth_year": {"birth_year": 85},
            "audience": {"audience": "both"},
        }[case],
    )
    before = counts(tenant)
    response = client.post("/api/v1/brussels/signups", json=body)
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert field in errors, errors
    assert any(message in text for text in errors[field]), errors
    assert counts(tenant) == before


def test_api_messages_follow_the_requested_language(db, tenants, client) -> None:
    info = make_session(tenants["brussels"])
    info_id = info.id
    db.session.commit()
    response = client.post(
        "/api/v1/brussels/signups", json=payload(info_id, email="x@", locale="fr")
    )
    assert response.get_json()["errors"]["email"] == ["Saisissez une adresse e-mail valide."]
    not_json = client.post(
        "/api/v1/brussels/signups", data="hello", headers={"Accept-Language": "fr"}
    )
    assert not_json.status_code == 400 and not_json.get_json()["message"]


def test_the_website_may_call_the_api_from_its_own_origin(client) -> None:
    response = client.options(
        "/api/v1/brussels/signups",
        headers={"Origin": "https://www.duoforajob.be", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


# --------------------------------------------------------------------------- staff


def test_registrations_are_for_the_branch_coordinators_only(
    db, tenants, in_tenant, client, coordinator, hq_client
) -> None:
    tenant = tenants["brussels"]
    info = make_session(tenant)
    info_id = info.id
    with in_tenant("brussels"):
        sign_up(request_for(info_id, email="private@example.org"), tenant=tenant)
    db.session.commit()
    path = f"/api/v1/brussels/sessions/{info_id}/registrations"
    response = coordinator("brussels").get(path)
    assert response.status_code == 200
    [reg] = response.get_json()["registrations"]
    assert reg["person"]["email"] == "private@example.org" and reg["status"] == "registered"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert client.get(path).status_code == 401
    antwerp = coordinator("antwerp")
    for other in (path, f"/api/v1/antwerp/sessions/{info_id}/registrations"):
        denied = antwerp.get(other)
        assert denied.status_code == 404, other
        assert "private@example.org" not in denied.get_data(as_text=True)
    assert hq_client.get(path).status_code == 404


# --------------------------------------------------------------------------- description


def test_the_openapi_description_is_valid(spec) -> None:
    from openapi_spec_validator import validate

    validate(spec)
    paths = spec["paths"]
    assert "/api/v1/{tenant}/signups" in paths and "/api/v1/{tenant}/sessions" in paths
    signup = spec["components"]["schemas"]["Signup"]
    assert {"session_id", "audience", "email", "consent"} <= set(signup["required"])
    assert signup["properties"]["audience"]["enum"] == ["mentor", "mentee"]
    assert signup["additionalProperties"] is False
