"""Forms: the coordinator's session form, cancel and attendance, and the public sign-up."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from duo.core.db import utcnow
from duo.core.emails import email_field
from duo.core.validation import Form

try:  # WTForms >= 3.3 declares choices as SelectChoice (tuples are deprecated there)
    from wtforms.fields.choices import SelectChoice as choice
except ImportError:  # pragma: no cover - older WTForms

    def choice(value: str, label: object) -> tuple[str, object]:
        return (value, label)


from duo.sessions.domain import MAX_CAPACITY, MAX_DURATION, MIN_CAPACITY, MIN_DURATION

#: 6 to 40 characters in all (the column holds 40), an optional leading +.
PHONE = re.compile(r"^(?=.{6,40}$)\+?[0-9 ()./-]+$")
#: Youngest and oldest ages a sign-up may give (a typo guard, not an eligibility rule).
MIN_AGE, MAX_AGE = 15, 100


def birth_year_error(value: object) -> str | None:
    """None if ``value`` is a plausible year of birth, else the message to show."""
    year = utcnow().year
    text = str(value or "").strip()
    if not text:
        return str(_l("Enter your year of birth."))
    if not (text.isdigit() and len(text) == 4 and year - MAX_AGE <= int(text) <= year - MIN_AGE):
        return str(_l("Enter your year of birth as four digits, for example 1990."))
    return None


def _birth_year(form: Form, field: StringField) -> None:
    message = birth_year_error(field.data)
    if message:
        raise ValidationError(message)


def _honeypot(form: Form, field: StringField) -> None:
    if field.data:
        raise ValidationError(_l("Leave this field empty."))


def _bounded_integer(
    label: object,
    default: int,
    bounds: tuple[int, int],
    *,
    required: object,
    out_of_range: object,
) -> IntegerField:
    """A required whole number within the domain's bounds, so the form refuses what the
    model would (the bounds live in :mod:`duo.sessions.domain`)."""
    low, high = bounds
    return IntegerField(
        label,
        default=default,
        validators=[
            InputRequired(message=required),
            NumberRange(min=low, max=high, message=out_of_range),
        ],
    )


class SessionForm(Form):
    start_date = DateField(
        _l("Date"), validators=[InputRequired(message=_l("Enter the date of the session."))]
    )
    start_time = TimeField(
        _l("Start time"),
        validators=[InputRequired(message=_l("Enter the time the session starts."))],
    )
    duration_minutes = _bounded_integer(
        _l("Duration (minutes)"),
        90,
        (MIN_DURATION, MAX_DURATION),
        required=_l("Enter the duration in minutes."),
        out_of_range=_l("Enter a duration between %(min)s and %(max)s minutes."),
    )
    place = StringField(_l("Place (address)"), validators=[Optional(), Length(max=300)])
    online_url = URLField(_l("Online link (video call)"), validators=[Optional(), Length(max=500)])
    language = SelectField(_l("Language of the session"))
    audience = SelectField(
        _l("For whom"),
        choices=[
            choice("both", _l("Mentors and mentees")),
            choice("mentors", _l("Future mentors")),
            choice("mentees", _l("Future mentees")),
        ],
    )
    capacity = _bounded_integer(
        _l("Capacity (seats)"),
        20,
        (MIN_CAPACITY, MAX_CAPACITY),
        required=_l("Enter the number of seats."),
        out_of_range=_l("Enter a capacity between %(min)s and %(max)s."),
    )
    details = TextAreaField(
        _l("Practical details (optional, sent to registrants)"),
        validators=[Optional(), Length(max=2000)],
    )


class CancelSessionForm(Form):
    reason = TextAreaField(
        _l("Message to the registrants (optional)"), validators=[Optional(), Length(max=1000)]
    )


class AttendanceForm(Form):
    """Only the CSRF token: the ticked boxes are read from the request as a list."""


class CancelRegistrationForm(Form):
    """The registrant's "yes, cancel" button (CSRF only)."""


class JoinForm(Form):
    audience = RadioField(
        _l("I would like to"),
        choices=[
            choice(
                "mentor",
                _l("become a mentor: I am 50 or older and want to coach a young jobseeker"),
            ),
            choice("mentee", _l("be coached by a mentor: I am young and looking for a job")),
        ],
        validators=[
            InputRequired(message=_l("Tell us whether you want to be a mentor or a mentee."))
        ],
    )
    session = RadioField(
        _l("Information session"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose one of the sessions listed."))],
    )
    waitlist = BooleanField(_l("If this session is full, put me on its waiting list."))
    first_name = StringField(
        _l("First name"),
        validators=[DataRequired(message=_l("Enter your first name.")), Length(max=100)],
    )
    last_name = StringField(
        _l("Last name"),
        validators=[DataRequired(message=_l("Enter your last name.")), Length(max=100)],
    )
    email = email_field()
    phone = TelField(
        _l("Phone number (optional)"),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(PHONE, message=_l("Enter a phone number: digits, spaces and + only.")),
        ],
    )
    birth_year = StringField(_l("Year of birth"), validators=[_birth_year])
    heard_from = SelectField(
        _l("How did you hear of DUO for a JOB? (optional)"), validators=[Optional()]
    )
    consent = BooleanField(
        _l("I have read the privacy notice and agree that my data is used as it describes."),
        validators=[DataRequired(message=_l("Please agree to the privacy notice to sign up."))],
    )
    #: Honeypot: hidden from people (and from screen readers); bots fill in every field.
    website = StringField(_l("Leave this field empty"), validators=[_honeypot])


def add_error(form: Form, field: str | None, message: str) -> None:
    """Put a domain message at its field, or at the top of the form when it has none."""
    target = getattr(form, field, None) if field else None
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)
