"""The language switcher: a small POST form in every page's header."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_login import current_user

from duo.core.auth.access import public
from duo.core.db import db
from duo.core.vocab.locales import LOCALES

bp = Blueprint("i18n", __name__)


@bp.route("/language", methods=["POST"])
@public
def set_language():
    code = request.form.get("locale", "")
    if code not in LOCALES:
        abort(400)
    session["locale"] = code
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.flush()
    target = request.form.get("next") or url_for("home")
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        target = url_for("home")
    return redirect(target)
