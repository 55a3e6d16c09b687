"""HQ pages: figures only, read from the reporting rollups, suppressed, in the viewer's language.

Nothing here touches a table of people: every figure comes from :mod:`duo.reporting`
(cubes over rollups), every cell under the threshold is hidden with its give-aways, and the
same tables feed the page, the CSV/XLSX export and the API.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from duo.core.auth.access import hq_required
from duo.core.db import db, utcnow
from duo.core.i18n.formatting import format_date
from duo.core.tenancy.models import Tenant
from duo.reporting import exports, filters, query, report, tables
from duo.reporting import indicators as ind
from duo.reporting.pages import dashboard
from duo.reporting.settings import reporting_settings

bp = Blueprint("hq", __name__, url_prefix="/hq", template_folder="templates")

DIMENSIONS = ("age_band", "language", "sector", "audience")


def _filters() -> filters.Filters:
    chosen = filters.parse(request.args)
    for problem in chosen.problems:
        flash(problem, "error")
    return chosen


def _common(chosen: filters.Filters) -> dict[str, object]:
    every = query.branches()
    return {
        "chosen": chosen,
        "years": query.years(),
        "countries": sorted({b.country for b in every}),
        "all_branches": every,
        "locale": str(get_locale()),
        "threshold": query.threshold(),
        "refreshed": query.refreshed(),
    }


def _board(chosen: filters.Filters):
    return dashboard(
        chosen.year,
        query.branches(),
        chosen.geo,
        str(get_locale()),
        suppressed=True,
        grain=chosen.grain,
        shown=chosen.places,
    )


@bp.route("/")
@hq_required
def index():
    chosen = _filters()
    return render_template(
        "hq/index.html", board=_board(chosen), runs=report.recent_runs(), **_common(chosen)
    )


@bp.route("/reports", methods=["POST"])
@hq_required
def request_report():
    """The annual report's button: a job whose progress the next page shows."""
    chosen = filters.parse(request.form)
    if chosen.problems:
        for problem in chosen.problems:
            flash(problem, "error")
        return redirect(url_for("hq.index"))
    run = report.request_report(chosen.year, request.form.get("locale", ""), current_user.id)
    return redirect(url_for("hq.report_status", run_id=run.id))


@bp.route("/reports/<int:run_id>")
@hq_required
def report_status(run_id: int):
    run = report.report_run(run_id)
    if run is None:
        abort(404)
    return render_template("hq/report.html", run=run)


@bp.route("/reports/<int:run_id>/report.pdf")
@hq_required
def report_download(run_id: int):
    run = report.report_run(run_id)
    if run is None or run.status != "done" or run.pdf is None:
        abort(404)
    name = f"duo-impact-report-{run.year}-{run.locale}.pdf"
    return Response(
        run.pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/definitions/")
@hq_required
def definitions():
    return render_template("hq/definitions.html", indicators=ind.INDICATORS, sections=ind.SECTIONS)


@bp.route("/definitions/<key>")
@hq_required
def definition(key: str):
    item = ind.BY_KEY.get(key)
    if item is None:
        abort(404)
    variants = []
    if item.variant is not None:
        seen = {}
        for country, config in db.session.execute(select(Tenant.country, Tenant.config)):
            seen.setdefault(country, item.variant(reporting_settings(config)))
        variants = sorted(seen.items())
    return render_template("hq/definition.html", item=item, variants=variants)


@bp.route("/fairness")
@hq_required
def fairness():
    chosen = _filters()
    dimension = request.args.get("dimension", "age_band")
    if dimension not in DIMENSIONS:
        flash(_("Unknown way of splitting the figures; showing age bands."), "error")
        dimension = "age_band"
    table = tables.fairness(chosen.year, query.branches(), dimension, chosen.geo)
    return render_template(
        "hq/fairness.html",
        table=table,
        dimension=dimension,
        dimensions=DIMENSIONS,
        labels=ind.DIMENSION_LABELS,
        **_common(chosen),
    )


@bp.route("/export.<fmt>")
@hq_required
def export(fmt: str):
    if fmt not in exports.MIMETYPES:
        abort(404)
    chosen = _filters()
    if chosen.problems:  # said on the page, rather than a file of other figures
        return redirect(url_for("hq.index"))
    board = _board(chosen)
    all_tables = board.all_tables()
    for dimension in DIMENSIONS:
        table = tables.fairness(chosen.year, query.branches(), dimension, chosen.geo)
        table.key = f"fairness-{dimension}"
        table.title = f"{table.title}: {ind.DIMENSION_LABELS[dimension]}"
        all_tables.append(table)
    place = chosen.branch or chosen.country
    name = f"duo-hq-{chosen.year}" + (f"-{place}" if place else "")
    about = _(
        "DUO for a JOB, figures %(year)s: %(place)s. Exported on %(day)s; figures over fewer "
        "than %(n)s people are hidden.",
        year=chosen.year,
        place=tables.geo_label(chosen.geo, chosen.places, str(get_locale())),
        day=format_date(utcnow()),
        n=query.threshold(),
    )
    return exports.download(all_tables, fmt, name, about)
