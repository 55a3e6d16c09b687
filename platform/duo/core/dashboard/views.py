"""The coordinator's landing page of a branch: what to do next, and the headline figures.

Both come from the capabilities (to-dos and cards, see :mod:`duo.core.dashboard.todos`): the
frame knows no candidate, session or duo.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template

from duo.core.auth.access import coordinator_required
from duo.core.dashboard.todos import cards, todos_for

bp = Blueprint("dashboard", __name__, url_prefix="/<tenant>", template_folder="templates")


@bp.route("/")
@coordinator_required
def index():
    return render_template(
        "dashboard/index.html", tenant=g.tenant, cards=cards(), todos=todos_for(g.tenant)
    )
