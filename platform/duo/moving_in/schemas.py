"""Marshmallow schemas of one row of each move-in file, built per call (messages in the
reader's language, the branch's locales and today known).

Cells arrive as text; empty cells count as absent. A mentor row is a candidates-import row
(:func:`duo.people.schemas.import_row_schema`) with the day the training ended; the
mentee columns of a duo row are validated by that same schema.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask_babel import gettext
from marshmallow import EXCLUDE, ValidationError, fields, pre_load, validate, validates_schema

from duo.core.emails import is_email
from duo.core.i18n import branch_today
from duo.core.validation import Schema
from duo.duos import states as duo_states
from duo.duos.past import PAST_STATES
from duo.evaluation.models import CONTRACTS, JOB, STATUSES
from duo.evaluation.outcomes import POINTS
from duo.people.importing import import_row_schema

_DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")


class Day(fields.Field):
    """A day written ``2024-03-15`` (or ``15/03/2024``, ``15.03.2024``), not after today."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00(:00)?", text):
            text = text[:10]
        for fmt in _DAY_FORMATS:
            try:
                day = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValidationError(gettext("Write a date such as 2024-03-15."))
        if day > branch_today():
            raise ValidationError(gettext("This date is in the future: only the past is imported."))
        return day


def _email(value: str) -> None:
    if not is_email(value):
        raise ValidationError(gettext("Not a valid e-mail address."))


def _required() -> dict[str, str]:
    return {"required": gettext("This column is required.")}


def _email_field(required: bool = True) -> fields.String:
    return fields.String(
        required=required,
        error_messages=_required(),
        validate=[
            validate.Length(max=254, error=gettext("Keep it under %(max)s characters.", max=254)),
            _email,
        ],
    )


def _cleaned(data: dict[str, Any], lower: tuple[str, ...]) -> dict[str, Any]:
    cleaned = {}
    for key, value in data.items():
        text = " ".join(str(value).split()) if value is not None else ""
        if text:
            cleaned[key] = text.lower() if key in lower else text
    return cleaned


def mentor_row_schema(locales: list[str]) -> Schema:
    """A trained mentor: the candidate's columns (the role is mentor) and ``trained_on``."""
    base = type(import_row_schema(locales))

    class MentorRowSchema(base):
        trained_on = Day(required=True, error_messages=_required())

        @pre_load
        def _mentor(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            data = {k: v for k, v in data.items() if k not in ("role", "state")}
            data["role"] = "mentor"
            return data

    return MentorRowSchema()


def mentee_schema(locales: list[str]) -> Schema:
    """The mentee columns of a duo row, read as a candidates-import row of a mentee."""
    return import_row_schema(locales)


def duo_row_schema() -> Schema:
    required = _required()
    past = ", ".join(PAST_STATES)

    class DuoRowSchema(Schema):
        class Meta:
            unknown = EXCLUDE

        mentor_email = _email_field()
        mentee_email = _email_field()
        start = Day(required=True, error_messages=required)
        end = Day()
        state = fields.String(
            required=True,
            error_messages=required,
            validate=validate.OneOf(
                PAST_STATES, error=gettext("Use one of: %(values)s.", values=past)
            ),
        )
        coordinator_email = _email_field(required=False)
        stop_reason = fields.String(
            validate=validate.Length(
                max=500, error=gettext("Keep it under %(max)s characters.", max=500)
            )
        )

        @pre_load
        def _clean(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            data = {
                k: v for k, v in data.items() if not k.startswith("mentee_") or k == "mentee_email"
            }
            return _cleaned(data, ("mentor_email", "mentee_email", "coordinator_email", "state"))

        @validates_schema
        def _dates(self, data: dict[str, Any], **kwargs: Any) -> None:
            start, end, state = data.get("start"), data.get("end"), data.get("state")
            if start and end and end < start:
                raise ValidationError(gettext("The end is before the start."), "end")
            if state == duo_states.ACTIVE and end:
                raise ValidationError(gettext("A running (active) duo has no end date yet."), "end")
            if state in PAST_STATES and state != duo_states.ACTIVE and not end:
                raise ValidationError(gettext("Give the day this duo ended or stopped."), "end")

    return DuoRowSchema()


def outcome_row_schema(follow_up_months: int) -> Schema:
    required = _required()
    points = [p for p in POINTS if p <= follow_up_months]

    class OutcomeRowSchema(Schema):
        class Meta:
            unknown = EXCLUDE

        mentee_email = _email_field()
        duo_start = Day(required=True, error_messages=required)
        months_after = fields.Integer(
            required=True,
            strict=False,
            error_messages={**required, "invalid": gettext("Write a number of months.")},
            validate=validate.OneOf(
                points,
                error=gettext(
                    "Use one of the follow-up points: %(values)s.",
                    values=", ".join(map(str, points)),
                ),
            ),
        )
        outcome = fields.String(
            required=True,
            error_messages=required,
            validate=validate.OneOf(
                STATUSES, error=gettext("Use one of: %(values)s.", values=", ".join(STATUSES))
            ),
        )
        outcome_date = Day()
        contract_type = fields.String(
            validate=validate.OneOf(
                CONTRACTS, error=gettext("Use one of: %(values)s.", values=", ".join(CONTRACTS))
            )
        )
        hours_per_week = fields.Integer(
            strict=False,
            error_messages={"invalid": gettext("Write a number of hours.")},
            validate=validate.Range(
                min=1, max=60, error=gettext("Give the hours per week (1 to 60).")
            ),
        )
        job_started_on = Day()
        note = fields.String(
            validate=validate.Length(
                max=2000, error=gettext("Keep it under %(max)s characters.", max=2000)
            )
        )

        @pre_load
        def _clean(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            return _cleaned(data, ("mentee_email", "outcome", "contract_type"))

        @validates_schema
        def _job(self, data: dict[str, Any], **kwargs: Any) -> None:
            if data.get("outcome") != JOB:
                for key in ("contract_type", "hours_per_week", "job_started_on"):
                    if data.get(key) is not None:
                        raise ValidationError(
                            gettext("Only a job has a contract, hours and a start day."), key
                        )

    return OutcomeRowSchema()
