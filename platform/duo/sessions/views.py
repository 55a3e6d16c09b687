"""Pages: the coordinator's sessions (the public sign-up is :mod:`duo.sessions.join`).

Views are thin: they read forms, call :mod:`duo.sessions.domain` / :mod:`.signup`, and show
the result. Bad input answers 400 with the message at the field; the request's single
commit (app.after_request) is skipped for any status >= 400, so nothing is written.
"""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from duo.core import exporting
from duo.core.auth.access import coordinator_required
from duo.core.db import db, utcnow
from duo.core.i18n import formatting, language_label
from duo.sessions import display, domain
from duo.sessions.forms import AttendanceForm, CancelSessionForm, SessionForm, add_error, choice
from duo.sessions.models import InfoSession, Registration

bp = Blueprint("sessions", __name__, url_prefix="/<tenant>/sessions", template_folder="templates")


bp.context_processor(display.template_helpers)


def _session_or_404(session_id: uuid.UUID) -> InfoSession:
    found = domain.get_session(session_id)
    if found is None:
        abort(404)
    return found


# --------------------------------------------------------------------------- coordinator


@bp.route("/")
@coordinator_required
def index():
    now = utcnow()
    upcoming = domain.upcoming_sessions(now, include_cancelled=True)
    past = domain.past_sessions(now)
    return render_template(
        "sessions/index.html",
        upcoming=upcoming,
        past=past,
        figures=domain.figures_for([*upcoming, *past]),
    )


#: The export's filter: which of the page's two lists (both without it).
PERIODS = ("upcoming", "past")


@bp.route("/export.<fmt>")
@coordinator_required
def export(fmt: str):
    """The sessions of the page (upcoming, past, or both) with their figures; audited."""
    period = request.args.get("period") if request.args.get("period") in PERIODS else None
    now = utcnow()
    sessions = []
    if period in (None, "upcoming"):
        sessions += domain.upcoming_sessions(now, include_cancelled=True)
    if period in (None, "past"):
        sessions += domain.past_sessions(now)
    figures = domain.figures_for(sessions)
    locale = str(get_locale())
    headers = [
        _("Date"),
        _("Time"),
        _("Where"),
        _("Language"),
        _("For"),
        _("Cancelled"),
        _("Capacity"),
        _("Registered"),
        _("Waiting list"),
        _("Came"),
        _("Did not come"),
        _("Cancelled their place"),
    ]
    rows = (
        [
            formatting.format_date(s.starts_at, "short"),
            formatting.format_time(s.starts_at),
            display.where_text(s),
            display.language_name(s.language, locale),
            str(display.AUDIENCE_LABELS[s.audience]),
            _("yes") if s.is_cancelled else _("no"),
            figures[s.id].capacity,
            figures[s.id].registered,
            figures[s.id].waitlisted,
            figures[s.id].attended,
            figures[s.id].absent,
            figures[s.id].cancelled,
        ]
        for s in sessions
    )
    return exporting.download(
        fmt,
        f"{g.tenant.slug}-sessions",
        headers,
        rows,
        actor=current_user,
        filters={"period": period} if period else {},
    )


def _language_choices() -> list[tuple[str, str]]:
    return [choice(code, language_label(code)) for code in domain.session_languages(g.tenant)]


