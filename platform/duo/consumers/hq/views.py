"""HQ pages: figures only."""

from __future__ import annotations

from flask import Blueprint, render_template

from duo.consumers.hq.figures import branch_figures
from duo.core.auth.access import hq_required

bp = Blueprint("hq", __name__, url_prefix="/hq", template_folder="templates")


@bp.route("/")
@hq_required
def index():
    figures = branch_figures()
    countries: dict[str, int] = {}
    for f in figures:
        countries[f.tenant.country] = countries.get(f.tenant.country, 0) + f.total
    return render_template("hq/index.html", figures=figures, countries=countries)
