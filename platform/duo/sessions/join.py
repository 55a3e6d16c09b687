"""The public sign-up at ``/<branch>/join``, its confirmation, and the personal link.

A candidate picks an information session (in their language first), signs up, and lands
on a confirmation page; the personal link in every mail shows the registration and lets
them cancel it. Bad input answers 400 with the message at the field, and nothing is
written (the request's single commit is skipped for any status >= 400).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from duo.core.auth.access import personal_link, public
from duo.core.db import db, utcnow
from duo.core.extensions import limiter
from duo.sessions import display, domain, privacy_notice
from duo.sessions.forms import CancelRegistrationForm, JoinForm, add_error, choice
from duo.sessions.models import (
    ACTIVE,
    CANCELLED,
    HEARD_FROM,
    WAITLISTED,
    InfoSession,
    Registration,
)
from duo.sessions.signup import SIGNUP_LIMIT, SignupRequest, sign_up
from duo.sessions.tokens import read_token

public_bp = Blueprint("join", __name__, url_prefix="/<tenant>/join", template_folder="templates")
public_bp.context_processor(display.template_helpers)

_SIGNUP_KEY = "duo_signup"


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
        choice(key, display.heard_from_label(key, g.tenant)) for key in HEARD_FROM
    ]


@public_bp.route("", methods=["GET", "POST"])
@public
@limiter.shared_limit(SIGNUP_LIMIT, scope="signup", methods=["POST"])
def join():
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
                add_error(form, "session", _("Choose one of the sessions listed."))
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
                    add_error(form, exc.field, exc.message)
                else:
                    # The page after says what a new address would read (the answer, the
                    # address as typed), never whether the address was known already.
                    session[_SIGNUP_KEY] = {
                        "t": g.tenant.id,
                        "s": result.registration.session_id.hex,
                        "status": result.status,
                        "to": _mask(req.email),
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
def done():
    data = session.get(_SIGNUP_KEY) or {}
    if data.get("t") != g.tenant.id:
        return redirect(url_for("join.join"))
    try:
        session_id = uuid.UUID(hex=data.get("s", ""))
    except (TypeError, ValueError):
        return redirect(url_for("join.join"))
    info_session = db.session.execute(
        select(InfoSession).where(InfoSession.id == session_id)
    ).scalar_one_or_none()
    if info_session is None:
        return redirect(url_for("join.join"))
    return render_template(
        "sessions/join_done.html",
        waitlisted=data.get("status") == WAITLISTED,
        info_session=info_session,
        masked_email=str(data.get("to") or ""),
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
def registration(token: str):
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
