"""The HQ API: token made once and kept hashed, suppressed figures, JSON errors."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from duo.reporting import tokens
from duo.reporting.models import HqApiToken
from duo.reporting.refresh import refresh_now
from support.history import REPORT_YEAR, History


@pytest.fixture
def seeded(db, tenants):
    history = History(db, tenants)
    history.cohort("ghent", 12, REPORT_YEAR, 2)
    history.cohort("antwerp", 12, REPORT_YEAR, 3)
    history.cohort("paris", 3, REPORT_YEAR, 2)  # 6 people: hidden,
    history.cohort("lille", 3, REPORT_YEAR, 2)  # and so is Lille, so France's 12 can be shown
    for slug in ("ghent", "antwerp", "paris", "lille"):
        refresh_now(tenants[slug].id)
    db.session.commit()


@pytest.fixture
def token(db) -> str:
    _row, value = tokens.create("bi-tool")
    db.session.commit()  # a request answering 400 rolls back; the token must outlive it
    return value


def _get(client, path: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(path, headers=headers)


def test_token_is_stored_hashed(db, token) -> None:
    row = db.session.execute(select(HqApiToken)).scalar_one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash


def test_cli_prints_the_token_once(app, db) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tokens", "create", "--hq", "--name", "powerbi"])
    assert result.exit_code == 0, result.output
    printed = result.output.strip().splitlines()[0]
    assert printed.startswith(tokens.PREFIX)
    assert tokens.check(printed) is not None
    again = runner.invoke(args=["tokens", "create", "--hq", "--name", "powerbi"])
    assert again.exit_code != 0
    assert isinstance(runner, CliRunner)


def test_indicators_with_a_token(client, token, seeded, tenants) -> None:
    response = _get(client, f"/api/v1/hq/indicators?year={REPORT_YEAR}&country=be", token)
    assert response.status_code == 200
    body = response.get_json()
    assert body["year"] == REPORT_YEAR and body["country"] == "be"
    signed = next(i for i in body["indicators"] if i["key"] == "funnel.signed_up")
    places = {p["code"]: p for p in signed["places"]}
    assert places["ghent"]["year"]["value"] == 24
    assert places["be"]["year"]["value"] == 48
    assert "paris" not in places


def test_small_branches_are_suppressed_in_the_api(client, token, seeded) -> None:
    body = _get(client, f"/api/v1/hq/indicators?year={REPORT_YEAR}&branch=paris", token).get_json()
    signed = next(i for i in body["indicators"] if i["key"] == "funnel.signed_up")
    paris = signed["places"][0]
    assert paris["code"] == "paris"
    assert paris["year"] == {"value": None, "people": None, "suppressed": True}


def test_bad_parameters_get_json_errors(client, token, seeded) -> None:
    response = _get(client, "/api/v1/hq/indicators?year=abc", token)
    assert response.status_code == 400 and "year" in response.get_json()["errors"]
    response = _get(client, "/api/v1/hq/indicators?branch=nowhere", token)
    assert response.status_code == 400 and response.is_json


def test_no_or_wrong_or_revoked_token_is_401_and_coordinators_404(
    db, client, token, coordinator
) -> None:
    assert _get(client, "/api/v1/hq/indicators").status_code == 401
    assert _get(client, "/api/v1/hq/indicators", "duohq_wrong").status_code == 401
    assert coordinator("ghent").get("/api/v1/hq/indicators").status_code == 404
    tokens.revoke("bi-tool")
    response = _get(client, "/api/v1/hq/indicators", token)
    assert response.status_code == 401 and response.is_json


def test_a_logged_in_hq_user_may_open_it(hq_client, seeded) -> None:
    assert hq_client.get(f"/api/v1/hq/indicators?year={REPORT_YEAR}").status_code == 200


def test_openapi_is_generated_and_valid_with_the_hq_path(client) -> None:
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    assert "/api/v1/hq/indicators" in spec["paths"]
    operation = spec["paths"]["/api/v1/hq/indicators"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"year", "country", "branch"}
    assert "Indicators" in spec["components"]["schemas"]
    assert spec["components"]["securitySchemes"]["hqToken"]["scheme"] == "bearer"


def test_stopped_duos_come_by_reason_hidden_as_at_hq(client, token, db, tenants) -> None:
    from support.history import at

    history = History(db, tenants)
    for i in range(12):
        mentee = history.person("ghent", "mentee", signed_up=at(REPORT_YEAR, 1, 1 + i))
        mentor = history.person("ghent", "mentor", signed_up=at(REPORT_YEAR, 1, 1 + i))
        history.duo("ghent", mentee, mentor, proposed=at(REPORT_YEAR, 2, 1 + i),
                    stopped=at(REPORT_YEAR, 3, 1), declined_by="mentor")  # fmt: skip
    for i in range(2):
        mentee = history.person("ghent", "mentee", signed_up=at(REPORT_YEAR, 1, 1 + i))
        mentor = history.person("ghent", "mentor", signed_up=at(REPORT_YEAR, 1, 1 + i))
        history.duo("ghent", mentee, mentor, proposed=at(REPORT_YEAR, 2, 1 + i),
                    stopped=at(REPORT_YEAR, 3, 1))  # fmt: skip
    refresh_now(tenants["ghent"].id)
    db.session.commit()
    body = _get(client, f"/api/v1/hq/indicators?year={REPORT_YEAR}&branch=ghent", token).get_json()
    stopped = next(i for i in body["indicators"] if i["key"] == "duos.stopped")
    ghent = stopped["places"][0]
    assert ghent["year"]["value"] == 14
    reasons = {c["category"]: c["year"] for c in ghent["categories"]}
    assert set(reasons) == {"declined_first_meeting", "before_agreement", "during_accompaniment"}
    assert reasons["before_agreement"]["suppressed"]  # 2 duos
    assert reasons["declined_first_meeting"]["suppressed"]  # or 14 - 12 would say it
    assert reasons["during_accompaniment"] == {"value": 0, "people": 0, "suppressed": False}
    signed = next(i for i in body["indicators"] if i["key"] == "funnel.signed_up")
    assert "categories" not in signed["places"][0]


def test_clear_json_messages_for_a_nul_and_for_a_branch_of_another_country(
    client, token, seeded
) -> None:
    nul = _get(client, "/api/v1/hq/indicators?branch=gh%00ent", token)
    assert nul.status_code == 400 and "NUL" in nul.get_json()["message"]
    other = _get(client, "/api/v1/hq/indicators?country=be&branch=paris", token)
    assert other.status_code == 400
    assert "The branch paris is not in BE." in other.get_json()["errors"]["query"]
