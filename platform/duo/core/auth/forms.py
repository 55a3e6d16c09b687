"""Forms of the staff login (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from duo.core.validation import Form


class LoginForm(Form):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=200)],
    )
    next = HiddenField()
