"""Marshmallow schemas of the public JSON API (and the source of its OpenAPI description).

Error messages are lazily translated strings: the API renders them in the caller's
language (see :func:`duo.sessions.api.errors_as_json`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, ValidationError, fields, validate

from duo.core.emails import is_email
from duo.core.validation import Schema
from duo.core.vocab.locales import LOCALES
from duo.people import states
from duo.sessions.forms import PHONE, birth_year_error
from duo.sessions.models import ACTIVE, AUDIENCES, CANCELLED, HEARD_FROM

REQUIRED = {"required": _l("This field is required."), "null": _l("This field is required.")}


def _email(value: str) -> None:
    if not is_email(value):
        raise ValidationError(_("Enter a valid e-mail address."))


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError(_("This field is required."))


def _birth_year(value: int) -> None:
    message = birth_year_error(value)
    if message:
        raise ValidationError(message)


def _empty(value: str) -> None:
    if value:
        raise ValidationError(_("Leave this field empty."))


def _at_most(limit: int):
    def check(value: str) -> None:
        if len(value) > limit:
            raise ValidationError(_("Enter at most %(n)s characters.", n=limit))

    check.max_length = limit  # (read by the OpenAPI generator)
    return check


def _optional_string(*, validate: Any = None, description: str | None = None) -> fields.String:
    """A sign-up answer that may be absent or null: the API skips what the form may skip."""
    metadata = {"description": description} if description else {}
    return fields.String(load_default=None, allow_none=True, validate=validate, metadata=metadata)


class BaseSchema(Schema):
    """Messages are translated when the schema is made: make it under force_locale.

    Marshmallow keeps non-``str`` messages as they are (and iterates them when merging),
    so the lazily translated texts declared below become plain strings here.
    """

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": _l("Unknown field."), "type": _l("Send a JSON object.")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages = {k: str(v) for k, v in self.error_messages.items()}
        for field in self.fields.values():
            field.error_messages = {k: str(v) for k, v in field.error_messages.items()}


class SessionSchema(BaseSchema):
    """An upcoming (or past, or cancelled) information session, as the public sees it."""

    id = fields.UUID(dump_only=True)
    starts_at = fields.DateTime(
        dump_only=True, metadata={"description": "Start, with the branch's UTC offset."}
    )
    ends_at = fields.DateTime(dump_only=True)
    timezone = fields.String(dump_only=True, metadata={"description": "IANA zone of the branch."})
    duration_minutes = fields.Integer(dump_only=True)
    language = fields.String(dump_only=True, metadata={"description": "ISO 639-1 code."})
    audience = fields.String(dump_only=True, validate=validate.OneOf(AUDIENCES))
    place = fields.String(dump_only=True, allow_none=True)
    online = fields.Boolean(
        dump_only=True,
        metadata={"description": "Held online; the link is only sent to people with a seat."},
    )
    capacity = fields.Integer(dump_only=True)
    seats_left = fields.Integer(dump_only=True)
    full = fields.Boolean(dump_only=True)
    waitlist = fields.Integer(dump_only=True, metadata={"description": "People waiting."})
    cancelled = fields.Boolean(dump_only=True)
    signup_url = fields.Url(dump_only=True, metadata={"description": "The branch's sign-up page."})


class SignupSchema(BaseSchema):
    """A sign-up for one session, as the organisation's website sends it."""

    session_id = fields.UUID(
        required=True,
        error_messages={**REQUIRED, "invalid_uuid": _l("Choose one of the sessions listed.")},
    )
    audience = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=validate.OneOf(["mentor", "mentee"], error=_l("Choose “mentor” or “mentee”.")),
        metadata={"description": "Whether the person wants to be a mentor or a mentee."},
    )
    first_name = fields.String(
        required=True, error_messages=REQUIRED, validate=[_at_most(100), _not_blank]
    )
    last_name = fields.String(
        required=True, error_messages=REQUIRED, validate=[_at_most(100), _not_blank]
    )
    email = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=[_at_most(254), _email],
        metadata={"format": "email"},
    )
    phone = _optional_string(
        validate=[
            _at_most(40),
            validate.Regexp(PHONE, error=_l("Enter a phone number: digits, spaces and + only.")),
        ],
    )
    birth_year = fields.Integer(
        required=True,
        strict=True,
        error_messages={
            **REQUIRED,
            "invalid": _l("Enter your year of birth as four digits, for example 1990."),
        },
        validate=_birth_year,
    )
    heard_from = _optional_string(
        validate=validate.OneOf(HEARD_FROM, error=_l("Choose one of the answers offered.")),
    )
    waitlist = fields.Boolean(
        load_default=False,
        metadata={"description": "If the session is full, join its waiting list."},
    )
    consent = fields.Boolean(
        required=True,
        error_messages=REQUIRED,
        validate=validate.Equal(True, error=_l("Please agree to the privacy notice to sign up.")),
        metadata={"description": "The person agreed to the privacy notice shown to them."},
    )
    privacy_notice_version = _optional_string(
        description="Version of the notice shown (GET privacy-notice).",
    )
    locale = _optional_string(
        validate=validate.OneOf(LOCALES, error=_l("Choose one of the branch's languages.")),
        description="Language for the messages and mails (en, fr, nl).",
    )
    website = fields.String(
        load_default="",
        validate=_empty,
        metadata={"description": "Leave empty (a trap for robots)."},
    )


class SignupResultSchema(BaseSchema):
    status = fields.String(validate=validate.OneOf(ACTIVE))
    session = fields.Nested(SessionSchema)


class PrivacyNoticeSchema(BaseSchema):
    version = fields.String()
    locale = fields.String()
    paragraphs = fields.List(fields.String())


class PersonSchema(BaseSchema):
    id = fields.UUID()
    role = fields.String(validate=validate.OneOf(["mentor", "mentee"]))
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    phone = fields.String(allow_none=True)
    birth_year = fields.Integer(allow_none=True)
    locale = fields.String()
    state = fields.String(validate=validate.OneOf(states.STATES))


class RegistrationSchema(BaseSchema):
    """A registration with its person: personal data, for the branch's coordinators only."""

    id = fields.UUID()
    status = fields.String(validate=validate.OneOf([*ACTIVE, CANCELLED]))
    attended = fields.Boolean(allow_none=True)
    heard_from = fields.String(allow_none=True)
    registered_at = fields.DateTime()
    promoted_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    person = fields.Nested(PersonSchema)


class ErrorSchema(BaseSchema):
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Messages per field, in the caller's language."},
    )
    message = fields.String()
