"""A branch's own figures: the same indicators as HQ's, for this branch, not suppressed.

The coordinators of a branch may see their own small numbers (they know the people); the
figures still come from the branch's rollups, so they are the ones HQ sees, less the hiding.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from duo.core.auth.access import coordinator_required
from duo.core.db import utcnow
from duo.core.i18n.formatting import format_date
from duo.reporting import exports, filters, query
from duo.reporting.pages import dashboard

bp = Blueprint("reporting", __name__, url_prefix="/<tenant>/figures", template_folder="templates")


def _board():
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
def branch():
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
def export(fmt: str):
    if fmt not in exports.MIMETYPES:
        abort(404)
    chosen, board = _board()
    if chosen.problems:  # said on the page, rather than a file of other figures
        return redirect(url_for("reporting.branch"))
    name = f"duo-{g.tenant.slug}-{chosen.year}"
    about = _(
        "DUO for a JOB, figures %(year)s: %(place)s. Exported on %(day)s.",
        year=chosen.year,
        place=g.tenant.display_name(str(get_locale())),
        day=format_date(utcnow()),
    )
    return exports.download(board.all_tables(), fmt, name, about)
