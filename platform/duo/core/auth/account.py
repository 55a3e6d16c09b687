"""A staff user's own account: password change, recovery codes, open sessions.

The reset of a forgotten password lives in :mod:`duo.core.password_reset` (it sends mail,
and the mail package depends on this one).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from duo.core.auth import events, staff_sessions, twofactor
from duo.core.auth.access import signed_in
from duo.core.auth.accounts import AccountError, set_password
from duo.core.auth.forms import ActionForm, PasswordChangeForm
from duo.core.auth.passwords import verify_password
from duo.core.extensions import limiter

account_bp = Blueprint("account", __name__, template_folder="templates")

#: Failed password changes one session may make in a window.
PASSWORD_LIMIT = "5 per 15 minutes"


def _page(status: int = 200, **forms: object):
    forms.setdefault("password_form", PasswordChangeForm())
    forms.setdefault("action_form", ActionForm())
    return (
        render_template(
            "auth/account.html",
            sessions=staff_sessions.open_sessions(current_user),
            current_key=current_user.session_key,
            is_current=staff_sessions.is_current,
            codes_left=twofactor.recovery_codes_left(current_user),
            **forms,
        ),
        status,
    )


@account_bp.route("/account")
@signed_in
def index():
    return _page()


@account_bp.route("/account/password", methods=["POST"])
@signed_in
@limiter.limit(PASSWORD_LIMIT, methods=["POST"], deduct_when=lambda r: r.status_code >= 400)
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors = [_("This is not your current password.")]
        else:
            try:
                set_password(
                    current_user,
                    form.new.data,
                    keep_session=current_user.session_key,
                    by=current_user,
                )
            except AccountError as exc:
                form.new.errors = [str(exc)]
            else:
                flash(_("Password changed. Your other sessions have ended."), "success")
                return redirect(url_for("account.index"))
    return _page(400, password_form=form)


@account_bp.route("/account/recovery-codes", methods=["POST"])
@signed_in
def new_recovery_codes():
    if not ActionForm().validate_on_submit():
        return _page(400)
    codes = twofactor.new_recovery_codes(current_user)
    return render_template("auth/recovery_codes.html", codes=codes, target=url_for("account.index"))


@account_bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@signed_in
def end_session(session_id: int):
    if not ActionForm().validate_on_submit() or not staff_sessions.end_one(
        current_user, session_id
    ):
        return _page(404)
    events.emit(events.SESSION_END, current_user, actor=current_user, how="ended_one")
    flash(_("The session has ended."), "success")
    return redirect(url_for("account.index"))


@account_bp.route("/account/sessions/end-others", methods=["POST"])
@signed_in
def end_other_sessions():
    if not ActionForm().validate_on_submit():
        return _page(400)
    ended = staff_sessions.end_all(current_user, keep=current_user.session_key)
    events.emit(events.SESSION_END, current_user, actor=current_user, how="others", count=ended)
    flash(_("Your other sessions have ended."), "success")
    return redirect(url_for("account.index"))
