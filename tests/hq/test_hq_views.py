"""HQ's pages: figures from rollups, suppressed, in the viewer's language; never a person."""

from __future__ import annotations

import io

import pytest

from duo.reporting.refresh import refresh_now
from support.history import REPORT_YEAR, History


@pytest.fixture
def seeded(db, tenants):
    history = History(db, tenants)
    history.cohort("ghent", 12, REPORT_YEAR, 2)
    history.cohort("antwerp", 14, REPORT_YEAR, 5)
    history.cohort("paris", 3, REPORT_YEAR, 2)  # a small branch: hidden at HQ
    for slug in tenants:
        refresh_now(tenants[slug].id)
    return history


def test_dashboard_shows_figures_per_branch_and_country(hq_client, seeded) -> None:
    html = hq_client.get(f"/hq/?year={REPORT_YEAR}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert f"Key figures {REPORT_YEAR}" in html
    assert "Ghent" in html and "Antwerp" in html
    assert "<svg" in html and 'role="img"' in html
    assert "&lt;10" in html  # Paris's 6 people are hidden


def test_dashboard_in_french(hq_client, seeded) -> None:
    html = hq_client.get(f"/hq/?year={REPORT_YEAR}", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    assert f"Chiffres clés {REPORT_YEAR}" in html


def test_bad_filters_get_a_message_and_the_default(hq_client, seeded) -> None:
    response = hq_client.get("/hq/?year=abc&country=zz&branch=nowhere")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Unknown country" in html and "Unknown branch" in html


def test_definitions_open(hq_client) -> None:
    assert hq_client.get("/hq/definitions/").status_code == 200
    html = hq_client.get("/hq/definitions/duos.six_months").get_data(as_text=True)
    assert "Denominator" in html and "BE:" in html
    assert hq_client.get("/hq/definitions/nothing").status_code == 404


def test_fairness_view(hq_client, seeded) -> None:
    html = hq_client.get(f"/hq/fairness?year={REPORT_YEAR}&dimension=age_band").get_data(
        as_text=True
    )
    assert "18-24" in html
    assert hq_client.get("/hq/fairness?dimension=first_name").status_code == 200


def test_xlsx_export_opens_and_hides_small_cells(hq_client, seeded) -> None:
    from openpyxl import load_workbook

    response = hq_client.get(f"/hq/export.xlsx?year={REPORT_YEAR}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert "branches" in book.sheetnames
    values = [c for row in book["branches"].iter_rows(values_only=True) for c in row]
    assert "<10" in values


def test_csv_export(hq_client, seeded) -> None:
    text = hq_client.get(f"/hq/export.csv?year={REPORT_YEAR}&country=be").get_data(as_text=True)
    assert "Ghent" in text


@pytest.mark.parametrize(
    "path", ["/hq/", "/hq/definitions/", "/hq/fairness", "/hq/export.csv", "/hq/export.xlsx"]
)
def test_coordinators_get_404_and_anonymous_is_sent_to_login(path, client, coordinator) -> None:
    assert coordinator("ghent").get(path).status_code == 404
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
