"""One place that says what text and dates the platform accepts, for forms and APIs alike.

Bad input must get a clear message at the field and never reach the database: a NUL byte
makes PostgreSQL fail the whole statement (a 500, and the parameters in the error log),
a date in year 9999 overflows the first ``+ timedelta`` that follows it, and a value made
only of spaces looks filled in but shows as empty.

Every WTForms form derives from :class:`Form` (or :class:`SubForm` for a form nested in a
``FormField``) and every marshmallow schema from :class:`Schema`; a test walks all
subclasses of ``FlaskForm``, ``wtforms.Form`` and ``marshmallow.Schema`` to hold the code
to that. Both apply the same checks, without each field having to ask for them:

* text: no control characters (tab, and new lines in multi-line fields, aside), at most
  :data:`DEFAULT_MAX_LENGTH` characters unless the field says less (a field saves into a
  column: give it ``Length(max=<the column's length>)``), leading and trailing spaces
  removed, so a value of only spaces counts as empty and a required one is refused;
* dates and datetimes: between :data:`EARLIEST` and :data:`YEARS_AHEAD` years from the
  clock's today; :func:`not_before` checks a date against the one it follows.

The request guard (:func:`init_app`) refuses control characters in the query string and
the URL's own values (a token, a search term) before any view reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from flask import Flask, abort, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import Schema as _MarshmallowSchema
from marshmallow import ValidationError as SchemaValidationError
from marshmallow import pre_load, validates_schema
from wtforms import Form as _WTForm
from wtforms import widgets
from wtforms.fields import (
    BooleanField,
    DateField,
    DateTimeField,
    DateTimeLocalField,
    FieldList,
    FileField,
    FormField,
    PasswordField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import URL, InputRequired, Length, Optional, ValidationError

from duo.core.db import utcnow
from duo.core.widgets import QuickSelect

#: Every control character but tab; new lines (CR, LF) are allowed in multi-line text only.
_CONTROL_SINGLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]")
_CONTROL_MULTI = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Longest text a field takes when it does not say; multi-line fields have their own cap.
DEFAULT_MAX_LENGTH = 300
DEFAULT_MAX_MULTILINE = 4000
#: Dates before this are typos (the oldest participants were born after 1920).
EARLIEST = date(1900, 1, 1)
#: Nothing is planned further ahead than this: a later date is a typo, not a plan.
YEARS_AHEAD = 5

CONTROL_MESSAGE = _l("Remove the invisible control characters from this text.")
LENGTH_MESSAGE = _l("Enter at most %(n)s characters.")
DATE_MESSAGE = _l("Enter a date between %(earliest)s and %(latest)s.")


def latest_date() -> date:
    """The last date anyone may plan for: :data:`YEARS_AHEAD` years after the clock's today."""
    today = utcnow().date()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def text_error(value: str, *, multiline: bool = False, max_length: int | None = None) -> str | None:
    """The message for a text that may not be stored, or None when it is fine."""
    pattern = _CONTROL_MULTI if multiline else _CONTROL_SINGLE
    if pattern.search(value):
        return str(CONTROL_MESSAGE)
    limit = max_length or (DEFAULT_MAX_MULTILINE if multiline else DEFAULT_MAX_LENGTH)
    if len(value) > limit:
        return gettext("Enter at most %(n)s characters.", n=limit)
    return None


def date_error(value: date | datetime) -> str | None:
    """The message for a date outside what the programme can mean, or None."""
    day = value.date() if isinstance(value, datetime) else value
    latest = latest_date()
    if EARLIEST <= day <= latest:
        return None
    return gettext(
        "Enter a date between %(earliest)s and %(latest)s.",
        earliest=EARLIEST.isoformat(),
        latest=latest.isoformat(),
    )


def has_control_characters(value: str) -> bool:
    """True for text with a character no single-line value may hold (a NUL, a new line)."""
    return bool(_CONTROL_SINGLE.search(value))


# --------------------------------------------------------------------------- WTForms


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _declared_max(field: Any) -> int | None:
    limits = [getattr(v, "max", -1) for v in field.validators if type(v).__name__ == "Length"]
    limits = [n for n in limits if n is not None and n >= 0]
    return min(limits) if limits else None


class _SafeText:
    """Refuses control characters and over-long text in any field's string value(s)."""

    def __init__(self, multiline: bool, max_length: int | None) -> None:
        self.multiline = multiline
        self.max_length = max_length

    def __call__(self, form: Any, field: Any) -> None:
        values = field.data if isinstance(field.data, list | tuple) else [field.data]
        for raw in [*values, *(field.raw_data or [])]:
            if isinstance(raw, str):
                message = text_error(raw, multiline=self.multiline, max_length=self.max_length)
                if message:
                    raise ValidationError(message)


