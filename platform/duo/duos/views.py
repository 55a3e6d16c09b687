"""Duo pages of a branch: the list (state and what to do next) and one duo (history, moves).

Steps have their own forms: planning the first meeting, recording a decision on
someone's behalf, countersigning, sending a fresh link or revoking links. The generic
"move" only ends, stops or closes a duo: every earlier state needs its step done.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased, selectinload
from wtforms.fields.choices import SelectChoice

from duo.core import links
from duo.core.auth.access import coordinator_required
from duo.core.auth.models import COORDINATOR, RoleGrant, User
from duo.core.dashboard import navigation
from duo.core.dashboard.todos import Todo, provider
from duo.core.db import db
from duo.core.tenancy.models import Tenant
from duo.duos import agreement, first_meeting, history, lifecycle, pdf, states
from duo.duos import jobs as duo_jobs
from duo.duos.forms import (
    OnBehalfDecisionForm,
    PartyForm,
    PlanMeetingForm,
    SignForm,
    form_for,
)
from duo.duos.link_views import link_bp, pdf_response
from duo.duos.models import Duo, DuoStateChange
from duo.duos.notify import OBJECT
from duo.people.models import Person

bp = Blueprint("duos", __name__, url_prefix="/<tenant>/duos", template_folder="templates")
blueprints = [bp, link_bp]

#: Moves made with the generic form; the others have their own step (see module doc).
GENERIC_MOVES = (states.ENDED, states.EVALUATED, states.STOPPED)

navigation.register("duos.index", _l("Duos"), 50)

_STATE_ORDER = case({s: i for i, s in enumerate(states.STATES)}, value=Duo.state)


@bp.route("/")
@coordinator_required
def index():  # noqa: ANN201
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
        if target not in GENERIC_MOVES:
            continue
        if failed is not None and failed[0] == target:
            forms[target] = failed[1]
        else:
            forms[target] = form_for(target, at_first_meeting, formdata=None)
    return forms


def _coordinators() -> list[User]:
    return list(
        db.session.execute(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == COORDINATOR, RoleGrant.tenant_id == g.tenant.id)
            .order_by(User.name)
        ).scalars()
    )


def _plan_form(duo: Duo, formdata: object = None) -> PlanMeetingForm:
    form = PlanMeetingForm(prefix="plan", formdata=formdata)
    form.coordinator_id.choices = [SelectChoice("", "-")] + [
        SelectChoice(str(u.id), u.name) for u in _coordinators()
    ]
    if formdata is None and duo.first_meeting_at is not None:
        local = duo.first_meeting_at.astimezone(ZoneInfo(g.tenant.timezone))
        form.day.data, form.time.data = local.date(), local.time()
        form.place.data = duo.first_meeting_place
        form.video_url.data = duo.first_meeting_video_url
        form.coordinator_id.data = str(duo.first_meeting_coordinator_id or "")
    return form


def _detail(duo: Duo, status: int = 200, failed: tuple[str, object] | None = None, **steps):  # noqa: ANN202, ANN003
    names = {duo.mentee.id: duo.mentee.full_name, duo.mentor.id: duo.mentor.full_name}
    live = links.live_links(OBJECT, duo.id)
    return (
        render_template(
            "duos/detail.html",
            duo=duo,
            forms=_forms(duo, failed),
            states=states,
            timeline=history.timeline(duo, names, _("the system")),
            decisions=first_meeting.decisions(duo),
            decision_open=first_meeting.decision_open(duo),
            signatures=agreement.signatures(duo),
            document=pdf.document(duo) if duo.started_at else None,
            live_links={
                party: [link for link in live if link.person_id == person_id]
                for party, person_id in (("mentee", duo.mentee_id), ("mentor", duo.mentor_id))
            },
            plan_form=steps.get("plan_form") or _plan_form(duo),
            behalf_form=steps.get("behalf_form")
            or OnBehalfDecisionForm(prefix="behalf", formdata=None),
            countersign_form=steps.get("countersign_form")
            or SignForm(prefix="countersign", formdata=None),
            party_form=PartyForm(prefix="link", formdata=None),
            attending=db.session.get(User, duo.first_meeting_coordinator_id)
            if duo.first_meeting_coordinator_id
            else None,
        ),
        status,
    )


@bp.route("/<uuid:duo_id>")
@coordinator_required
def detail(duo_id: uuid.UUID):  # noqa: ANN201
    return _detail(_load(duo_id))


@bp.route("/<uuid:duo_id>/to/<target>", methods=["POST"])
@coordinator_required
def move(duo_id: uuid.UUID, target: str):  # noqa: ANN201
    if target not in GENERIC_MOVES:
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
            confirm_early=bool(getattr(form, "confirm_early", None) and form.confirm_early.data),
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


def _step_failed(duo: Duo, exc: lifecycle.InvalidDuoTransition, form: object, name: str):  # noqa: ANN202
    db.session.rollback()
    duo = _load(duo.id)
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        flash(str(exc), "error")
    return _detail(duo, 400, **{name: form})


@bp.route("/<uuid:duo_id>/first-meeting", methods=["POST"])
@coordinator_required
def plan_meeting(duo_id: uuid.UUID):  # noqa: ANN201
    duo = _load(duo_id)
    form = _plan_form(duo, formdata=request.form)
    if not form.validate_on_submit():
        return _detail(duo, 400, plan_form=form)
    zone = ZoneInfo(g.tenant.timezone)
    at = datetime.combine(form.day.data, form.time.data).replace(tzinfo=zone)
    attending = form.coordinator_id.data
    coordinator_ids = {str(u.id) for u in _coordinators()}
    meeting = first_meeting.MeetingPlan(
        at=at,
        place=form.place.data,
        video_url=form.video_url.data,
        coordinator_id=int(attending) if attending in coordinator_ids else None,
    )
    try:
        first_meeting.plan(duo, meeting, by=current_user, tenant=g.tenant)
    except lifecycle.InvalidDuoTransition as exc:
        if exc.field == "at":
            exc.field = "day"
        return _step_failed(duo, exc, form, "plan_form")
    flash(_("The first meeting is planned; both are invited by e-mail."), "success")
    return redirect(url_for("duos.detail", duo_id=duo.id))


@bp.route("/<uuid:duo_id>/decision", methods=["POST"])
@coordinator_required
def decide_on_behalf(duo_id: uuid.UUID):  # noqa: ANN201
    duo = _load(duo_id)
    form = OnBehalfDecisionForm(prefix="behalf")
    if not form.validate_on_submit():
        return _detail(duo, 400, behalf_form=form)
    try:
        first_meeting.decide(
            duo,
            form.party.data,
            form.go_on.data == "yes",
            tenant=g.tenant,
            reason=form.reason.data,
            on_behalf_of_by=current_user,
            on_behalf_reason=form.on_behalf_reason.data,
        )
    except lifecycle.InvalidDuoTransition as exc:
        return _step_failed(duo, exc, form, "behalf_form")
    flash(_("The decision is recorded on their behalf."), "success")
    return redirect(url_for("duos.detail", duo_id=duo.id))


@bp.route("/<uuid:duo_id>/countersign", methods=["POST"])
@coordinator_required
def countersign(duo_id: uuid.UUID):  # noqa: ANN201
    duo = _load(duo_id)
    form = SignForm(prefix="countersign")
    if not form.validate_on_submit():
        return _detail(duo, 400, countersign_form=form)
    try:
        agreement.sign(
            duo,
            agreement.COORDINATOR,
            full_name=form.full_name.data,
            accepted=bool(form.accepted.data),
            tenant=g.tenant,
            expected_name=current_user.name,
            by=current_user,
        )
    except lifecycle.InvalidDuoTransition as exc:
        return _step_failed(duo, exc, form, "countersign_form")
    flash(_("You countersigned the agreement."), "success")
    return redirect(url_for("duos.detail", duo_id=duo.id))


@bp.route("/<uuid:duo_id>/agreement.pdf")
@coordinator_required
def agreement_pdf(duo_id: uuid.UUID):  # noqa: ANN201
    duo = _load(duo_id)
    doc = pdf.document(duo)
    if doc is None:
        abort(404)
    return pdf_response(doc)


@bp.route("/<uuid:duo_id>/links/<action>", methods=["POST"])
@coordinator_required
def link_action(duo_id: uuid.UUID, action: str):  # noqa: ANN201
    if action not in ("resend", "revoke"):
        abort(404)
    duo = _load(duo_id)
    form = PartyForm(prefix="link")
    if not form.validate_on_submit():
        flash(_("Choose the mentor or the mentee."), "error")
        return _detail(duo, 400)
    person = duo.mentee if form.party.data == "mentee" else duo.mentor
    revoked = links.revoke_all(person.id, OBJECT, duo.id)
    event = history.record(
        duo,
        "link_sent" if action == "resend" else "link_revoked",
        by=current_user,
        details={"party": form.party.data, "revoked": revoked},
    )
    if action == "resend":
        duo_jobs.request_fresh_link(duo, person.id, event.id)
        flash(
            _(
                "A new link is on its way to %(name)s; the old ones no longer work.",
                name=person.full_name,
            ),
            "success",
        )
    else:
        flash(_("The links of %(name)s no longer work.", name=person.full_name), "success")
    return redirect(url_for("duos.detail", duo_id=duo.id))


# --------------------------------------------------------------------------- dashboard


@provider
def _duo_todos(tenant: Tenant) -> list[Todo]:
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
        )
    ]
