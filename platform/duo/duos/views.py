"""Duo pages of a branch: the list (state and what to do next) and one duo (history, moves)."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased, selectinload

from duo.core.auth.access import coordinator_required
from duo.core.dashboard.todos import Todo
from duo.core.db import db
from duo.core.tenancy.models import Tenant
from duo.duos import lifecycle, states
from duo.duos.forms import form_for
from duo.duos.models import Duo, DuoStateChange
from duo.people import next_step
from duo.people import states as person_states
from duo.people.models import Person

bp = Blueprint("duos", __name__, url_prefix="/<tenant>/duos", template_folder="templates")


_STATE_ORDER = case({s: i for i, s in enumerate(states.STATES)}, value=Duo.state)


@bp.route("/")
@coordinator_required
def index():
    wanted = request.args.get("state") or None
    if wanted not in states.STATES:
        wanted = None
    mentee, mentor = aliased(Person), aliased(Person)
    stmt = (
        select(Duo, mentee, mentor)
        .join(mentee, (mentee.tenant_id == Duo.tenant_id) & (mentee.id == Duo.mentee_id))
        .join(mentor, (mentor.tenant_id == Duo.tenant_id) & (mentor.id == Duo.mentor_id))
        .order_by(_STATE_ORDER, Duo.state_changed_at, Duo.id)
    )
    if wanted:
        stmt = stmt.where(Duo.state == wanted)
    rows = db.session.execute(stmt).all()
    counts = dict(db.session.execute(select(Duo.state, func.count()).group_by(Duo.state)).all())
    return render_template(
        "duos/index.html",
        rows=rows,
        counts=counts,
        wanted=wanted,
        states=states,
    )


def _load(duo_id: uuid.UUID) -> Duo:
    duo = db.session.execute(
        select(Duo)
        .where(Duo.id == duo_id)
        .options(
            selectinload(Duo.mentee),
            selectinload(Duo.mentor),
            selectinload(Duo.history).selectinload(DuoStateChange.by),
        )
    ).scalar_one_or_none()
    if duo is None:
        abort(404)
    return duo


def _forms(duo: Duo, failed: tuple[str, object] | None = None) -> dict[str, object]:
    """A form for every move allowed from the duo's state; ``failed`` replaces one of them."""
    at_first_meeting = duo.state == states.FIRST_MEETING
    forms = {}
    for target in states.next_states(duo.state):
        if failed is not None and failed[0] == target:
            forms[target] = failed[1]
        else:
            forms[target] = form_for(target, at_first_meeting, formdata=None)
    return forms


def _detail(duo: Duo, status: int = 200, failed: tuple[str, object] | None = None):
    return (
        render_template(
            "duos/detail.html",
            duo=duo,
            forms=_forms(duo, failed),
            states=states,
        ),
        status,
    )


@bp.route("/<uuid:duo_id>")
@coordinator_required
def detail(duo_id: uuid.UUID):
    return _detail(_load(duo_id))


@bp.route("/<uuid:duo_id>/to/<target>", methods=["POST"])
@coordinator_required
def move(duo_id: uuid.UUID, target: str):
    if target not in states.STATES:
        abort(404)
    duo = _load(duo_id)
    form = form_for(target, duo.state == states.FIRST_MEETING)
    if not states.allowed(duo.state, target):
        # Usually a stale page: someone else moved the duo meanwhile.
        flash(
            _(
                "This duo is now “%(current)s”: it cannot become “%(target)s”. "
                "Nothing was changed.",
                current=states.LABELS[duo.state],
                target=states.LABELS[target],
            ),
            "error",
        )
        return _detail(duo, 400)
    if not form.validate_on_submit():
        return _detail(duo, 400, (target, form))
    declined = getattr(form, "declined_by", None)
    first = getattr(form, "first_meeting_on", None)
    reason = getattr(form, "reason", None)
    try:
        lifecycle.transition(
            duo,
            target,
            by=current_user,
            reason=reason.data if reason is not None else None,
            declined_by=(declined.data or None) if declined is not None else None,
            first_meeting_on=first.data if first is not None else None,
            tenant=g.tenant,
        )
    except lifecycle.InvalidDuoTransition as exc:
        field = getattr(form, exc.field, None) if exc.field else None
        if field is not None:
            field.errors = [*field.errors, str(exc)]
        else:
            flash(str(exc), "error")
        return _detail(duo, 400, (target, form))
    flash(_("The duo is now “%(state)s”.", state=states.LABELS[target]), "success")
    return redirect(url_for("duos.detail", duo_id=duo.id))


# --------------------------------------------------------------------------- dashboard


def duo_todos(tenant: Tenant) -> list[Todo]:
    proposed = db.session.execute(
        select(func.count()).select_from(Duo).where(Duo.state == states.PROPOSED)
    ).scalar_one()
    return [
        Todo(
            label=ngettext(
                "%(num)d duo proposed without a first meeting",
                "%(num)d duos proposed without a first meeting",
                proposed,
            ),
            count=proposed,
            url=url_for("duos.index", tenant=tenant.slug, state=states.PROPOSED),
            urgency=30,
        ),
        *_waiting_duos(tenant),
    ]


def _waiting_duos(tenant: Tenant) -> list[Todo]:
    """The later steps of a duo that wait for the coordinator (issue 14: every step)."""
    counts = dict(
        db.session.execute(
            select(Duo.state, func.count())
            .where(Duo.state.in_([states.FIRST_MEETING, states.CONFIRMED, states.ENDED]))
            .group_by(Duo.state)
        ).all()
    )
    deciding, confirmed, ended = (
        counts.get(states.FIRST_MEETING, 0),
        counts.get(states.CONFIRMED, 0),
        counts.get(states.ENDED, 0),
    )
    return [
        Todo(
            label=ngettext(
                "%(num)d duo waits for the decisions after the first meeting",
                "%(num)d duos wait for the decisions after the first meeting",
                deciding,
            ),
            count=deciding,
            url=url_for("duos.index", tenant=tenant.slug, state=states.FIRST_MEETING),
            urgency=35,
        ),
        Todo(
            label=ngettext(
                "%(num)d duo has the agreement and charter to sign",
                "%(num)d duos have the agreement and charter to sign",
                confirmed,
            ),
            count=confirmed,
            url=url_for("duos.index", tenant=tenant.slug, state=states.CONFIRMED),
            urgency=30,
        ),
        Todo(
            label=ngettext(
                "%(num)d ended duo is waiting for its evaluation",
                "%(num)d ended duos are waiting for their evaluation",
                ended,
            ),
            count=ended,
            url=url_for("duos.index", tenant=tenant.slug, state=states.ENDED),
            urgency=45,
        ),
    ]


@next_step.provides(person_states.MATCHED)
@next_step.provides(person_states.IN_DUO)
def _open_duo(person: Person) -> list[next_step.Action]:
    """The person's open duo, where its next move is made."""
    duo_id = db.session.execute(
        select(Duo.id)
        .where(
            (Duo.mentee_id == person.id) | (Duo.mentor_id == person.id),
            Duo.state.in_(states.OPEN),
        )
        .limit(1)
    ).scalar_one_or_none()
    if duo_id is None:
        return []
    return [next_step.Action(str(_l("Open the duo")), url_for("duos.detail", duo_id=duo_id))]
