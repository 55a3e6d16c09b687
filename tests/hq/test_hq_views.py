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


def _stopped_duos(history: History, branch: str, n: int, reason: str) -> None:
    """``n`` duos of ``branch`` that stopped in the report year for one kind of reason."""
    from support.history import at

    for i in range(n):
        mentee = history.person(branch, "mentee", signed_up=at(REPORT_YEAR, 1, 1 + i))
        mentor = history.person(branch, "mentor", signed_up=at(REPORT_YEAR, 1, 1 + i))
        proposed = at(REPORT_YEAR, 2, 1 + i)
        if reason == "declined_first_meeting":
            history.duo(branch, mentee, mentor, proposed=proposed, stopped=at(REPORT_YEAR, 3, 1),
                        declined_by="mentee")  # fmt: skip
        elif reason == "before_agreement":
            history.duo(branch, mentee, mentor, proposed=proposed, stopped=at(REPORT_YEAR, 3, 1))
        else:
            history.duo(branch, mentee, mentor, proposed=proposed, started=at(REPORT_YEAR, 3, 1),
                        stopped=at(REPORT_YEAR, 6, 1))  # fmt: skip


def _table(html: str, caption_id: str) -> str:
    start = html.index(f'id="{caption_id}"')
    return html[start : html.index("</table>", start)]


def test_duos_stopped_early_are_shown_by_reason_and_small_reasons_hidden(
    hq_client, coordinator, db, tenants
) -> None:
    """The definition counts stopped duos by kind of reason: HQ sees each kind, a kind
    under the threshold hidden with another so the total cannot give it away; the
    branch sees its own small numbers."""
    history = History(db, tenants)
    _stopped_duos(history, "ghent", 12, "declined_first_meeting")
    _stopped_duos(history, "ghent", 11, "during_accompaniment")
    _stopped_duos(history, "ghent", 3, "before_agreement")
    refresh_now(tenants["ghent"].id)

    html = hq_client.get(
        f"/hq/?year={REPORT_YEAR}&branch=ghent", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    table = _table(html, "stopped-caption")
    assert "Duos stopped early, by reason" in table
    assert "declined at the first meeting" in table and "stopped during the accompaniment" in table
    assert ">3<" not in table and "&lt;10" in table  # 3 hidden, and one more with it
    assert ">26<" in table  # the total of every reason

    from flask_babel import force_locale

    from duo.reporting.indicators import CATEGORY_LABELS

    with force_locale("fr"):
        declined = str(CATEGORY_LABELS["declined_first_meeting"])
    french = hq_client.get(
        f"/hq/?year={REPORT_YEAR}&branch=ghent", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    assert declined != "declined at the first meeting"
    assert f">{declined}<" in _table(french, "stopped-caption")

    own = coordinator("ghent").get(f"/ghent/figures/?year={REPORT_YEAR}").get_data(as_text=True)
    mine = _table(own, "stopped-caption")
    assert ">3<" in mine and ">12<" in mine and ">11<" in mine and ">26<" in mine

    text = hq_client.get(f"/hq/export.csv?year={REPORT_YEAR}&branch=ghent").get_data(as_text=True)
    assert "Vroegtijdig gestopte duo's, per reden" in text  # the HQ user reads Dutch
    assert "Alle redenen,26" in text and "\r\n3" not in text


def test_the_dashboard_shows_the_years_and_the_quarters_on_request(hq_client, seeded) -> None:
    html = hq_client.get(f"/hq/?year={REPORT_YEAR}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    years = _table(html, "years-caption")
    assert "Year after year" in years and f">{REPORT_YEAR}<" in years
    assert 'name="grain"' in html
    quarters = hq_client.get(f"/hq/?year={REPORT_YEAR}&grain=q").get_data(as_text=True)
    assert ">Q1<" in _table(quarters, "trend-caption") and ">Q4<" in quarters
    assert "grain=q" in quarters  # the export links keep the choice


def test_the_fairness_view_names_sectors_in_the_readers_language(hq_client, db, tenants) -> None:
    """A sector's code (``logistics``) is shown as the word of the page's language."""
    from flask_babel import force_locale

    from duo.people import vocab

    History(db, tenants).cohort("ghent", 12, REPORT_YEAR, 2, sector="logistics")
    refresh_now(tenants["ghent"].id)
    for locale in ("fr", "nl"):
        html = hq_client.get(
            f"/hq/fairness?year={REPORT_YEAR}&dimension=sector",
            headers={"Accept-Language": locale},
        ).get_data(as_text=True)
        table = _table(html, "fairness-caption")
        with force_locale(locale):
            word = str(vocab.SECTOR_LABELS["logistics"])
        assert word != "logistics" and f">{word}<" in table, locale
        assert ">logistics<" not in table


def test_exports_say_what_they_hold_in_the_readers_language(hq_client, seeded) -> None:
    """The year and place on the first line and in the file's name, counts as whole
    numbers, the word for a hidden rate in the reader's language, and a bad filter said on
    the page instead of a file of this year's figures."""
    from flask_babel import force_locale
    from openpyxl import load_workbook

    response = hq_client.get(f"/hq/export.csv?year={REPORT_YEAR}&country=be")
    assert f'filename="duo-hq-{REPORT_YEAR}-be.csv"' in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    assert str(REPORT_YEAR) in lines[0] and "BE" in lines[0]
    active = [line for line in lines if line.startswith("Duos active,")]
    assert active and active[0].split(",")[1].isdigit(), active  # 14, not 14.0

    french = hq_client.get(f"/hq/export.xlsx?year={REPORT_YEAR}", headers={"Accept-Language": "fr"})
    book = load_workbook(io.BytesIO(french.data))
    with force_locale("fr"):
        from flask_babel import gettext

        hidden = gettext("hidden")
    assert hidden != "hidden"
    values = {c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row}
    assert hidden in values and "suppressed" not in values and "hidden" not in values
    assert str(book["indicators"]["A1"].value).find(str(REPORT_YEAR)) >= 0

    bad = hq_client.get("/hq/export.csv?year=abc")
    assert bad.status_code == 302 and bad.headers["Location"].endswith("/hq/")
    page = hq_client.get("/hq/").get_data(as_text=True)
    assert "abc" in page  # the message names what was refused


def test_a_branch_export_says_what_it_holds(coordinator, seeded) -> None:
    client = coordinator("ghent")
    text = client.get(f"/ghent/figures/export.csv?year={REPORT_YEAR}").get_data(as_text=True)
    assert str(REPORT_YEAR) in text.splitlines()[0]
    assert client.get("/ghent/figures/export.csv?year=abc").status_code == 302
