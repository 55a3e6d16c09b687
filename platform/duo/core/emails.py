"""E-mail addresses: one check for every place an address is typed or read.

Forms, the API, spreadsheet imports, branch config files, staff accounts and calendar
invitations all ask here, so that an address accepted in one place is accepted in all.
The check is email-validator's syntax check without a DNS look-up (a sign-up must not
wait on, or fail with, the network); addresses are stored as they were given.
"""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import EmailField
from wtforms.validators import DataRequired, Length, ValidationError

#: The longest address SMTP carries (RFC 5321 path limit).
MAX_EMAIL_LENGTH = 254


def is_email(value: object) -> bool:
    """Whether ``value`` is a syntactically valid e-mail address (no DNS look-up)."""
    if not isinstance(value, str) or len(value) > MAX_EMAIL_LENGTH:
        return False
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def email_field(label: Any = None) -> EmailField:
    """The e-mail field of a form (sign-up, login): required, checked like everywhere else."""

    def _valid(form: Any, field: Any) -> None:
        if field.data and not is_email(field.data):
            raise ValidationError(_l("Enter a valid e-mail address."))

    return EmailField(
        label or _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            _valid,
            Length(max=MAX_EMAIL_LENGTH),
        ],
    )
