"""Forms of the training pages (Flask-WTF: CSRF on every form).

Field names are stable: browser tests and the lead's documentation rely on them. Choices
that depend on the branch (modules, workshops, people, sessions) are filled in by the view
before validation.
"""

from __future__ import annotations

from typing import Any

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from duo.core.validation import Form

MODULES_CHOICE = "modules"
WORKSHOP_PREFIX = "workshop:"


class CheckboxListField(SelectMultipleField):
    """Several checkboxes with one name; the template renders them in a fieldset."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:  # noqa: ANN001
        # The base class refuses an empty list as "not a valid choice": the form's own
        # validation says what is missing, at the field, in the coordinator's words.
        values = self.data or []
        valid = {str(value) for value, *_ in self.iter_choices()}
        if any(str(v) not in valid for v in values):
            raise ValidationError(self.gettext("Not a valid choice."))


def weekday_choices() -> list[tuple[int, str]]:
    names = get_day_names("wide", locale=str(get_locale() or "en"))
    return [(day, names[day].capitalize()) for day in range(7)]


# Fields that several forms ask the same way.


def _cycle_name(**kwargs: Any) -> StringField:
    return StringField(
        _l("Name of the cycle"),
        validators=[DataRequired(message=_l("Give the cycle a name.")), Length(max=200)],
        **kwargs,
    )


def _starts_at() -> TimeField:
    return TimeField(
        _l("Starts at"), validators=[InputRequired(message=_l("Enter a time, e.g. 18:00."))]
    )


def _ends_at() -> TimeField:
    return TimeField(
        _l("Ends at"), validators=[InputRequired(message=_l("Enter a time, e.g. 21:00."))]
    )


def _place(**kwargs: Any) -> StringField:
    return StringField(
        _l("Place or video link"), validators=[Optional(), Length(max=300)], **kwargs
    )


def _places_per_session(description: Any) -> IntegerField:
    return IntegerField(
        _l("Places per session"),
        validators=[
            Optional(),
            NumberRange(min=1, max=500, message=_l("Enter a number from 1 to 500.")),
        ],
        description=description,
    )


class CycleForm(Form):
    title = _cycle_name(description=_l("For example: Mentor training, spring 2026"))
    content = SelectField(_l("What is planned"), validators=[DataRequired()])
    modules = CheckboxListField(_l("Modules"), coerce=str)
    start_date = DateField(
        _l("First possible day"),
        validators=[InputRequired(message=_l("Enter a date (day, month, year)."))],
    )
    weekdays = CheckboxListField(_l("Days of the week"), coerce=int)
    start_time = _starts_at()
    end_time = _ends_at()
    every_weeks = IntegerField(
        _l("Every how many weeks"),
        default=1,
        validators=[
            InputRequired(message=_l("Enter a number of weeks.")),
            NumberRange(min=1, max=52, message=_l("Enter a number from 1 to 52.")),
        ],
    )
    count = IntegerField(
        _l("Number of sessions"),
        validators=[
            Optional(),
            NumberRange(min=1, max=100, message=_l("Enter a number from 1 to 100.")),
        ],
        description=_l("Leave empty for one session per module."),
    )
    location = _place()
    capacity = _places_per_session(
        _l("Leave empty for no limit. Beyond it, people go on a waiting list.")
    )

    def __init__(self, *args, modules=(), workshops=(), locale="en", **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.content.choices = [(MODULES_CHOICE, str(_l("Mentor training modules")))] + [
            (f"{WORKSHOP_PREFIX}{w.key}", w.title(locale)) for w in workshops
        ]
        self.modules.choices = [(m.key, m.title(locale)) for m in modules]
        self.weekdays.choices = weekday_choices()

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        if self.content.data == MODULES_CHOICE and not self.modules.data:
            self.modules.errors = [*self.modules.errors, str(_l("Choose at least one module."))]
            ok = False
        if (
            self.content.data
            and self.content.data.startswith(WORKSHOP_PREFIX)
            and not self.count.errors
            and self.count.data is None
        ):
            self.count.errors = [*self.count.errors, str(_l("Enter the number of sessions."))]
            ok = False
        return ok


class CycleSettingsForm(Form):
    title = _cycle_name()
    location = _place()
    capacity = _places_per_session(_l("Leave empty for no limit."))


class MoveForm(Form):
    date = DateField(
        _l("New date"), validators=[InputRequired(message=_l("Enter a date (day, month, year)."))]
    )
    start_time = _starts_at()
    end_time = _ends_at()
    location = _place(description=_l("Leave empty to keep the cycle's place."))


class CancelForm(Form):
    reason = TextAreaField(
        _l("Reason (sent to the participants)"), validators=[Optional(), Length(max=500)]
    )


class EnrolForm(Form):
    person_id = SelectField(_l("Person"), validators=[DataRequired(message=_l("Choose a person."))])
    session_id = SelectField(_l("Enrol in"), default="")


class AttendanceForm(Form):
    present = CheckboxListField(_l("Present"), coerce=str)


class ActionForm(Form):
    """A button that changes something: CSRF only."""
