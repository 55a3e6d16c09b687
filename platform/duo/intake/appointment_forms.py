"""Forms of intake appointments: the coordinator's schedule form, the candidate's request.

Dates go through the validation layer (between 1900 and five years ahead); the domain
(:mod:`duo.intake.appointments`) adds "in the future" and "a place or a video link".
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from duo.core.validation import (
    Form,
    meeting_day_field,
    meeting_time_field,
    place_field,
    video_link_field,
)

TIME_FORMAT = "%Y-%m-%dT%H:%M"


class AppointmentForm(Form):
    """When and where the intake takes place, and who holds it."""

    day = meeting_day_field(_l("Give the date of the intake."))
    time = meeting_time_field(_l("Give the time of the intake."))
    minutes = SelectField(
        _l("Length"),
        coerce=int,
        default=60,
        validators=[InputRequired(message=_l("Choose one of the lengths offered."))],
    )
    place = place_field()
    video_url = video_link_field()
    coordinator_id = SelectField(_l("Coordinator"), coerce=str, validators=[Optional()])


class CancelForm(Form):
    """Cancelling a scheduled intake (a button)."""


class OtherTimeForm(Form):
    """The candidate asks for another time: why, and up to two times that suit them."""

    message = TextAreaField(
        _l("Your message to the coordinator"),
        validators=[
            DataRequired(message=_l("Tell the coordinator in a few words why.")),
            Length(max=1000, message=_l("Keep it under %(max)d characters.")),
        ],
    )
    preferred_1 = DateTimeLocalField(
        _l("A time that would suit you (optional)"), validators=[Optional()], format=TIME_FORMAT
    )
    preferred_2 = DateTimeLocalField(
        _l("Another time that would suit you (optional)"),
        validators=[Optional()],
        format=TIME_FORMAT,
    )
