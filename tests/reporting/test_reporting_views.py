"""A branch's own figures page and export; other branches and HQ get 404."""

from __future__ import annotations

import io

import pytest

from duo.reporting.refresh import refresh_now
from support.history import REPORT_YEAR, History


@pytest.fixture
def seeded(db, tenants):
    History(db, tenants).cohort("paris", 3, REPORT_YEAR, 2)
    refresh_now(tenants["paris"].id)


def test_the_branch_sees_its_own_small_numbers(coordinator, seeded) -> None:
    html = coordinator("paris").get(f"/paris/figures/?year={REPORT_YEAR}").get_data(as_text=True)
    assert f"Chiffres clés {REPORT_YEAR}" in html  # Paris speaks French
    assert "&lt;10" not in html
    assert "<svg" in html


def test_branch_export_xlsx(coordinator, seeded) -> None:
    from openpyxl import load_workbook

    response = coordinator("paris").get(f"/paris/figures/export.xlsx?year={REPORT_YEAR}")
    book = load_workbook(io.BytesIO(response.data))
    funnel = [row for row in book["funnel"].iter_rows(values_only=True)]
    assert any(row[1] == 6 for row in funnel[2:])  # 3 mentees + 3 mentors signed up


@pytest.mark.parametrize("path", ["/paris/figures/", "/paris/figures/export.csv"])
def test_other_branches_and_hq_get_404(path, coordinator, hq_client, seeded) -> None:
    assert coordinator("lyon").get(path).status_code == 404
    assert hq_client.get(path).status_code == 404


def test_bad_year_is_a_message_not_an_error(coordinator, seeded) -> None:
    response = coordinator("paris").get("/paris/figures/?year=1900")
    assert response.status_code == 200
