"""Marshmallow schema of one spreadsheet row of the candidates import.

The schema is built per call (:func:`import_row_schema`) so that its messages are written
in the coordinator's current language and it knows the branch's locales. Cells arrive as
text; empty cells count as absent. Lists in a cell are separated by ``;`` or ``,``
(``fr:C2; nl:B1`` for languages, ``it; logistics`` for sectors).
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext
from marshmallow import (
    EXCLUDE,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from duo.core.emails import is_email
from duo.core.i18n import branch_today
from duo.core.validation import Schema
from duo.core.vocab.levels import normalise_level
from duo.people import states, vocab
from duo.people.models import MENTEE, MENTOR

#: Columns every file must have, and those it may have (the template CSV lists them all).
REQUIRED_COLUMNS: tuple[str, ...] = ("role", "first_name", "last_name", "email")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "phone",
    "language",
    "birth_year",
    "postcode",
    "languages",
    "sectors",
    "state",
)
COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

#: Where an imported candidate may start: before the intake (the intake decides eligibility).
IMPORT_STATES: tuple[str, ...] = (states.REGISTERED, states.ATTENDED)

_LIST_SPLIT = re.compile(r"[;,]+")
_PHONE = re.compile(r"^(?=.{6,40}$)\+?[0-9 ()./\-]+$")  # 40: the column
_POSTCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{1,15}$")
_ROLE_WORDS = {"mentor": MENTOR, "mentee": MENTEE, "mentoré": MENTEE, "mentorée": MENTEE}


class _Languages(fields.Field):
    """``fr:C2; nl:B1`` -> {"fr": "C2", "nl": "B1"}."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict:
        out: dict[str, str] = {}
        for part in _LIST_SPLIT.split(str(value)):
            part = part.strip()
            if not part:
                continue
            code, sep, level = part.partition(":")
            code = code.strip().lower()
            normalised = normalise_level(level)
            if not sep or not vocab.is_language_code(code) or normalised is None:
                raise ValidationError(
                    gettext(
                        "“%(value)s” is not a language with a level; write e.g. fr:B2; nl:C1.",
                        value=part,
                    )
                )
            out[code] = normalised
        return out


class _Keys(fields.Field):
    """``it; logistics`` -> ["it", "logistics"], each a known key."""

    def __init__(self, known: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.known = known

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list:
        keys: list[str] = []
        for part in _LIST_SPLIT.split(str(value)):
            key = part.strip().lower().replace(" ", "_")
            if not key:
                continue
            if key not in self.known:
                raise ValidationError(
                    gettext(
                        "Unknown sector “%(value)s”; use one of: %(known)s.",
                        value=part.strip(),
                        known=", ".join(self.known),
                    )
                )
            if key not in keys:
                keys.append(key)
        return keys


def _email(value: str) -> None:
    if not is_email(value):
        raise ValidationError(gettext("Not a valid e-mail address."))


def import_row_schema(locales: list[str]) -> Schema:
    """A schema for one row, with messages in the current language."""
    required = {"required": gettext("This column is required.")}
    this_year = branch_today().year

    class ImportRowSchema(Schema):
        class Meta:
            unknown = EXCLUDE

        role = fields.String(
            required=True,
            error_messages=required,
            validate=validate.OneOf([MENTOR, MENTEE], error=gettext("Write mentor or mentee.")),
        )
        first_name = fields.String(
            required=True,
            error_messages=required,
            validate=validate.Length(
                max=100, error=gettext("Keep it under %(max)s characters.", max=100)
            ),
        )
        last_name = fields.String(
            required=True,
            error_messages=required,
            validate=validate.Length(
                max=100, error=gettext("Keep it under %(max)s characters.", max=100)
            ),
        )
        email = fields.String(
            required=True,
            error_messages=required,
            validate=[
                validate.Length(
                    max=254, error=gettext("Keep it under %(max)s characters.", max=254)
                ),
                _email,
            ],
        )
        phone = fields.String(
            validate=validate.Regexp(_PHONE, error=gettext("Not a valid phone number."))
        )
        language = fields.String(
            load_default=locales[0],
            validate=validate.OneOf(
                locales,
                error=gettext(
                    "Use one of the branch's languages: %(codes)s.", codes=", ".join(locales)
                ),
            ),
        )
        birth_year = fields.Integer(
            strict=False,
            error_messages={"invalid": gettext("Write a year such as 1990.")},
            validate=validate.Range(
                min=1900,
                max=this_year,
                error=gettext("Write a year between 1900 and %(max)s.", max=this_year),
            ),
        )
        postcode = fields.String(
            validate=validate.Regexp(_POSTCODE, error=gettext("Not a valid postcode."))
        )
        languages = _Languages()
        sectors = _Keys(vocab.SECTORS)
        state = fields.String(
            load_default=states.REGISTERED,
            validate=validate.OneOf(
                IMPORT_STATES,
                error=gettext("Use one of: %(values)s.", values=", ".join(IMPORT_STATES)),
            ),
        )

        @pre_load
        def _clean(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            cleaned = {}
            for key, value in data.items():
                text = " ".join(str(value).split()) if value is not None else ""
                if text:
                    cleaned[key] = text
            if "role" in cleaned:
                cleaned["role"] = _ROLE_WORDS.get(cleaned["role"].lower(), cleaned["role"])
            for key in ("language", "state", "email"):
                if key in cleaned:
                    cleaned[key] = cleaned[key].lower()
            if "birth_year" in cleaned and re.fullmatch(r"\d{4}\.0+", cleaned["birth_year"]):
                cleaned["birth_year"] = cleaned["birth_year"].split(".")[0]
            return cleaned

        @validates_schema
        def _one_target_sector(self, data: dict[str, Any], **kwargs: Any) -> None:
            if data.get("role") == MENTEE and len(data.get("sectors") or []) > 1:
                raise ValidationError(
                    gettext("A mentee has one target sector; keep only one."), "sectors"
                )

    return ImportRowSchema()
