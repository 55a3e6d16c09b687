"""The indicators of steps 7-8: meetings and hours per duo, mentee outcomes within the
follow-up period (lost to follow-up apart), the survey's items; the country's variants."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from duo.duos.lifecycle import add_months
from duo.reporting import query
from duo.reporting.refresh import refresh_now
from support.history import REPORT_YEAR


@pytest.fixture
def ghent(db, tenants, history):
    """12 duos of Ghent that ended in REPORT_YEAR, with meetings, outcomes and survey answers."""
    duos = history.cohort("ghent", 12, REPORT_YEAR, 2)
    for i, duo in enumerate(duos):
        if i < 6:
            history.meetings("ghent", duo, 20, 120, both=True)
        else:
            history.meetings("ghent", duo, 10, 60)
        end = duo.ended_at.date()
        if i < 4:  # a job held five months at the 6-month point: stable
            history.outcome("ghent", duo, 0, "looking")
            history.outcome("ghent", duo, 6, "job", contract="fixed_term",
                            job_started=add_months(end, 1))  # fmt: skip
        elif i < 6:  # a job held one month at the 3-month point: not (yet) stable
            history.outcome("ghent", duo, 3, "job", contract="fixed_term",
                            job_started=add_months(end, 2))  # fmt: skip
        elif i < 8:
            history.outcome("ghent", duo, 3, "training")
        elif i == 8:
            history.outcome("ghent", duo, 12, "looking")
        elif i < 11:
            history.lost("ghent", duo, 0)  # never answered: lost to follow-up
        # duo 11: its first question is still open
        history.answer("ghent", duo, "mentee", "autonomy", "4" if i < 9 else "2")
        history.answer("ghent", duo, "mentee", "mentee_comment", "Merci, c'était super")
        history.answer("ghent", duo, "mentor", "mentor_again", "yes" if i < 11 else "no")
    refresh_now(tenants["ghent"].id)
    return duos


def _year(
    key: str, tenants, slug: str = "ghent", year: int = REPORT_YEAR, suppressed: bool = False
):
    places = query.branches()
    cube = query.cubes(year, places, [key], suppressed=suppressed)[key]
    return cube.get(("b", tenants[slug].id))


def test_meetings_and_hours_per_duo(ghent, tenants) -> None:
    meetings = _year("duos.meetings", tenants)
    assert meetings.n == 12
    assert meetings.value == pytest.approx((6 * 20 + 6 * 10) / 12)  # both saying so: one
    hours = _year("duos.hours", tenants)
    assert hours.value == pytest.approx((6 * 20 * 2 + 6 * 10 * 1) / 12)


def test_outcomes_within_twelve_months_leave_lost_ones_out(ghent, tenants) -> None:
    job = _year("outcomes.job", tenants)
    assert job.n == 9  # 12 followed, 2 lost, 1 not answered yet
    assert job.value == pytest.approx(100 * 6 / 9)
    assert _year("outcomes.stable_job", tenants).value == pytest.approx(100 * 4 / 9)
    assert _year("outcomes.internship_training", tenants).value == pytest.approx(100 * 2 / 9)
    assert _year("outcomes.positive", tenants).value == pytest.approx(100 * 8 / 9)
    lost = _year("outcomes.lost", tenants)
    assert (lost.n, lost.numerator) == (12, 2)


def test_survey_items_count_agreement_and_never_free_text(ghent, tenants, db) -> None:
    from sqlalchemy import select

    from duo.reporting.models import RollupCell

    autonomy = _year("survey.mentee.autonomy", tenants)
    assert (autonomy.n, autonomy.value) == (12, pytest.approx(75.0))
    again = _year("survey.mentor.mentor_again", tenants)
    assert again.value == pytest.approx(100 * 11 / 12)
    measures = set(db.session.execute(select(RollupCell.measure).distinct()).scalars())
    assert not any("comment" in m for m in measures)


def test_a_country_variant_of_the_stable_job(ghent, tenants, db) -> None:
    tenant = tenants["ghent"]
    tenant.config = {**tenant.config, "reporting": {"stable_job_months": 6}}
    db.session.flush()
    refresh_now(tenant.id)
    assert _year("outcomes.stable_job", tenants).value == 0  # five months is not six


def test_outcomes_at_hq_are_suppressed_below_the_threshold(ghent, tenants) -> None:
    # Ghent's 9 mentees with a known outcome are fewer than 10: hidden at HQ.
    assert _year("outcomes.job", tenants, suppressed=True).suppressed
    assert not _year("duos.meetings", tenants, suppressed=True).suppressed


def test_france_asks_for_eleven(history, tenants) -> None:
    history.cohort("paris", 5, REPORT_YEAR, 2)  # 10 people: enough in Belgium, not in France
    history.cohort("lille", 5, REPORT_YEAR, 2)  # so France's 20 can be shown
    history.cohort("ghent", 5, REPORT_YEAR, 2)
    for slug in ("paris", "lille", "ghent"):
        refresh_now(tenants[slug].id)
    assert _year("funnel.signed_up", tenants, "paris", suppressed=True).suppressed
    assert not _year("funnel.signed_up", tenants, "ghent", suppressed=True).suppressed


def test_hq_dashboard_definitions_and_exports_show_them(hq_client, ghent, history, tenants):
    history.cohort("antwerp", 12, REPORT_YEAR, 2)
    refresh_now(tenants["antwerp"].id)
    html = hq_client.get(f"/hq/?year={REPORT_YEAR}", headers={"Accept-Language": "en"}).get_data(
        True
    )
    titles = (
        "Meetings per duo (mean)",
        "Mentees in a job within 12 months",
        "Mentees lost to follow-up",
        "Mentors who would like to mentor again",
    )
    assert all(title in html for title in titles)
    assert "Merci" not in html
    page = hq_client.get("/hq/definitions/outcomes.job", headers={"Accept-Language": "fr"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "suivi" in text and "BE:" in text and "FR:" in text
    nl = hq_client.get("/hq/definitions/survey.mentee.autonomy", headers={"Accept-Language": "nl"})
    assert nl.status_code == 200
    listing = hq_client.get("/hq/definitions/").get_data(as_text=True)
    assert "outcomes.stable_job" in listing and "survey.mentor.coaching_skills" in listing

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(hq_client.get(f"/hq/export.xlsx?year={REPORT_YEAR}").data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert "Mentees with a positive outcome" in cells
    fairness = hq_client.get(f"/hq/fairness?year={REPORT_YEAR}&dimension=age_band").get_data(True)
    assert "Mentees in a job within 12 months" in fairness


def test_the_branch_sees_its_own_outcomes_unsuppressed(coordinator, ghent) -> None:
    html = coordinator("ghent").get(f"/ghent/figures/?year={REPORT_YEAR}").get_data(True)
    assert "Mentees met werk binnen 12 maanden" in html  # Ghent speaks Dutch
    assert "67 %" in html  # 6 of 9, shown to the branch itself


def test_the_api_answers_them(hq_client, ghent, db) -> None:
    from duo.reporting import tokens

    _row, value = tokens.create("bi-impact")
    db.session.commit()
    answer = hq_client.get(
        f"/api/v1/hq/indicators?year={REPORT_YEAR}", headers={"Authorization": f"Bearer {value}"}
    ).get_json()
    keys = {item["key"] for item in answer["indicators"]}
    assert {"outcomes.job", "outcomes.lost", "duos.hours", "survey.mentee.network"} <= keys


def test_the_rollups_of_recent_ends_keep_the_branch_day(history, tenants) -> None:
    # A duo ending on 31 December at 23:30 in Brussels counts in December, not January.
    duos = history.cohort("ghent", 1, REPORT_YEAR, 1)
    duo = duos[0]
    assert duo.ended_at - duo.started_at == timedelta(days=190)
    refresh_now(tenants["ghent"].id)
    assert _year("duos.meetings", tenants).n == 1
