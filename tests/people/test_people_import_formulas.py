"""Issue 10, item 8: a spreadsheet cell that a spreadsheet would run as a formula is refused
at import (the export neutralises them: see test_people_export.py)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from duo.people import spreadsheet
from duo.people.importing import is_formula, review
from duo.people.models import Person

HEADER = "role,first_name,last_name,email,phone"


@pytest.mark.parametrize(
    "text", ["=1+1", '=HYPERLINK("http://x")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "\tx"]
)
def test_formulas_are_recognised(text: str) -> None:
    assert is_formula(text)


@pytest.mark.parametrize("text", ["Amina", "+32 470 12 34 56", "-3", "", "a=b", "2001"])
def test_ordinary_values_are_not(text: str) -> None:
    assert not is_formula(text)


def test_a_row_with_a_formula_is_an_error_at_its_column(app, db, in_tenant) -> None:
    rows = [
        {"line": 2, "cells": {"role": "mentee", "first_name": "=HYPERLINK(1)",
                              "last_name": "Zed", "email": "z@example.org"}},
        {"line": 3, "cells": {"role": "mentee", "first_name": "Amina", "last_name": "B",
                              "email": "a@example.org", "phone": "+32 470 12 34 56"}},
    ]  # fmt: skip
    with app.test_request_context(), in_tenant("brussels"):
        result = review(rows, ["fr"])
    [bad] = result.errors
    assert bad.line == 2 and "formula" in bad.errors["first_name"][0]


def test_an_xlsx_formula_reads_as_its_formula_not_its_value() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["role", "first_name", "last_name", "email"])
    sheet.append(["mentee", '=CONCAT("A","mina")', "Benali", "amina@example.org"])
    out = io.BytesIO()
    book.save(out)
    parsed = spreadsheet.parse_upload("people.xlsx", out.getvalue())
    assert parsed.rows[0]["cells"]["first_name"].startswith("=")


def test_an_upload_with_a_formula_imports_nobody(db, in_tenant, login) -> None:
    body = "\n".join([HEADER, 'mentee,"=HYPERLINK(""http://evil"")",Zed,z@example.org,'])
    client = login(branches=["brussels"], locale="en")
    with in_tenant("brussels"):
        before = db.session.execute(select(func.count()).select_from(Person)).scalar()
    response = client.post(
        "/brussels/people/import",
        data={"file": (io.BytesIO(body.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    url = response.headers["Location"]
    assert "A formula is not accepted here" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 400
    with in_tenant("brussels"):
        assert db.session.execute(select(func.count()).select_from(Person)).scalar() == before
