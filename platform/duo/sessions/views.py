"""Pages: the coordinator's sessions, and the public sign-up at ``/<branch>/join``.

Views are thin: they read forms, call :mod:`duo.sessions.domain` / :mod:`.signup`, and show
the result. Bad input answers 400 with the message at the field; the request's single
commit (app.after_request) is skipped for any status >= 400, so nothing is written.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import Form

from duo.core.auth.access import coordinator_required, personal_link, public
from duo.core.dashboard import navigation
from duo.core.db import db, utcnow
from duo.core.extensions import limiter
from duo.core.i18n import language_label
from duo.sessions import display, domain, privacy_notice, todos  # noqa: F401  (to-dos register)
from duo.sessions.api import api_bp
from duo.sessions.forms import (
    AttendanceForm,
    CancelRegistrationForm,
    CancelSessionForm,
    JoinForm,
    SessionForm,
    choice,
)
from duo.sessions.models import ACTIVE, CANCELLED, HEARD_FROM, InfoSession, Registration
from duo.sessions.signup import SIGNUP_LIMIT, SignupRequest, sign_up
from duo.sessions.tokens import read_token

bp = Blueprint("sessions", __name__, url_prefix="/<tenant>/sessions", template_folder="templates")
public_bp = Blueprint("join", __name__, url_prefix="/<tenant>/join", template_folder="templates")
blueprints = [bp, public_bp, api_bp]

navigation.register("sessions.index", _l("Information sessions"), 10)

_SIGNUP_KEY = "duo_signup"


def _helpers() -> dict[str, object]:
    """Session wording for templates: times in the branch's zone, the page's language."""
    locale = str(get_locale())
    return {
        "when": lambda s: display.when_text(s, g.tenant, locale),
        "where": display.where_text,
        "language_name": lambda code: display.language_name(code, locale),
        "audience_label": lambda s: display.AUDIENCE_LABELS[s.audience],
    }


bp.context_processor(_helpers)
public_bp.context_processor(_helpers)


def _add_error(form: Form, field: str | None, message: str) -> None:
    target = getattr(form, field, None) if field else None
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


def _session_or_404(session_id: uuid.UUID) -> InfoSession:
    found = domain.get_session(session_id)
    if found is None:
        abort(404)
    return found


# --------------------------------------------------------------------------- coordinator


@bp.route("/")
@coordinator_required
def index():  # noqa: ANN201
    now = utcnow()
    upcoming = domain.upcoming_sessions(now, include_cancelled=True)
    past = domain.past_sessions(now)
    return render_template(
        "sessions/index.html",
        upcoming=upcoming,
        past=past,
        figures=domain.figures_for([*upcoming, *past]),
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
def create():  # noqa: ANN201
    form = SessionForm()
    form.language.choices = _language_choices()
    if request.method == "GET":
        form.language.data = str(get_locale())
    if form.validate_on_submit():
        try:
            created = domain.create_session(_session_data(form), tenant=g.tenant, by=current_user)
        except domain.SessionError as exc:
            _add_error(form, exc.field, exc.message)
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
def detail(session_id: uuid.UUID):  # noqa: ANN201
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
def edit(session_id: uuid.UUID):  # noqa: ANN201
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
            _add_error(form, exc.field, exc.message)
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
def cancel(session_id: uuid.UUID):  # noqa: ANN201
    info_session = _session_or_404(session_id)
    form = CancelSessionForm()
    if info_session.is_cancelled:
        flash(_("This session is already cancelled."), "info")
        return redirect(url_for("sessions.detail", session_id=info_session.id))
    if form.validate_on_submit():
        try:
            told = domain.cancel_session(info_session, reason=form.reason.data)
        except domain.SessionError as exc:
            _add_error(form, None, exc.message)
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
def attendance(session_id: uuid.UUID):  # noqa: ANN201
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


# --------------------------------------------------------------------------- public


def _locale() -> str:
    return str(get_locale())


def _sessions_for(role: str | None) -> tuple[list[InfoSession], list[InfoSession], dict]:
    """Upcoming sessions for the role: in the visitor's language, then in the others."""
    if role is None:
        return [], [], {}
    sessions = domain.upcoming_sessions(role=role)
    figures = domain.figures_for(sessions)
    mine = [s for s in sessions if s.language == _locale()]
    others = [s for s in sessions if s.language != _locale()]
    return mine, others, figures


