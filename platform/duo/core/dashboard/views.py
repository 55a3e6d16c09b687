"""The coordinator's landing page of a branch."""

from __future__ import annotations

from flask import Blueprint, g, render_template
from sqlalchemy import func, select

from duo.core.auth.access import coordinator_required
from duo.core.dashboard.todos import todos_for
from duo.core.db import db
from duo.people.models import MENTEE, MENTOR, Person

bp = Blueprint("dashboard", __name__, url_prefix="/<tenant>", template_folder="templates")


@bp.route("/")
@coordinator_required
def index():
    rows = db.session.execute(
        select(Person.role, Person.state, func.count()).group_by(Person.role, Person.state)
    ).all()
    counts: dict[str, dict[str, int]] = {MENTOR: {}, MENTEE: {}}
    for role, state, n in rows:
        counts.setdefault(role, {})[state] = n
    totals = {role: sum(states.values()) for role, states in counts.items()}
    return render_template(
        "dashboard/index.html",
        tenant=g.tenant,
        counts=counts,
        totals=totals,
        todos=todos_for(g.tenant),
    )
