"""Duo pages of a branch: the list (state and what to do next) and one duo (history, moves).

Steps have their own forms (``step_views``): planning the first meeting, recording a
decision on someone's behalf, countersigning, check-ins, sending a fresh link or revoking
links. The generic "move" here only ends, stops or closes a duo: every earlier state
needs its step done.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from duo.core import audit, exporting
from duo.core.auth.access import coordinator_required
from duo.core.dashboard.todos import Todo
from duo.core.db import db
from duo.core.i18n import formatting
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import BranchRead
from duo.duos import (
    health,
    lifecycle,
    states,
    step_views,  # noqa: F401  (adds the step routes to ``bp``)
)
from duo.duos.forms import form_for
from duo.duos.link_views import link_bp
from duo.duos.list_rows import listed_duos, on_page, with_people
from duo.duos.models import Duo
from duo.duos.pages import GENERIC_MOVES, STATE_ORDER, bp, load, render, stop_choices
from duo.people import next_step
from duo.people.list_pages import Page
from duo.people.listing import PER_PAGE
from duo.people.models import Person

blueprints = [bp, link_bp]


@bp.route("/")
@coordinator_required
def index():
    wanted, alert, conditions = _filtered()
    counts = dict(db.session.execute(select(Duo.state, func.count()).group_by(Duo.state)).all())
    if alert:
        total = db.session.execute(
            select(func.count()).select_from(Duo).where(*conditions)
        ).scalar_one()
    else:  # the counts per state already say how many rows the list has
        total = counts.get(wanted, 0) if wanted else sum(counts.values())
    pages = max(1, math.ceil(total / PER_PAGE))
    try:
        number = max(1, min(int(request.args.get("page") or 1), pages))
    except ValueError:
        number = 1
    offset = (number - 1) * PER_PAGE
    if alert:  # a few alerted duos: sorted whole, then cut
        shown = Duo.id.in_(
            select(Duo.id)
            .where(*conditions)
            .order_by(*LIST_ORDER)
            .limit(PER_PAGE)
            .offset(offset)
            .scalar_subquery()
        )
    else:  # cut from each state's share of the index (the counts say where each begins)
        shown = on_page({wanted: counts.get(wanted, 0)} if wanted else counts, offset, PER_PAGE)
    # The page is cut on the duos alone, then joined to its people: sorting every duo of a
    # large branch with both people's rows was most of the page's time.
    rows = listed_duos(shown, LIST_ORDER)
    return render_template(
        "duos/index.html",
        rows=rows,
        page=Page(rows, total, number, PER_PAGE),
        alert=alert,
        counts=counts,
        wanted=wanted,
        export_args={k: v for k, v in (("state", wanted), ("alert", alert)) if v},
        states=states,
    )


@bp.route("/export.<fmt>")
@coordinator_required
def export(fmt: str):
    """The list of duos as filtered on the page (state, alert), every page of it, as CSV or
    XLSX; audited."""
    wanted, alert, conditions = _filtered()
    rows = db.session.execute(with_people(*conditions).order_by(*LIST_ORDER)).all()
    headers = [
        _("Mentee"),
        _("Mentor"),
        _("State"),
        _("Since"),
        _("Proposed"),
        _("First meeting"),
        _("Started"),
        _("Planned end"),
        _("Ended"),
    ]

    def day(value):
        return formatting.format_date(value, "short") if value is not None else ""

    body = (
        [
            mentee.full_name,
            mentor.full_name,
            str(states.LABELS[duo.state]),
            day(duo.state_changed_at),
            day(duo.proposed_at),
            day(duo.first_meeting_at),
            day(duo.started_at),
            day(duo.ends_on),
            day(duo.ended_at),
        ]
        for duo, mentee, mentor in rows
    )
    filters = {k: v for k, v in (("state", wanted), ("alert", alert)) if v}
    return exporting.download(
        fmt, f"{g.tenant.slug}-duos", headers, body, actor=current_user, filters=filters
    )


#: The list's order: the method's order of states, then the longest waiting first.
LIST_ORDER = (STATE_ORDER, Duo.state_changed_at, Duo.id)


def _filtered() -> tuple[str | None, str | None, list]:
    """The page's filters (state, alert) and the conditions on duos they make."""
    wanted = request.args.get("state") or None
    if wanted not in states.STATES:
        wanted = None
    conditions = []
    if wanted:
        conditions.append(Duo.state == wanted)
    alert = request.args.get("alert")
    if alert in health.KINDS:
        alerted = {a.duo_id for a in health.open_alerts() if a.kind == alert}
        conditions.append(Duo.id.in_(alerted))
    else:
        alert = None
    return wanted, alert, conditions


