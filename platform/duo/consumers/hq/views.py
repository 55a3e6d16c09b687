"""HQ pages: figures only, read from the reporting rollups, suppressed, in the viewer's language.

Nothing here touches a table of people: every figure comes from :mod:`duo.reporting`
(cubes over rollups), every cell under the threshold is hidden with its give-aways, and the
same tables feed the page, the CSV/XLSX export and the API.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from duo.core.auth.access import hq_required
from duo.core.db import db
from duo.core.tenancy.models import Tenant
from duo.reporting import exports, filters, query, tables
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


def _board(chosen: filters.Filters):  # noqa: ANN202
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
def index():  # noqa: ANN201
    chosen = _filters()
    return render_template("hq/index.html", board=_board(chosen), **_common(chosen))


@bp.route("/definitions/")
@hq_required
def definitions():  # noqa: ANN201
    return render_template("hq/definitions.html", indicators=ind.INDICATORS, sections=ind.SECTIONS)


@bp.route("/definitions/<key>")
@hq_required
def definition(key: str):  # noqa: ANN201
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
def fairness():  # noqa: ANN201
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


def export_response(all_tables: list[tables.Table], fmt: str, name: str) -> Response:
    if fmt == "csv":
        return Response(
            exports.to_csv(all_tables),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(
        exports.to_xlsx(all_tables),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


@bp.route("/export.<fmt>")
@hq_required
def export(fmt: str):  # noqa: ANN201
    if fmt not in ("csv", "xlsx"):
        abort(404)
    chosen = _filters()
    board = _board(chosen)
    all_tables = board.all_tables()
    for dimension in DIMENSIONS:
        table = tables.fairness(chosen.year, query.branches(), dimension, chosen.geo)
        table.key = f"fairness-{dimension}"
        all_tables.append(table)
    return export_response(all_tables, fmt, f"duo-hq-{chosen.year}")
