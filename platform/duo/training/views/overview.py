"""The training overview (cycles, mentors waiting, mentors in training) and the curriculum."""

from __future__ import annotations

import uuid
from typing import Any

from flask import g, render_template
from sqlalchemy import func, select

from duo.core.auth.access import coordinator_required
from duo.core.db import db, utcnow
from duo.people import states
from duo.people.models import MENTOR, Person
from duo.training import curriculum, status
from duo.training import todos as _todos
from duo.training.models import (
    CANCELLED,
    ENROLLED,
    WAITING,
    Enrolment,
    TrainingCycle,
    TrainingSession,
)
from duo.training.views.blueprint import bp, fallbacks, page_locale


def _mentors(state: str, *order: Any) -> list[Person]:
    """The branch's mentors at one step, in the page's order."""
    query = select(Person).where(Person.role == MENTOR, Person.state == state).order_by(*order)
    return list(db.session.execute(query).scalars())


@bp.route("/")
@coordinator_required
def index():
    now = utcnow()
    cycles = list(
        db.session.execute(
            select(TrainingCycle).order_by(TrainingCycle.start_date.desc(), TrainingCycle.id)
        ).scalars()
    )
    sessions = list(
        db.session.execute(select(TrainingSession).order_by(TrainingSession.starts_at)).scalars()
    )
    by_cycle: dict[uuid.UUID, list[TrainingSession]] = {}
    for s in sessions:
        by_cycle.setdefault(s.cycle_id, []).append(s)
    counts = {
        (cycle_id, state): n
        for cycle_id, state, n in db.session.execute(
            select(Enrolment.cycle_id, Enrolment.status, func.count()).group_by(
                Enrolment.cycle_id, Enrolment.status
            )
        ).all()
    }
    waiting_mentors = _mentors(states.ELIGIBLE, Person.state_changed_at, Person.last_name)
    on_waiting_list = set(
        db.session.execute(select(Enrolment.person_id).where(Enrolment.status == WAITING)).scalars()
    )
    in_training = _mentors(states.IN_TRAINING, Person.last_name, Person.first_name)
    progress = status.progress_for([*waiting_mentors, *in_training])
    to_record = _todos.sessions_to_record(now)
    rows = []
    for cycle in cycles:
        own = by_cycle.get(cycle.id, [])
        live = [s for s in own if s.status != CANCELLED]
        rows.append(
            {
                "cycle": cycle,
                "first": live[0].starts_at if live else None,
                "last": live[-1].starts_at if live else None,
                "sessions": len(live),
                "cancelled": len(own) - len(live),
                "enrolled": counts.get((cycle.id, ENROLLED), 0),
                "waiting": counts.get((cycle.id, WAITING), 0),
                "upcoming": any(s.ends_at > now for s in live),
            }
        )
    return render_template(
        "training/index.html",
        rows=rows,
        waiting_mentors=waiting_mentors,
        on_waiting_list=on_waiting_list,
        in_training=in_training,
        progress=progress,
        to_record=to_record,
        cycle_titles={c.id: c.title for c in cycles},
    )


@bp.route("/curriculum")
@coordinator_required
def curriculum_page():
    config = g.tenant.config
    return render_template(
        "training/curriculum.html",
        modules=curriculum.modules(config),
        workshops=curriculum.workshops(config),
        locale=page_locale(),
        fallbacks=fallbacks(),
        audience_labels=curriculum.AUDIENCE_LABELS,
    )
