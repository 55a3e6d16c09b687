"""Field types and choice helpers the intake forms are built from.

Yes / no / not known answers (``tri_*``), checkbox lists, free tags, and a language row
(a language and the level it is spoken at); choices carry labels in the current locale.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import ValidationError as FieldError
from wtforms.widgets import CheckboxInput, ListWidget

try:  # WTForms >= 3.3 declares choices as SelectChoice (tuples are deprecated there)
    from wtforms.fields.choices import SelectChoice as _Choice
except ImportError:  # pragma: no cover - older WTForms

    def _Choice(value: str, label: str) -> tuple[str, str]:
        return (value, label)


from duo.core.validation import Form, SubForm
from duo.core.vocab.levels import CEFR_LEVELS
from duo.eligibility.reasons import language_name
from duo.people import vocab

YES, NO, UNKNOWN = "yes", "no", "unknown"
_TRI = {YES: True, NO: False}
LANGUAGE_ROWS = 5
MAX_LANGUAGE_ROWS = 15


def choice(value: str, label: Any) -> Any:
    return _Choice(value, str(label))


def tri_choices() -> list[Any]:
    return [choice(YES, _l("Yes")), choice(NO, _l("No")), choice(UNKNOWN, _l("Not known yet"))]


def tri_value(value: str | None) -> bool | None:
    return _TRI.get(value or "")


def tri_data(value: bool | None) -> str:
    return UNKNOWN if value is None else (YES if value else NO)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def labelled(labels: dict[Any, Any] | Any) -> list[Any]:
    return [choice(str(key), text) for key, text in labels.items()]


class TagsField(StringField):
    """Comma-separated free tags, kept as typed and unique."""

    def pre_validate(self, form: Form) -> None:
        tags = vocab.parse_tags(self.data or "")
        if len(tags) > vocab.MAX_TAGS:
            raise FieldError(_l("Give at most %(max)s entries.", max=vocab.MAX_TAGS))
        if any(len(tag) > vocab.MAX_TAG_LENGTH for tag in tags):
            raise FieldError(
                _l("Keep each entry under %(max)s characters.", max=vocab.MAX_TAG_LENGTH)
            )

    @property
    def tags(self) -> list[str]:
        return vocab.parse_tags(self.data or "")


class LanguageRow(SubForm):
    """One language and the level it is spoken at (a sub-form: no CSRF of its own)."""

    language = SelectField(_l("Language"), choices=[], validate_choice=False)
    level = SelectField(_l("Level"), choices=[], validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "en")
        names = sorted(
            ((code, language_name(code, locale).capitalize()) for code in vocab.LANGUAGES),
            key=lambda item: item[1].lower(),
        )
        self.language.choices = [choice("", "—"), *(choice(c, n) for c, n in names)]
        self.level.choices = [choice("", "—"), *labelled(vocab.LEVEL_LABELS)]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        language, level = self.language.data or "", self.level.data or ""
        if language and language not in vocab.LANGUAGES:
            self.language.errors = [*self.language.errors, str(_l("Choose a language."))]
            ok = False
        if level and level not in CEFR_LEVELS:
            self.level.errors = [*self.level.errors, str(_l("Choose a level."))]
            ok = False
        if language and not level:
            self.level.errors = [*self.level.errors, str(_l("Choose the level for this language."))]
            ok = False
        if level and not language:
            self.language.errors = [*self.language.errors, str(_l("Choose a language."))]
            ok = False
        return ok
