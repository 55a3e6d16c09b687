"""One training session: moving it to another day or time, or cancelling it.

Its participants are told by jobs the domain (:mod:`duo.training.planning`) enqueues.
"""

from __future__ import annotations

import uuid

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from duo.core.auth.access import coordinator_required
from duo.training import planning
from duo.training.forms import CancelForm, MoveForm
from duo.training.models import CANCELLED, TrainingSession
from duo.training.schedule import ScheduleError
from duo.training.views.blueprint import bp, form_errors_400, local, one, page_locale, put_on_fields


@bp.route("/sessions/<uuid:session_id>/move", methods=["GET", "POST"])
@coordinator_required
def move_session(session_id: uuid.UUID):
    session = one(TrainingSession, session_id)
    start, end = local(session.starts_at), local(session.ends_at)
    if request.method == "GET":
        form = MoveForm(
            formdata=None,
            date=start.date(),
            start_time=start.time().replace(tzinfo=None),
            end_time=end.time().replace(tzinfo=None),
            location=session.location,
        )
        return render_template("training/session_move.html", session=session, form=form)
    form = MoveForm()
    if not form.validate():
        return form_errors_400("training/session_move.html", session=session, form=form)
    try:
        changed = planning.move_session(
            g.tenant,
            session,
            form.date.data,
            form.start_time.data,
            form.end_time.data,
            location=form.location.data,
            by=current_user,
        )
    except ScheduleError as exc:
        fields = {"end": form.end_time, "date": form.date}
        put_on_fields(exc.problems, fields, default=form.start_time)
        return form_errors_400("training/session_move.html", session=session, form=form)
    if changed:
        flash(_("The session is moved; its participants will be told."), "success")
        for note in planning.day_notes(g.tenant, form.date.data, page_locale()):
            flash(_("Note: %(why)s.", why=note.message), "info")
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("training.cycle", cycle_id=session.cycle_id) + "#sessions")


@bp.route("/sessions/<uuid:session_id>/cancel", methods=["GET", "POST"])
@coordinator_required
def cancel_session(session_id: uuid.UUID):
    session = one(TrainingSession, session_id)
    form = CancelForm()
    if request.method == "GET" or session.status == CANCELLED:
        return render_template("training/session_cancel.html", session=session, form=form)
    if not form.validate():
        return form_errors_400("training/session_cancel.html", session=session, form=form)
    planning.cancel_session(session, reason=form.reason.data)
    flash(_("The session is cancelled; its participants will be told."), "success")
    return redirect(url_for("training.cycle", cycle_id=session.cycle_id) + "#sessions")
