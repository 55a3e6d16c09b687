"""Forms of the matching session page (Flask-WTF: CSRF on every POST).

A pair travels as ``"<mentee uuid>:<mentor uuid>"``; a constraint as
``"lock:<mentee uuid>:<mentor uuid>"`` or ``"exclude:..."``, the value of the button that
was pressed, so one form can hold a button per row without nesting forms.
"""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from wtforms import Field, HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from duo.core.validation import Form
from duo.matching.models import KINDS

Pair = tuple[uuid.UUID, uuid.UUID]

_BAD_PAIR = _l("This request names a pair that could not be read. Reload the page and try again.")


def pair_key(mentee_id: object, mentor_id: object) -> str:
    return f"{mentee_id}:{mentor_id}"


def parse_pair(value: str) -> Pair:
    mentee, _, mentor = (value or "").strip().partition(":")
    try:
        return uuid.UUID(mentee), uuid.UUID(mentor)
    except ValueError:
        raise ValueError(str(_BAD_PAIR)) from None


class PairListField(Field):
    """Every submitted value of one name (checkboxes, hidden inputs), parsed as pairs."""

    def _value(self) -> str:
        return ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = []
        pairs: list[Pair] = []
        for value in valuelist:
            if not value:
                continue
            pairs.append(parse_pair(value))  # a ValueError becomes a field error
        self.data = pairs


#: The highest page number a form may name (a session of a million pairs, fifty a page).
MAX_PAGE = 20_000


def page_field() -> IntegerField:
    """The page of pairs the coordinator was on: the redirect after a decision goes back there."""
    return IntegerField(
        _l("Page"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_PAGE, message=_l("This page of pairs does not exist.")),
        ],
    )


class StartSessionForm(Form):
    """Start (or re-open) the branch's matching session: nothing to fill in."""


class CloseSessionForm(Form):
    """Close the session: its locks and exclusions are kept for the record."""


class AcceptForm(Form):
    """Accept one pair (``accept_one``), the ticked ones (``pair``) or all suggested ones."""

    pair = PairListField(_l("Selected duos"))
    suggested = PairListField(_l("Suggested duos"))
    accept_one = HiddenField()
    action = HiddenField()
    page = page_field()

    def chosen(self) -> list[Pair]:
        """The pairs to accept, according to the button pressed."""
        if self.accept_one.data:
            return [parse_pair(self.accept_one.data)]
        if self.action.data == "all":
            return list(self.suggested.data or [])
        return list(self.pair.data or [])

    def validate_accept_one(self, field: HiddenField) -> None:
        if field.data:
            try:
                parse_pair(field.data)
            except ValueError as exc:
                raise ValidationError(str(exc)) from None


class ConstraintForm(Form):
    """Lock or exclude one pair: the value of the row's button."""

    constraint = StringField(
        _l("Pair to lock or exclude"),
        validators=[DataRequired(message=_l("Choose a pair to lock or exclude."))],
    )
    page = page_field()

    def validate_constraint(self, field: StringField) -> None:
        kind, _, rest = (field.data or "").partition(":")
        if kind not in KINDS:
            raise ValidationError(_l("Choose to lock or to exclude the pair."))
        try:
            parse_pair(rest)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def parsed(self) -> tuple[str, Pair]:
        kind, _, rest = self.constraint.data.partition(":")
        return kind, parse_pair(rest)


class RemoveConstraintForm(Form):
    """Lift a lock or an exclusion."""

    page = page_field()
