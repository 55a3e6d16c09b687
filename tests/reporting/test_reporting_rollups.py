"""Rollups: what a branch's refresh counts, and that figures are read from rollups only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from duo.core.jobs.models import OutboxJob
from duo.people.models import MENTEE, MENTOR
from duo.reporting import query
from duo.reporting.models import RollupCell, RollupRefresh
from duo.reporting.refresh import REFRESH_JOB, refresh_now, request_refresh
from support.history import REPORT_YEAR, at


def _cells(db, tenant_id: int, measure: str, dimension: str = "") -> dict:
    rows = db.session.execute(
        select(RollupCell).where(
            RollupCell.tenant_id == tenant_id,
            RollupCell.measure == measure,
            RollupCell.dimension == dimension,
        )
    ).scalars()
    return {(r.month, r.category, r.bucket): (r.count, r.total) for r in rows}


def test_a_refresh_counts_the_funnel_duos_and_waits(db, tenants, history) -> None:
    history.cohort("ghent", 12, REPORT_YEAR, 2)
    result = refresh_now(tenants["ghent"].id)
    assert result["cells"] > 0
    gid = tenants["ghent"].id
    signed = _cells(db, gid, "funnel.signed_up")
    assert sum(c for c, _ in signed.values()) == 24  # 12 mentees and 12 mentors
    trained = _cells(db, gid, "funnel.trained")
    assert sum(c for c, _ in trained.values()) == 12
    started = _cells(db, gid, "duos.started")
    assert sum(c for c, _ in started.values()) == 12
    waits = _cells(db, gid, "wait.eligible_match")
    assert sum(c for c, _ in waits.values()) == 24
    by_audience = _cells(db, gid, "funnel.signed_up", "audience")
    assert {k[1] for k in by_audience} == {MENTEE, MENTOR}
    # Nothing of another branch was written or read.
    assert db.session.execute(select(RollupCell).where(RollupCell.tenant_id != gid)).first() is None
    assert db.session.get(RollupRefresh, gid).data_hash == result["hash"]


def test_same_data_same_hash_and_a_change_moves_it(db, tenants, history) -> None:
    history.cohort("liege", 3, REPORT_YEAR, 3)
    first = refresh_now(tenants["liege"].id)
    assert refresh_now(tenants["liege"].id)["hash"] == first["hash"]
    history.person("liege", signed_up=at(REPORT_YEAR, 4))
    assert refresh_now(tenants["liege"].id)["hash"] != first["hash"]


def test_the_cube_adds_branches_into_countries_and_months_into_years(db, tenants, history) -> None:
    history.cohort("ghent", 12, REPORT_YEAR, 2)
    history.cohort("antwerp", 15, REPORT_YEAR, 5)
    history.cohort("paris", 11, REPORT_YEAR, 2)
    for slug in ("ghent", "antwerp", "paris"):
        refresh_now(tenants[slug].id)
    places = query.branches()
    cubes = query.cubes(REPORT_YEAR, places, ["funnel.signed_up", "duos.started", "wait.median"])
    signed = cubes["funnel.signed_up"]
    assert signed.get(("b", tenants["ghent"].id)).value == 24
    assert signed.get(("c", "be")).value == 54
    assert signed.get(query.ALL_GEO).value == 76
    assert signed.get(("c", "be"), ("m", 2)).value == 24
    assert signed.get(("c", "be"), ("q", 2)).value == 30
    median = cubes["wait.median"].get(("b", tenants["ghent"].id))
    assert median.n == 24 and median.value is not None


def test_changes_to_people_ask_for_a_debounced_refresh(app, db, tenants, history) -> None:
    history.person("mechelen", signed_up=at(REPORT_YEAR, 1))
    history.person("mechelen", signed_up=at(REPORT_YEAR, 2))  # the same minute: one job
    jobs = (
        db.session.execute(select(OutboxJob).where(OutboxJob.name == REFRESH_JOB)).scalars().all()
    )
    assert [j.tenant_id for j in jobs] == [tenants["mechelen"].id]
    assert jobs[0].run_after > jobs[0].created_at
    # A second change in the same minute reuses the job.
    request_refresh(tenants["mechelen"].id, now=jobs[0].created_at + timedelta(seconds=1))
    assert len(
        db.session.execute(select(OutboxJob).where(OutboxJob.name == REFRESH_JOB)).scalars().all()
    ) in (1, 2)
