"""Forms of the staff login, two-factor steps and account page (CSRF on every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from duo.core.auth.passwords import MAX_LENGTH
from duo.core.emails import email_field
from duo.core.validation import Form


class LoginForm(Form):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=MAX_LENGTH)],
    )
    next = HiddenField(validators=[Length(max=2000)])


class CodeForm(Form):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=40)],
    )


class EnrolForm(Form):
    code = StringField(
        _l("Six-digit code shown by the app"),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=12)],
    )


class PasswordChangeForm(Form):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=MAX_LENGTH)],
    )
    new = PasswordField(
        _l("New password"),
        description=_l(
            "At least 8 characters; a few unrelated words make a good password. "
            "Common passwords are refused."
        ),
        validators=[DataRequired(message=_l("Enter the new password.")), Length(max=MAX_LENGTH)],
    )
    repeat = PasswordField(
        _l("New password, again"),
        validators=[EqualTo("new", message=_l("The two new passwords differ."))],
    )


class ForgotForm(Form):
    email = email_field()


class ResetForm(Form):
    new = PasswordChangeForm.new
    repeat = PasswordChangeForm.repeat


class ActionForm(Form):
    """A button that only needs its CSRF token."""