def _session_data(form: SessionForm) -> domain.SessionData:
    starts_at = domain.local_to_utc(form.start_date.data, form.start_time.data, g.tenant.timezone)
    return domain.SessionData(
        starts_at=starts_at,
        duration_minutes=form.duration_minutes.data,
        language=form.language.data,
        audience=form.audience.data,
        capacity=form.capacity.data,
        place=form.place.data,
        online_url=form.online_url.data,
        details=form.details.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required
def create():
    form = SessionForm()
    form.language.choices = _language_choices()
    if request.method == "GET":
        form.language.data = str(get_locale())
    if form.validate_on_submit():
        try:
            created = domain.create_session(_session_data(form), tenant=g.tenant, by=current_user)
        except domain.SessionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            flash(
                _("The information session is planned. It now appears on the sign-up page."),
                "success",
            )
            return redirect(url_for("sessions.detail", session_id=created.id))
    status = 400 if request.method == "POST" else 200
    return render_template("sessions/form.html", form=form, info_session=None), status


@bp.route("/<uuid:session_id>")
@coordinator_required
def detail(session_id: uuid.UUID):
    info_session = _session_or_404(session_id)
    registrations = list(
        db.session.execute(
            select(Registration)
            .where(Registration.session_id == info_session.id)
            .options(selectinload(Registration.person))
            .order_by(Registration.registered_at, Registration.id)
        ).scalars()
    )
    now = utcnow()
    return render_template(
        "sessions/detail.html",
        info_session=info_session,
        figures=domain.figures_for([info_session])[info_session.id],
        registrations=registrations,
        started=info_session.has_started(now),
        attendance_open=domain.attendance_open(info_session, g.tenant, now),
        join_url=url_for("join.join", _external=True),
    )


@bp.route("/<uuid:session_id>/edit", methods=["GET", "POST"])
@coordinator_required
def edit(session_id: uuid.UUID):
    info_session = _session_or_404(session_id)
    if info_session.is_cancelled or info_session.has_started():
        flash(
            _("Cancelled sessions and sessions that have taken place cannot be changed."), "error"
        )
        return redirect(url_for("sessions.detail", session_id=info_session.id))
    form = SessionForm(obj=info_session if request.method == "GET" else None)
    form.language.choices = _language_choices()
    if request.method == "GET":
        local = info_session.starts_at.astimezone(ZoneInfo(g.tenant.timezone))
        form.start_date.data = local.date()
        form.start_time.data = local.time()
    if form.validate_on_submit():
        try:
            changed = domain.update_session(info_session, _session_data(form), tenant=g.tenant)
        except domain.SessionError as exc:
            add_error(form, exc.field, exc.message)
        else:
            if changed:
                flash(
                    _(
                        "The session is updated. People registered are told of any change of "
                        "date, time, place or language."
                    ),
                    "success",
                )
            return redirect(url_for("sessions.detail", session_id=info_session.id))
    status = 400 if request.method == "POST" else 200
    return render_template("sessions/form.html", form=form, info_session=info_session), status


@bp.route("/<uuid:session_id>/cancel", methods=["GET", "POST"])
@coordinator_required
def cancel(session_id: uuid.UUID):
    info_session = _session_or_404(session_id)
    form = CancelSessionForm()
    if info_session.is_cancelled:
        flash(_("This session is already cancelled."), "info")
        return redirect(url_for("sessions.detail", session_id=info_session.id))
    if form.validate_on_submit():
        try:
            told = domain.cancel_session(info_session, reason=form.reason.data)
        except domain.SessionError as exc:
            add_error(form, None, exc.message)
        else:
            flash(
                ngettext(
                    "The session is cancelled. %(num)d person registered or waiting is told by "
                    "e-mail.",
                    "The session is cancelled. %(num)d people registered or waiting are told by "
                    "e-mail.",
                    told,
                ),
                "success",
            )
            return redirect(url_for("sessions.detail", session_id=info_session.id))
    figures = domain.figures_for([info_session])[info_session.id]
    status = 400 if request.method == "POST" else 200
    return render_template(
        "sessions/cancel.html", form=form, info_session=info_session, figures=figures
    ), status


@bp.route("/<uuid:session_id>/attendance", methods=["GET", "POST"])
@coordinator_required
def attendance(session_id: uuid.UUID):
    info_session = _session_or_404(session_id)
    form = AttendanceForm()
    is_open = domain.attendance_open(info_session, g.tenant)
    if request.method == "POST" and form.validate_on_submit():
        try:
            ids = {uuid.UUID(value) for value in request.form.getlist("attended")}
        except ValueError:
            ids = None
            form.form_errors.append(_("Someone in the list is not registered for this session."))
        if ids is not None:
            try:
                result = domain.record_attendance(
                    info_session, ids, tenant=g.tenant, by=current_user
                )
            except domain.SessionError as exc:
                form.form_errors.append(exc.message)
            else:
                flash(
                    _(
                        "Attendance recorded: %(came)s came, %(absent)s did not. "
                        "%(moved)s people move on to the intake interview.",
                        came=result.attended,
                        absent=result.absent,
                        moved=len(result.moved),
                    ),
                    "success",
                )
                return redirect(url_for("sessions.detail", session_id=info_session.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "sessions/attendance.html",
        form=form,
        info_session=info_session,
        registrations=domain.registrations_of(info_session),
        is_open=is_open,
    ), status
