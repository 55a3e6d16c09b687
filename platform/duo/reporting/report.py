"""The annual impact report: a PDF of HQ's figures for one year, in fr, nl or en.

It holds the key figures per country and per branch, the funnel, the year's trend and the
branches side by side (the same SVG charts as HQ's pages), every indicator's definition, the
date it was made and a hash of the rollups it was made from. Everything comes from the
rollups through :mod:`duo.reporting.query`, suppressed as at HQ: the same rollups give the
same figures and the same hash (only the date of making differs).

Made by ``duo report annual YEAR --locale fr --out report.pdf`` or, from HQ's page, by the
job ``reporting.annual_report`` whose progress the page shows.
"""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from duo.core.db import db, utcnow
from duo.core.jobs import enqueue, job
from duo.reporting import indicators as ind
from duo.reporting import query, tables
from duo.reporting.models import ReportRun, RollupCell
from duo.reporting.pages import dashboard
from duo.reporting.refresh import rows_hash

REPORT_JOB = "reporting.annual_report"
LOCALES = ("en", "fr", "nl")


def data_hash(year: int) -> str:
    """Hash of every rollup row of the year, all branches and dimensions."""
    rows = db.session.execute(
        select(
            RollupCell.tenant_id,
            RollupCell.month,
            RollupCell.measure,
            RollupCell.dimension,
            RollupCell.category,
            RollupCell.bucket,
            RollupCell.count,
            RollupCell.total,
        ).where(RollupCell.month >= date(year, 1, 1), RollupCell.month <= date(year, 12, 1))
    ).all()
    return rows_hash([tuple(r) for r in rows])


def report_html(year: int, locale: str) -> tuple[str, str]:
    """The report as HTML (for WeasyPrint) and the hash of its data."""
    digest = data_hash(year)
    with force_locale(locale):
        places = query.branches()
        board = dashboard(year, places, query.ALL_GEO, locale, suppressed=True)
        cubes = query.cubes(year, places)
        countries = sorted({b.country for b in places})
        html = render_template(
            "reporting/annual.html",
            year=year,
            locale=locale,
            board=board,
            countries_table=tables.by_country(cubes, countries),
            indicators=ind.INDICATORS,
            sections=ind.SECTIONS,
            made_at=utcnow(),
            data_hash=digest,
            threshold=query.threshold(),
        )
    return html, digest


def annual_pdf(year: int, locale: str) -> tuple[bytes, str]:
    """The PDF and the hash of the data it was made from."""
    from weasyprint import HTML

    html, digest = report_html(year, locale)
    return HTML(string=html).write_pdf(), digest


def _progress(run: ReportRun, value: int) -> None:
    run.progress = value
    db.session.commit()


@job(REPORT_JOB, max_attempts=3)
def make_annual_report(run_id: int) -> str:
    """Make the PDF of one HQ request, recording progress as it goes."""
    run = db.session.get(ReportRun, run_id)
    if run is None or run.status == "done":
        return "skipped"
    run.status = "running"
    _progress(run, 10)
    html, digest = report_html(run.year, run.locale)
    _progress(run, 50)
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    run = db.session.get(ReportRun, run_id)
    run.pdf = pdf
    run.data_hash = digest
    run.status = "done"
    run.progress = 100
    run.finished_at = utcnow()
    return "done"


def request_report(year: int, locale: str, user_id: int | None) -> ReportRun:
    """HQ's button: a run row and its job, written in the caller's transaction."""
    run = ReportRun(
        year=year, locale=locale if locale in LOCALES else "en", requested_by_user_id=user_id
    )
    db.session.add(run)
    db.session.flush()
    enqueue(REPORT_JOB, run.id, tenant_id=None, dedupe_key=f"{REPORT_JOB}:{run.id}")
    return run


def report_run(run_id: int) -> ReportRun | None:
    return db.session.get(ReportRun, run_id)


def recent_runs(limit: int = 5) -> list[ReportRun]:
    return list(
        db.session.execute(select(ReportRun).order_by(ReportRun.id.desc()).limit(limit)).scalars()
    )
