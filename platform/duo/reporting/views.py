"""A branch's own figures: the same indicators as HQ's, for this branch, not suppressed.

The coordinators of a branch may see their own small numbers (they know the people); the
figures still come from the branch's rollups, so they are the ones HQ sees, less the hiding.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from duo.core.auth.access import coordinator_required
from duo.core.dashboard.navigation import register
from duo.reporting import exports, filters, query
from duo.reporting.api import api_bp
from duo.reporting.pages import dashboard

bp = Blueprint("reporting", __name__, url_prefix="/<tenant>/figures", template_folder="templates")
blueprints = [bp, api_bp]
register("reporting.branch", _l("Figures"), 90)


def _board():  # noqa: ANN202
    chosen = filters.parse(
        {"year": request.args.get("year", ""), "grain": request.args.get("grain", "")}
    )
    for problem in chosen.problems:
        flash(problem, "error")
    places = query.branches(slug=g.tenant.slug)
    board = dashboard(
        chosen.year,
        places,
        ("b", g.tenant.id),
        str(get_locale()),
        suppressed=False,
        grain=chosen.grain,
    )
    return chosen, board


@bp.route("/")
@coordinator_required
def branch():  # noqa: ANN201
    chosen, board = _board()
    return render_template(
        "reporting/branch.html",
        board=board,
        chosen=chosen,
        years=query.years(),
        tenant=g.tenant,
        refreshed=query.refreshed().get(g.tenant.id),
        threshold=query.threshold(),
    )


@bp.route("/export.<fmt>")
@coordinator_required
def export(fmt: str):  # noqa: ANN201
    if fmt not in ("csv", "xlsx"):
        abort(404)
    chosen, board = _board()
    name = f"duo-{g.tenant.slug}-{chosen.year}"
    if fmt == "csv":
        return Response(
            exports.to_csv(board.all_tables()),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(
        exports.to_xlsx(board.all_tables()),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )
