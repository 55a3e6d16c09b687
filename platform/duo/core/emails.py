"""E-mail addresses: one check for every place an address is typed or read.

Forms, the API, spreadsheet imports, branch config files, staff accounts and calendar
invitations all ask here, so that an address accepted in one place is accepted in all.
The check is email-validator's syntax check without a DNS look-up (a sign-up must not
wait on, or fail with, the network); addresses are stored as they were given.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

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
