"""The annual impact report: PDF in the asked language, same data -> same figures and hash."""

from __future__ import annotations

import io
import re

import pytest

from duo.reporting.refresh import refresh_now
from duo.reporting.report import annual_pdf, report_html
from support.history import REPORT_YEAR, History


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def seeded(db, tenants):
    history = History(db, tenants)
    history.cohort("ghent", 12, REPORT_YEAR, 2)
    history.cohort("paris", 12, REPORT_YEAR, 4)
    for slug in ("ghent", "paris"):
        refresh_now(tenants[slug].id)
    db.session.commit()


def test_the_pdf_in_french_has_figures_definitions_and_hash(app, seeded) -> None:
    with app.test_request_context():
        pdf, digest = annual_pdf(REPORT_YEAR, "fr")
    text = _text(pdf)
    assert (
        f"Rapport d’impact annuel {REPORT_YEAR}" in text
        or f"Rapport d'impact annuel {REPORT_YEAR}" in text
    )
    assert digest[:16] in text.replace("\n", "")
    assert "Gand" in text  # Ghent, in French
    assert "Comment chaque chiffre est compté" in text


def _figures(html: str) -> str:
    """The report without its date line and the charts' random element ids."""
    return re.sub(r"c[0-9a-f]{8}", "", html.split("</p>", 1)[1])


def test_same_data_same_figures_and_hash(app, db, tenants, seeded) -> None:
    with app.test_request_context():
        first_html, first = report_html(REPORT_YEAR, "nl")
        second_html, second = report_html(REPORT_YEAR, "nl")
        assert first == second and _figures(first_html) == _figures(second_html)
        History(db, tenants).cohort("lyon", 1, REPORT_YEAR, 6)
        refresh_now(tenants["lyon"].id)
        _third_html, third = report_html(REPORT_YEAR, "nl")
    assert third != first


def test_hq_button_makes_the_report_with_visible_progress(hq_client, seeded) -> None:
    response = hq_client.post("/hq/reports", data={"year": str(REPORT_YEAR), "locale": "en"})
    assert response.status_code == 302
    status = hq_client.get(response.headers["Location"])
    html = status.get_data(as_text=True)
    assert "The report is ready." in html
    run_path = response.headers["Location"]
    pdf = hq_client.get(run_path + "/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert f"Annual impact report {REPORT_YEAR}" in _text(pdf.data)


def test_bad_year_is_refused_with_a_message(hq_client) -> None:
    response = hq_client.post("/hq/reports", data={"year": "1800"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/hq/")


def test_report_routes_are_hq_only(coordinator, hq_client, seeded) -> None:
    run = hq_client.post("/hq/reports", data={"year": str(REPORT_YEAR)}).headers["Location"]
    client = coordinator("ghent")
    assert client.get(run).status_code == 404
    assert client.get(run + "/report.pdf").status_code == 404
    assert client.post("/hq/reports", data={"year": str(REPORT_YEAR)}).status_code == 404
    assert hq_client.get("/hq/reports/99999").status_code == 404


def test_cli_writes_the_pdf(app, seeded, tmp_path) -> None:
    out = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(
        args=["report", "annual", str(REPORT_YEAR), "--locale", "nl", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"Jaarlijks impactrapport {REPORT_YEAR}" in _text(out.read_bytes())


@pytest.mark.parametrize("locale", ["fr", "nl"])
def test_cli_dates_the_report_in_its_language(app, seeded, tmp_path, locale) -> None:
    """The command line has no request: the date line still follows ``--locale`` (it was
    "2 December" in a French report), as the HQ button's report does."""
    from babel.dates import get_month_names

    from duo.core.db import utcnow

    out = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(
        args=["report", "annual", str(REPORT_YEAR), "--locale", locale, "--out", str(out)],
        env={"DUO_LOCALE": "en", "LANG": "en_GB.UTF-8"},
    )
    assert result.exit_code == 0, result.output
    text = _text(out.read_bytes())
    month = utcnow().month
    assert get_month_names("wide", locale=locale)[month] in text  # "décembre", "december"
    assert get_month_names("wide", locale="en")[month] not in text  # not "December"


@pytest.mark.parametrize("year", ["99999", "0", "1800"])
def test_cli_refuses_a_year_without_figures_with_a_message(app, seeded, tmp_path, year) -> None:
    out = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(
        args=["report", "annual", year, "--locale", "fr", "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert year in result.output and "Traceback" not in result.output
    assert not out.exists()