@bp.route("/<uuid:duo_id>")
@coordinator_required
def detail(duo_id: uuid.UUID):
    duo = load(duo_id)
    for person_id in (duo.mentee_id, duo.mentor_id):  # the page shows both people's data
        audit.record_view("duo", actor=current_user, person_id=person_id)
    return render(duo)


@bp.route("/<uuid:duo_id>/to/<target>", methods=["POST"])
@coordinator_required
def move(duo_id: uuid.UUID, target: str):
    if target not in GENERIC_MOVES:
        abort(404)
    duo = load(duo_id)
    form = form_for(target, duo.state == states.FIRST_MEETING)
    stop_choices(form)
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
        return render(duo, 400)
    if not form.validate_on_submit():
        return render(duo, 400, (target, form))
    declined = getattr(form, "declined_by", None)
    reason = getattr(form, "reason", None)
    try:
        lifecycle.transition(
            duo,
            target,
            by=current_user,
            reason=reason.data if reason is not None else None,
            declined_by=(declined.data or None) if declined is not None else None,
            tenant=g.tenant,
            confirm_early=bool(getattr(form, "confirm_early", None) and form.confirm_early.data),
            stop_reason_key=(form.reason_key.data or None) if hasattr(form, "reason_key") else None,
        )
    except lifecycle.InvalidDuoTransition as exc:
        field = getattr(form, exc.field, None) if exc.field else None
        if field is not None:
            field.errors = [*field.errors, str(exc)]
        else:
            flash(str(exc), "error")
        return render(duo, 400, (target, form))
    flash(_("The duo is now “%(state)s”.", state=states.LABELS[target]), "success")
    return redirect(url_for("duos.detail", duo_id=duo.id))


# --------------------------------------------------------------------------- dashboard


#: The duo states that wait for the coordinator, counted in one query for the to-dos.
_WAITING_STATES = (states.PROPOSED, states.FIRST_MEETING, states.CONFIRMED, states.ENDED)


_WAITING_COUNTS = BranchRead(
    lambda: (
        select(Duo.state, func.count()).where(Duo.state.in_(_WAITING_STATES)).group_by(Duo.state)
    )
)


def duo_todos(tenant: Tenant) -> list[Todo]:
    counts = dict(_WAITING_COUNTS().all())
    proposed = counts.get(states.PROPOSED, 0)
    items = [
        Todo(
            label=ngettext(
                "%(num)d duo proposed without a first meeting",
                "%(num)d duos proposed without a first meeting",
                proposed,
            ),
            count=proposed,
            url=url_for("duos.index", tenant=tenant.slug, state=states.PROPOSED),
            urgency=30,
        )
    ]
    for kind, duo_ids in health.open_by_kind().items():
        label, urgency = health.KINDS[kind]
        url = (
            url_for("duos.detail", tenant=tenant.slug, duo_id=duo_ids[0])
            if len(duo_ids) == 1
            else url_for("duos.index", tenant=tenant.slug, alert=kind)
        )
        items.append(
            Todo(
                label=ngettext("%(num)d duo: %(what)s", "%(num)d duos: %(what)s",
                               len(duo_ids), what=label),
                count=len(duo_ids),
                url=url,
                urgency=urgency,
            )
        )  # fmt: skip
    return [*items, *_waiting_duos(tenant, counts)]


# The later steps of a duo that wait for the coordinator: its state, the to-do's label
# (``ngettext`` written out so Babel extracts it) and its urgency.
_WAITING_STEPS: tuple[tuple[str, Callable[[int], str], int], ...] = (
    (
        states.FIRST_MEETING,
        lambda n: ngettext(
            "%(num)d duo waits for the decisions after the first meeting",
            "%(num)d duos wait for the decisions after the first meeting",
            n,
        ),
        35,
    ),
    (
        states.CONFIRMED,
        lambda n: ngettext(
            "%(num)d duo has the agreement and charter to sign",
            "%(num)d duos have the agreement and charter to sign",
            n,
        ),
        30,
    ),
    (
        states.ENDED,
        lambda n: ngettext(
            "%(num)d ended duo is waiting for its evaluation",
            "%(num)d ended duos are waiting for their evaluation",
            n,
        ),
        45,
    ),
)


def _waiting_duos(tenant: Tenant, counts: dict[str, int]) -> list[Todo]:
    """The later steps of a duo that wait for the coordinator (issue 14: every step)."""
    return [
        Todo(
            label=label(counts.get(state, 0)),
            count=counts.get(state, 0),
            url=url_for("duos.index", tenant=tenant.slug, state=state),
            urgency=urgency,
        )
        for state, label, urgency in _WAITING_STEPS
    ]


def open_duo(person: Person) -> list[next_step.Action]:
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
