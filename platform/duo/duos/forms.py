"""Forms of the duo page: one per move a coordinator can make (Flask-WTF: CSRF on each)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from duo.core.validation import Form
from duo.duos import states


class StepForm(Form):
    """A move that needs nothing but the coordinator's click (confirmed, active, ...)."""


class FirstMeetingForm(Form):
    first_meeting_on = DateField(
        _l("Date of the first meeting (optional)"),
        validators=[Optional()],
        format="%Y-%m-%d",
    )


class StopForm(Form):
    reason = TextAreaField(
        _l("Why does the duo stop?"),
        validators=[
            DataRequired(message=_l("Say why the duo stops.")),
            Length(max=2000, message=_l("Keep the reason under %(max)d characters.")),
        ],
    )
    declined_by = SelectField(
        _l("Declined at the first meeting by"),
        choices=[SelectChoice("", _l("nobody: stopped for another reason"))]
        + [SelectChoice(key, label) for key, label in states.DECLINED_BY.items()],
        default="",
        validators=[Optional()],
    )


def form_for(target: str, at_first_meeting: bool, **kwargs: object) -> Form:
    """The form of the move to ``target``, its fields prefixed with the target (unique ids)."""
    if target == states.FIRST_MEETING:
        return FirstMeetingForm(prefix=target, **kwargs)
    if target == states.STOPPED:
        form = StopForm(prefix=target, **kwargs)
        if not at_first_meeting:
            del form.declined_by
        return form
    return StepForm(prefix=target, **kwargs)
