"""Intake appointments on the candidates pages: schedule, move, cancel, and the intakes list.

The person page shows the scheduled intake (and any request for another time) with the
buttons that act on it; the schedule page holds the form. ``/people/intakes`` lists the
requests for another time, the upcoming intakes and the candidates still to schedule:
the dashboard's intake to-dos link there.
"""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from duo.core.auth.access import coordinator_required
from duo.core.auth.accounts import attending_coordinator, coordinators_of
from duo.core.db import db
from duo.intake import appointments
from duo.intake.appointment_forms import AppointmentForm, CancelForm
from duo.intake.models import IntakeAppointment
from duo.intake.views.blueprint import bp, person_or_404
from duo.people.models import Person


def appointment_form(
    appointment: IntakeAppointment | None, formdata: object = None
) -> AppointmentForm:
    form = AppointmentForm(prefix="appointment", formdata=formdata)
    form.minutes.choices = [
        SelectChoice(m, _("%(minutes)d min", minutes=m)) for m in appointments.DURATIONS
    ]
    form.coordinator_id.choices = [SelectChoice("", "-")] + [
        SelectChoice(str(u.id), u.name) for u in coordinators_of(g.tenant.id)
    ]
    if formdata is None:
        if appointment is not None:
            local = appointment.starts_at.astimezone(ZoneInfo(g.tenant.timezone))
            form.day.data, form.time.data = local.date(), local.time()
            form.minutes.data = appointment.minutes
            form.place.data = appointment.place
            form.video_url.data = appointment.video_url
            form.coordinator_id.data = str(appointment.coordinator_user_id or "")
        else:
            form.coordinator_id.data = str(getattr(current_user, "id", ""))
    return form


def _schedule_page(person: Person, appointment: IntakeAppointment | None, form, status=200):
    return (
        render_template(
            "people/appointment.html",
            person=person,
            appointment=appointment,
            requests=appointments.open_requests(appointment) if appointment else [],
            preferred_times=appointments.preferred_times,
            form=form,
            cancel_form=CancelForm(prefix="cancel"),
        ),
        status,
    )


@bp.route("/<uuid:person_id>/appointment", methods=["GET", "POST"])
@coordinator_required
def appointment(person_id: uuid.UUID):
    """Schedule the intake of a candidate, or move the one scheduled."""
    person = person_or_404(person_id)
    existing = appointments.current(person)
    if existing is None and person.state not in appointments.SCHEDULABLE:
        if request.method == "GET":
            flash(_("An intake can be scheduled only before the interview is recorded."), "error")
            return redirect(url_for("people.person", person_id=person.id))
        abort(400)
    if request.method == "GET":
        return _schedule_page(person, existing, appointment_form(existing))
    form = appointment_form(existing, formdata=request.form)
    if not form.validate_on_submit():
        return _schedule_page(person, existing, form, 400)
    plan = appointments.Plan(
        day=form.day.data,
        time=form.time.data,
        minutes=form.minutes.data,
        place=form.place.data,
        video_url=form.video_url.data,
        coordinator_id=attending_coordinator(form.coordinator_id.data, g.tenant.id),
    )
    try:
        appointments.schedule(person, plan, by=current_user, tenant=g.tenant)
    except appointments.AppointmentError as exc:
        field = getattr(form, exc.field or "day")
        field.errors = [*field.errors, str(exc)]
        db.session.rollback()
        return _schedule_page(person_or_404(person_id), appointments.current(person), form, 400)
    if existing is None:
        flash(_("The intake is scheduled; the candidate is invited by e-mail."), "success")
    else:
        flash(_("The intake is saved; the candidate is told of any change by e-mail."), "success")
    return redirect(url_for("people.person", person_id=person.id))


@bp.route("/<uuid:person_id>/appointment/cancel", methods=["POST"])
@coordinator_required
def cancel_appointment(person_id: uuid.UUID):
    person = person_or_404(person_id)
    existing = appointments.current(person)
    form = CancelForm(prefix="cancel")
    if existing is None or not form.validate_on_submit():
        abort(400)
    appointments.cancel(existing, by=current_user)
    flash(_("The intake is cancelled; the candidate is told by e-mail."), "success")
    return redirect(url_for("people.person", person_id=person.id))


@bp.route("/intakes")
@coordinator_required
def intakes():
    """Requests for another time, upcoming intakes and the candidates to schedule."""
    return render_template(
        "people/intakes.html",
        requests=appointments.pending_requests(),
        upcoming=appointments.upcoming(),
        waiting=appointments.to_schedule(),
        preferred_times=appointments.preferred_times,
    )
