"""HQ never reaches a person: every HQ route is tried, none shows or reads people.

Every route HQ can open (pages, exports, API) is requested as HQ with people whose names
and e-mail addresses are unmistakable; none of them may appear, and none of the SQL the
requests run may touch a table of people. Every branch route answers HQ with 404.
"""

from __future__ import annotations

import io
import re

import pytest

from duo.core.tenancy.models import tenant_owned_tables
from duo.reporting.refresh import refresh_now
from support.history import REPORT_YEAR, History, at

MARK = "Zorblaxia"


@pytest.fixture
def people(db, tenants):
    history = History(db, tenants)
    history.cohort("ghent", 11, REPORT_YEAR, 3)
    for i in range(3):
        history.person(
            "ghent",
            first_name=MARK,
            email=f"{MARK.lower()}{i}@example.org",
            signed_up=at(REPORT_YEAR, 4),
        )
    refresh_now(tenants["ghent"].id)


def _hq_paths(app) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if not (rule.rule.startswith("/hq") or rule.rule.startswith("/api/v1/hq")):
            continue
        if "GET" not in rule.methods:
            continue
        for fmt in ("csv", "xlsx") if "<fmt>" in rule.rule else ("",):
            path = rule.rule.replace("<fmt>", fmt).replace("<key>", "funnel.signed_up")
            if "<" not in path:
                paths.append(path)
    return sorted(paths)


def _text(response) -> str:
    if "spreadsheetml" not in response.mimetype:
        return response.get_data(as_text=True)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.data))
    return " ".join(
        str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
    )


def test_every_hq_route_shows_no_person_and_reads_no_people_table(
    app, hq_client, people, count_queries
) -> None:
    paths = _hq_paths(app)
    assert "/hq/" in paths and "/hq/export.xlsx" in paths
    personal = set(tenant_owned_tables())
    for path in paths:
        for query in ("", f"?year={REPORT_YEAR}", f"?year={REPORT_YEAR}&country=be&branch=ghent"):
            with count_queries() as q:
                response = hq_client.get(path + query)
            assert response.status_code in (200, 401), path
            body = _text(response)
            assert MARK not in body and "example.org" not in body, path
            for statement in q.statements:
                tables = set(re.findall(r'(?:FROM|JOIN|INTO|UPDATE)\s+"?(\w+)', statement, re.I))
                assert not tables & personal, (path, statement)


def test_branch_routes_answer_hq_with_404(app, hq_client, people) -> None:
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/<tenant>") or "GET" not in rule.methods:
            continue
        if rule.arguments - {"tenant"}:
            continue
        response = hq_client.get(rule.rule.replace("<tenant>", "ghent"))
        if response.status_code == 404:
            checked += 1
            continue
        # Public pages (sign-up, privacy notice) show no person either.
        assert MARK not in response.get_data(as_text=True), rule.rule
    assert checked > 5