class _BoundedDate:
    def __call__(self, form: Any, field: Any) -> None:
        if isinstance(field.data, date):
            message = date_error(field.data)
            if message:
                raise ValidationError(message)


def not_before(other: str, message: str | Any) -> Any:
    """A validator: this date (or time) may not come before the field named ``other``."""

    def check(form: Any, field: Any) -> None:
        earlier = form[other].data
        if field.data is not None and earlier is not None and field.data < earlier:
            raise ValidationError(str(message))

    return check


class _Meta:
    """Added to every field as it is bound to a form: the checks of this module."""

    def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
        field = unbound_field.bind(form=form, **options)
        if type(field.widget) is widgets.Select:  # same HTML, written faster
            field.widget = QuickSelect(multiple=field.widget.multiple)
        if isinstance(field, FileField | BooleanField | FormField | FieldList):
            return field
        extra: list[Any] = []
        if isinstance(field, DateField | DateTimeField | DateTimeLocalField):
            extra.append(_BoundedDate())
        else:
            multiline = isinstance(field, TextAreaField)
            extra.append(_SafeText(multiline, _declared_max(field)))
            if isinstance(field, StringField) and not isinstance(field, PasswordField):
                field.filters = (*field.filters, _strip)
        # first, so that an ``Optional()`` that stops the chain cannot skip them
        field.validators = [*extra, *field.validators]
        return field


class Form(FlaskForm):
    """The base of every page form (CSRF from Flask-WTF, checks from this module)."""

    class Meta(_Meta):
        pass


def place_field() -> Any:
    """Where a meeting takes place (optional; a form asks for a place or a video link)."""
    return StringField(
        _l("Place"),
        validators=[Optional(), Length(max=300, message=_l("Keep it under %(max)d characters."))],
    )


def video_link_field() -> Any:
    """The video link of an online meeting: a full web address, within its column."""
    return StringField(
        _l("Video link"),
        validators=[
            Optional(),
            Length(max=500, message=_l("Keep it under %(max)d characters.")),
            URL(message=_l("Give a full web address (https://...).")),
        ],
    )


def meeting_day_field(missing: Any) -> Any:
    """The day of a meeting, required; ``missing`` asks for it in the form's words."""
    return DateField(_l("Date"), validators=[InputRequired(message=missing)], format="%Y-%m-%d")


def meeting_time_field(missing: Any) -> Any:
    """The time of a meeting (hours and minutes), required like its day."""
    return TimeField(_l("Time"), validators=[InputRequired(message=missing)], format="%H:%M")


class SubForm(_WTForm):
    """The base of a form nested in another through ``FormField`` (no CSRF of its own)."""

    class Meta(_Meta):
        pass


# --------------------------------------------------------------------------- marshmallow


def _bad_strings(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_CONTROL_MULTI.search(value))
    if isinstance(value, Mapping):
        return any(_bad_strings(k) or _bad_strings(v) for k, v in value.items())
    if isinstance(value, Iterable) and not isinstance(value, bytes):
        return any(_bad_strings(v) for v in value)
    return False


def _bad_dates(value: Any) -> str | None:
    if isinstance(value, date):
        return date_error(value)
    if isinstance(value, list | tuple):
        return next((m for m in map(_bad_dates, value) if m), None)
    return None


class Schema(_MarshmallowSchema):
    """The base of every marshmallow schema: control characters and far dates refused.

    Text fields should also give their column's length (``validate.Length(max=...)``).
    """

    @pre_load
    def _refuse_control_characters(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, Mapping):
            errors = {
                str(key): [str(CONTROL_MESSAGE)]
                for key, value in data.items()
                if _bad_strings(key) or _bad_strings(value)
            }
            if errors:
                raise SchemaValidationError(errors)
        return data

    @validates_schema
    def _refuse_far_dates(self, data: Any, **kwargs: Any) -> None:
        if isinstance(data, Mapping):
            errors = {}
            for key, value in data.items():
                message = _bad_dates(value)
                if message:
                    field = self.fields.get(key)
                    errors[(field.data_key if field and field.data_key else key)] = [message]
            if errors:
                raise SchemaValidationError(errors)


# --------------------------------------------------------------------------- requests


#: The description of the 400 a URL with a control character gets (an API says why).
CONTROL_CHARACTERS = "control characters in the URL"


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_control_characters_in_url() -> None:
        """A token or search term with a NUL would reach the database: refuse it here."""
        values = [text for pair in request.args.items(multi=True) for text in pair]
        values += [v for v in (request.view_args or {}).values() if isinstance(v, str)]
        if any(has_control_characters(v) for v in values):
            abort(400, description=CONTROL_CHARACTERS)
