"""Forms of the duo page: one per move a coordinator can make (Flask-WTF: CSRF on each)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from duo.core.validation import (
    Form,
    meeting_day_field,
    meeting_time_field,
    place_field,
    video_link_field,
)
from duo.duos import states


class StepForm(Form):
    """A move that needs nothing but the coordinator's click (confirmed, active, ...)."""


class StopForm(Form):
    #: The branch's configured reasons (``duos.stop_reasons``); choices set by the view.
    reason_key = SelectField(_l("Reason"), validators=[Optional()])
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


class EndForm(Form):
    """Ending the accompaniment: before the planned end it asks for a confirmation and why."""

    confirm_early = BooleanField(_l("Yes, the duo ends before its planned end"))
    reason = TextAreaField(
        _l("Why does it end early? (needed before the planned end)"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("Keep the reason under %(max)d characters.")),
        ],
    )


def form_for(target: str, at_first_meeting: bool, **kwargs: object) -> Form:
    """The form of the move to ``target``, its fields prefixed with the target (unique ids)."""
    if target == states.ENDED:
        return EndForm(prefix=target, **kwargs)
    if target == states.STOPPED:
        form = StopForm(prefix=target, **kwargs)
        if not at_first_meeting:
            del form.declined_by
        return form
    return StepForm(prefix=target, **kwargs)


# --------------------------------------------------------------------------- steps 5 and 6


class PlanMeetingForm(Form):
    """The coordinator plans the first meeting (date, time, place or video link, who)."""

    day = meeting_day_field(_l("Give the date of the meeting."))
    time = meeting_time_field(_l("Give the time of the meeting."))
    place = place_field()
    video_url = video_link_field()
    coordinator_id = SelectField(_l("Coordinator attending"), coerce=str, validators=[Optional()])


class DecisionForm(Form):
    """Go on or not, after the first meeting (private)."""

    go_on = RadioField(
        _l("Do you want to go on together?"),
        choices=[
            SelectChoice("yes", _l("Yes, I want to go on")),
            SelectChoice("no", _l("No, I do not want to go on")),
        ],
        validators=[InputRequired(message=_l("Choose yes or no."))],
    )
    reason = TextAreaField(
        _l("Anything the coordinator should know? (optional, only the coordinator reads it)"),
        validators=[Optional(), Length(max=2000, message=_l("Keep it under %(max)d characters."))],
    )


class OnBehalfDecisionForm(DecisionForm):
    """The coordinator records one side's decision for them: marked, with why."""

    party = SelectField(
        _l("Decision of"),
        choices=[
            SelectChoice("mentee", _l("the mentee")),
            SelectChoice("mentor", _l("the mentor")),
        ],
        validators=[InputRequired(message=_l("Choose the mentor or the mentee."))],
    )
    on_behalf_reason = TextAreaField(
        _l("Why do you record it for them?"),
        validators=[
            DataRequired(message=_l("Say why you record this decision for them.")),
            Length(max=2000, message=_l("Keep it under %(max)d characters.")),
        ],
    )


class SignForm(Form):
    """A signature: the typed full name and an explicit checkbox."""

    full_name = StringField(
        _l("Your full name"),
        validators=[
            DataRequired(message=_l("Type your full name to sign.")),
            Length(max=200, message=_l("Keep it under %(max)d characters.")),
        ],
    )
    accepted = BooleanField(
        _l("I have read and accept the agreement and the charter"),
        validators=[
            DataRequired(
                message=_l(
                    "Tick the box to say you have read and accept the agreement and the charter."
                )
            )
        ],
    )


class PartyForm(Form):
    """Send a fresh link to, or revoke the links of, the mentee or the mentor."""

    party = SelectField(
        _l("For"),
        choices=[
            SelectChoice("mentee", _l("the mentee")),
            SelectChoice("mentor", _l("the mentor")),
        ],
        validators=[InputRequired()],
    )


class CheckInForm(Form):
    """The weekly one-tap check-in through the link; topics are set per branch.

    ``week`` is the Monday of the week the form was shown for (the check-in is about it).
    """

    week = HiddenField()
    met = RadioField(
        _l("Did you meet this week?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[InputRequired(message=_l("Choose yes or no."))],
    )
    minutes = SelectField(_l("For how long?"), validators=[Optional()])
    topics = SelectMultipleField(_l("What about?"), validators=[Optional()])
    note = TextAreaField(
        _l("Anything to add? (optional)"),
        validators=[Optional(), Length(max=2000, message=_l("Keep it under %(max)d characters."))],
    )
    contact_me = BooleanField(_l("I'd like the coordinator to contact me"))


class LogForm(Form):
    """A coordinator's own check-in: a call, a visit, an intervision, a meeting."""

    kind = SelectField(
        _l("How were you in touch?"),
        choices=[
            SelectChoice("call", _l("call")),
            SelectChoice("visit", _l("visit")),
            SelectChoice("intervision", _l("intervision")),
            SelectChoice("meeting", _l("meeting with the duo")),
        ],
        validators=[InputRequired()],
    )
    note = TextAreaField(
        _l("Note"),
        validators=[
            DataRequired(message=_l("Write a short note.")),
            Length(max=2000, message=_l("Keep it under %(max)d characters.")),
        ],
    )
