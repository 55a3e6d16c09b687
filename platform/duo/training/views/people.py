"""Who takes part: enrolling in a cycle, withdrawing, attendance, and a person's training page.

A person's page also issues and revokes their personal calendar link.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from duo.core.auth.access import coordinator_required
from duo.core.db import db
from duo.people.models import Person
from duo.training import enrolment, feeds, status
from duo.training.forms import ActionForm, AttendanceForm
from duo.training.models import (
    CYCLE_OF_ENROLMENT,
    PERSON_FEED,
    WAITING,
    Enrolment,
    TrainingCycle,
    TrainingSession,
)
from duo.training.views.blueprint import bp, form_errors_400, one
from duo.training.views.calendars import feed_url
from duo.training.views.cycles import enrol_form, render_cycle


@bp.route("/cycles/<uuid:cycle_id>/enrol", methods=["POST"])
@coordinator_required
def enrol(cycle_id: uuid.UUID):
    cycle = one(TrainingCycle, cycle_id)
    form = enrol_form(cycle)
    if not form.validate():
        return render_cycle(cycle, 400, enrol_form=form)
    person = one(Person, uuid.UUID(form.person_id.data))
    session = None
    if form.session_id.data:
        session = one(TrainingSession, uuid.UUID(form.session_id.data))
    try:
        row = enrolment.enrol(cycle, person, session=session, by=current_user)
    except enrolment.EnrolmentError as exc:
        target = getattr(form, exc.field or "person_id", form.person_id)
        target.errors = [*target.errors, exc.message]
        return render_cycle(cycle, 400, enrol_form=form)
    if row.status == WAITING:
        flash(_("No place left: %(name)s is on the waiting list.", name=person.full_name), "info")
    else:
        flash(_("%(name)s is enrolled.", name=person.full_name), "success")
    return redirect(url_for("training.cycle", cycle_id=cycle.id) + "#participants")


@bp.route("/enrolments/<uuid:enrolment_id>/withdraw", methods=["POST"])
@coordinator_required
def withdraw(enrolment_id: uuid.UUID):
    row = one(Enrolment, enrolment_id)
    form = ActionForm()
    if not form.validate():
        abort(400)
    promoted = enrolment.withdraw(row, by=current_user)
    message = _("Withdrawn from the cycle.")
    if promoted:
        message += " " + ngettext(
            "%(num)d person moved up from the waiting list.",
            "%(num)d people moved up from the waiting list.",
            len(promoted),
        )
    flash(message, "success")
    return redirect(url_for("training.cycle", cycle_id=row.cycle_id) + "#participants")


@bp.route("/sessions/<uuid:session_id>/attendance", methods=["GET", "POST"])
@coordinator_required
def attendance(session_id: uuid.UUID):
    session = one(TrainingSession, session_id)
    people = enrolment.participants(session)
    recorded = enrolment.attendance_of(session)
    extra = set(recorded) - {p.id for p in people}
    if extra:
        people += list(db.session.execute(select(Person).where(Person.id.in_(extra))).scalars())
    form = AttendanceForm()
    form.present.choices = [(str(p.id), p.full_name) for p in people]
    context = {"session": session, "people": people, "recorded": recorded}
    if request.method == "GET":
        form.present.data = [str(pid) for pid, came in recorded.items() if came]
        return render_template("training/attendance.html", form=form, **context)
    if not form.validate():
        return form_errors_400("training/attendance.html", form=form, **context)
    try:
        enrolment.record_attendance(
            session, {uuid.UUID(v) for v in form.present.data or []}, by=current_user
        )
    except enrolment.EnrolmentError as exc:
        form.present.errors = [*form.present.errors, exc.message]
        return form_errors_400("training/attendance.html", form=form, **context)
    flash(_("Attendance is saved."), "success")
    return redirect(url_for("training.cycle", cycle_id=session.cycle_id) + "#sessions")


@bp.route("/people/<uuid:person_id>")
@coordinator_required
def person(person_id: uuid.UUID):
    someone = one(Person, person_id)
    return _render_person(someone)


def _render_person(someone: Person, new_link: str | None = None):
    prog = status.progress_for([someone])[someone.id]
    stmt = (
        select(Enrolment, TrainingCycle)
        .join(TrainingCycle, CYCLE_OF_ENROLMENT)
        .where(Enrolment.person_id == someone.id)
        .order_by(TrainingCycle.start_date.desc())
    )
    places = db.session.execute(stmt).all()
    links = feeds.active_tokens(PERSON_FEED, someone)
    return render_template(
        "training/person.html",
        person=someone,
        progress=prog,
        places=places,
        link=links[-1] if links else None,
        new_link=new_link,
        action_form=ActionForm(),
    )


@bp.route("/people/<uuid:person_id>/calendar-link", methods=["POST"])
@coordinator_required
def person_link(person_id: uuid.UUID):
    someone = one(Person, person_id)
    if not ActionForm().validate():
        abort(400)
    _row, token = feeds.issue_person_token(someone, by=current_user)
    return _render_person(someone, new_link=feed_url(token))


@bp.route("/people/<uuid:person_id>/calendar-link/revoke", methods=["POST"])
@coordinator_required
def person_link_revoke(person_id: uuid.UUID):
    someone = one(Person, person_id)
    if not ActionForm().validate():
        abort(400)
    feeds.revoke(feeds.active_tokens(PERSON_FEED, someone))
    flash(_("The calendar link no longer works."), "success")
    return redirect(url_for("training.person", person_id=someone.id))
