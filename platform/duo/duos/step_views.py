"""The routes of each step on the duo page: first meeting, decisions on someone's behalf,
countersignature, the coordinator's check-ins, the signed PDF and personal links."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from duo.core import links
from duo.core.auth.access import coordinator_required
from duo.core.auth.accounts import attending_coordinator
from duo.core.db import db
from duo.duos import (
    accompaniment,
    agreement,
    first_meeting,
    history,
    lifecycle,
    pdf,
)
from duo.duos import jobs as duo_jobs
from duo.duos.forms import (
    LogForm,
    OnBehalfDecisionForm,
    PartyForm,
    SignForm,
)
from duo.duos.link_views import pdf_response
from duo.duos.models import Duo
from duo.duos.notify import OBJECT
from duo.duos.pages import bp, load, plan_form, render


def _step_failed(duo: Duo, exc: lifecycle.InvalidDuoTransition, form: object, name: str):
    db.session.rollback()
    duo = load(duo.id)
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        flash(str(exc), "error")
    return render(duo, 400, **{name: form})


def _take_step(duo: Duo, form: Any, name: str, step: Callable[[], object], done: str):
    """Take a step from its form on the duo page, then go back to the page saying so.

    An invalid form, or a step the lifecycle refuses (undone, its message on the form's
    field), shows the page again with that form, answering 400.
    """
    if not form.validate_on_submit():
        return render(duo, 400, **{name: form})
    try:
        step()
    except lifecycle.InvalidDuoTransition as exc:
        return _step_failed(duo, exc, form, name)
    flash(done, "success")
    return redirect(url_for("duos.detail", duo_id=duo.id))


@bp.route("/<uuid:duo_id>/first-meeting", methods=["POST"])
@coordinator_required
def plan_meeting(duo_id: uuid.UUID):
    duo = load(duo_id)
    form = plan_form(duo, formdata=request.form)

    def plan() -> None:
        zone = ZoneInfo(g.tenant.timezone)
        at = datetime.combine(form.day.data, form.time.data).replace(tzinfo=zone)
        meeting = first_meeting.MeetingPlan(
            at=at,
            place=form.place.data,
            video_url=form.video_url.data,
            coordinator_id=attending_coordinator(form.coordinator_id.data, g.tenant.id),
        )
        try:
            first_meeting.plan(duo, meeting, by=current_user, tenant=g.tenant)
        except lifecycle.InvalidDuoTransition as exc:
            if exc.field == "at":
                exc.field = "day"
            raise

    return _take_step(
        duo, form, "plan_form", plan, _("The first meeting is planned; both are invited by e-mail.")
    )


def _form_step(
    duo_id: uuid.UUID,
    form_class: type,
    prefix: str,
    step: Callable[[Duo, Any], object],
    done: str,
):
    """Take a step whose form on the duo page is ``<prefix>_form``, fields prefixed alike."""
    duo = load(duo_id)
    form = form_class(prefix=prefix)
    return _take_step(duo, form, f"{prefix}_form", lambda: step(duo, form), done)


def _decide(duo: Duo, form: OnBehalfDecisionForm) -> object:
    return first_meeting.decide(
        duo,
        form.party.data,
        form.go_on.data == "yes",
        tenant=g.tenant,
        reason=form.reason.data,
        on_behalf_of_by=current_user,
        on_behalf_reason=form.on_behalf_reason.data,
    )


def _countersign(duo: Duo, form: SignForm) -> object:
    return agreement.sign(
        duo,
        agreement.COORDINATOR,
        full_name=form.full_name.data,
        accepted=bool(form.accepted.data),
        tenant=g.tenant,
        expected_name=current_user.name,
        by=current_user,
    )


def _log(duo: Duo, form: LogForm) -> object:
    return accompaniment.log(duo, form.kind.data, form.note.data, by=current_user, tenant=g.tenant)


@bp.route("/<uuid:duo_id>/decision", methods=["POST"])
@coordinator_required
def decide_on_behalf(duo_id: uuid.UUID):
    return _form_step(
        duo_id,
        OnBehalfDecisionForm,
        "behalf",
        _decide,
        _("The decision is recorded on their behalf."),
    )


@bp.route("/<uuid:duo_id>/countersign", methods=["POST"])
@coordinator_required
def countersign(duo_id: uuid.UUID):
    return _form_step(
        duo_id, SignForm, "countersign", _countersign, _("You countersigned the agreement.")
    )


@bp.route("/<uuid:duo_id>/check-in", methods=["POST"])
@coordinator_required
def log_check_in(duo_id: uuid.UUID):
    return _form_step(duo_id, LogForm, "log", _log, _("Your check-in is recorded."))


@bp.route("/<uuid:duo_id>/agreement.pdf")
@coordinator_required
def agreement_pdf(duo_id: uuid.UUID):
    duo = load(duo_id)
    doc = pdf.document(duo)
    if doc is None:
        abort(404)
    return pdf_response(doc)


@bp.route("/<uuid:duo_id>/links/<action>", methods=["POST"])
@coordinator_required
def link_action(duo_id: uuid.UUID, action: str):
    if action not in ("resend", "revoke"):
        abort(404)
    duo = load(duo_id)
    form = PartyForm(prefix="link")
    if not form.validate_on_submit():
        flash(_("Choose the mentor or the mentee."), "error")
        return render(duo, 400)
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
