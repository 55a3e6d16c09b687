"""The training sessions as a spreadsheet: every cycle's (the overview's export) or one
cycle's (``?cycle=<id>``, the cycle page's export), with the places taken; audited."""

from __future__ import annotations

import uuid

from flask import abort, g, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from duo.core import exporting
from duo.core.auth.access import coordinator_required
from duo.core.db import db
from duo.core.i18n import formatting
from duo.training import enrolment
from duo.training.models import TrainingCycle
from duo.training.views.blueprint import bp, one, title_of


@bp.route("/export.<fmt>")
@coordinator_required
def export(fmt: str):
    wanted = request.args.get("cycle")
    filters = {}
    if wanted:
        try:
            cycle_id = uuid.UUID(wanted)
        except ValueError:
            abort(404)
        cycles = [one(TrainingCycle, cycle_id)]
        filters["cycle"] = str(cycle_id)
    else:
        cycles = list(
            db.session.execute(
                select(TrainingCycle).order_by(TrainingCycle.start_date.desc(), TrainingCycle.id)
            ).scalars()
        )
    headers = [
        _("Cycle"),
        _("No."),
        _("Date"),
        _("Start"),
        _("End"),
        _("Module"),
        _("Place"),
        _("Cancelled"),
        _("Places taken"),
        _("Capacity"),
    ]
    rows = []
    for cycle in cycles:
        taken = enrolment.occupancy(cycle)
        for s in cycle.sessions:
            rows.append(
                [
                    cycle.title,
                    s.number,
                    formatting.format_date(s.starts_at, "short"),
                    formatting.format_time(s.starts_at),
                    formatting.format_time(s.ends_at),
                    title_of(s.module_key, cycle.title),
                    s.place or "",
                    _("yes") if s.cancelled else _("no"),
                    taken.get(s.id, 0),
                    cycle.capacity if cycle.capacity is not None else "",
                ]
            )
    return exporting.download(
        fmt, f"{g.tenant.slug}-training", headers, rows, actor=current_user, filters=filters
    )