def _heard_from_choices() -> list[tuple[str, str]]:
    return [choice("", _("Choose…"))] + [
        choice(key, str(display.HEARD_FROM_LABELS[key])) for key in HEARD_FROM
    ]


@public_bp.route("", methods=["GET", "POST"])
@public
@limiter.shared_limit(SIGNUP_LIMIT, scope="signup", methods=["POST"])
def join():  # noqa: ANN201
    form = JoinForm()
    form.heard_from.choices = _heard_from_choices()
    role = request.values.get("audience")
    role = role if role in ("mentor", "mentee") else None
    if request.method == "GET":
        form.audience.data = role
        chosen = request.args.get("session")
        if chosen:
            form.session.data = chosen
    mine, others, figures = _sessions_for(role)
    form.session.choices = [choice(str(s.id), str(s.id)) for s in (*mine, *others)]
    if request.method == "POST":
        if form.validate():
            try:
                session_id = uuid.UUID(form.session.data)
            except (TypeError, ValueError):
                _add_error(form, "session", _("Choose one of the sessions listed."))
            else:
                req = SignupRequest(
                    session_id=session_id,
                    role=form.audience.data,
                    first_name=form.first_name.data,
                    last_name=form.last_name.data,
                    email=form.email.data,
                    phone=form.phone.data,
                    birth_year=int(form.birth_year.data),
                    heard_from=form.heard_from.data or None,
                    waitlist=form.waitlist.data,
                    consent=form.consent.data,
                    locale=_locale(),
                )
                try:
                    result = sign_up(req, tenant=g.tenant)
                except domain.SessionError as exc:
                    _add_error(form, exc.field, exc.message)
                else:
                    session[_SIGNUP_KEY] = {
                        "t": g.tenant.id,
                        "r": result.registration.id.hex,
                        "new": result.created,
                    }
                    return redirect(url_for("join.done"))
        status = 400
    else:
        status = 200
    return render_template(
        "sessions/join.html",
        form=form,
        role=role,
        mine=mine,
        others=others,
        figures=figures,
        notice=privacy_notice.paragraphs(g.tenant, _locale()),
        notice_version=privacy_notice.version(),
        locale=_locale(),
        any_full=any(figures[s.id].full for s in (*mine, *others)),
    ), status


@public_bp.route("/done")
@public
def done():  # noqa: ANN201
    data = session.get(_SIGNUP_KEY) or {}
    if data.get("t") != g.tenant.id:
        return redirect(url_for("join.join"))
    try:
        reg_id = uuid.UUID(hex=data.get("r", ""))
    except ValueError:
        return redirect(url_for("join.join"))
    reg = db.session.execute(
        select(Registration)
        .where(Registration.id == reg_id)
        .options(selectinload(Registration.session), selectinload(Registration.person))
    ).scalar_one_or_none()
    if reg is None:
        return redirect(url_for("join.join"))
    return render_template(
        "sessions/join_done.html",
        reg=reg,
        info_session=reg.session,
        repeat=not data.get("new", True),
        masked_email=_mask(reg.person.email),
    )


def _mask(email: str) -> str:
    """a…@example.org: enough to recognise one's address, not to learn someone else's."""
    local, _sep, domain_part = email.partition("@")
    return f"{local[:1]}…@{domain_part}"


def _registration_for(token: str) -> Registration | None:
    reg_id = read_token(token, g.tenant.id)
    if reg_id is None:
        return None
    return db.session.execute(
        select(Registration)
        .where(Registration.id == reg_id)
        .options(selectinload(Registration.session))
    ).scalar_one_or_none()


@public_bp.route("/registration/<token>", methods=["GET", "POST"])
@personal_link
@limiter.shared_limit(SIGNUP_LIMIT, scope="signup", methods=["POST"])
def registration(token: str):  # noqa: ANN201
    """The personal link: see one's registration and cancel it."""
    reg = _registration_for(token)
    if reg is None:
        return render_template("sessions/link_invalid.html"), 404
    info_session = reg.session
    now: datetime = utcnow()
    if info_session.has_started(now):
        return render_template("sessions/link_expired.html", info_session=info_session), 400
    form = CancelRegistrationForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if reg.status in ACTIVE and not info_session.is_cancelled:
            domain.cancel_registration(reg, now=now)
            flash(_("Your registration is cancelled. Thank you for letting us know."), "success")
        return redirect(url_for("join.registration", token=token))
    return render_template(
        "sessions/registration.html",
        reg=reg,
        info_session=info_session,
        form=form,
        cancelled=reg.status == CANCELLED,
    )
