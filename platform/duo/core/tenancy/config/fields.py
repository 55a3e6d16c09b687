"""Strict marshmallow field types for the tenant config files.

The files are written by people, so nothing is coerced (``"18"`` is not 18, ``1`` is not
``true``) and marshmallow's English default messages are replaced by ours, translated when
raised.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_babel import gettext
from marshmallow import ValidationError, fields

from duo.core.tenancy.config.validators import listed, missing
from duo.core.tenancy.config.vocabulary import SUPPORTED_LOCALES

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Messages:
    """Replace marshmallow's built-in messages with ours, translated when raised."""

    def make_error(self, key: str, **kwargs: Any) -> ValidationError:
        if key == "required":
            return ValidationError(missing())
        if key == "null":
            return ValidationError(gettext("must not be empty"))
        if key == "invalid" and isinstance(self, fields.List):
            return ValidationError(gettext("must be a list"))
        return super().make_error(key, **kwargs)


class Text(_Messages, fields.Field):
    """A non-empty string, never coerced from another type."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise ValidationError(gettext("must be text"))
        if not value.strip():
            raise ValidationError(gettext("must not be empty"))
        return value


class Integer(_Messages, fields.Field):
    """A whole number (TOML integer); booleans and floats are refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(gettext("must be a whole number"))
        return value


class Number(_Messages, fields.Field):
    """An integer or a float; booleans and strings are refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(gettext("must be a number"))
        return value


class Boolean(_Messages, fields.Field):
    """``true`` or ``false``, nothing else."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(gettext("must be true or false"))
        return value


class Date(_Messages, fields.Field):
    """A calendar date: a TOML date (``2026-12-24``) or an ISO string (``"2026-12-24"``)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and _DATE_RE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ValidationError(
            gettext("%(value)s is not a valid date (YYYY-MM-DD)", value=str(value))
        )


class Translations(_Messages, fields.Field):
    """A table locale -> text, e.g. ``{ en = "Brussels", fr = "Bruxelles" }``."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> dict[str, str]:
        if not isinstance(value, dict):
            raise ValidationError(gettext("must be a table of translations (en, fr, nl)"))
        if not value:
            raise ValidationError(gettext("needs at least one translation"))
        errors: dict[str, list[str]] = {}
        for locale, text in value.items():
            if locale not in SUPPORTED_LOCALES:
                errors[locale] = [
                    gettext(
                        "unsupported locale %(value)s; choose from: %(choices)s",
                        value=locale,
                        choices=listed(SUPPORTED_LOCALES),
                    )
                ]
            elif not isinstance(text, str) or not text.strip():
                errors[locale] = [gettext("must be non-empty text")]
        if errors:
            raise ValidationError(errors)
        return dict(value)


class List(_Messages, fields.List):
    """A list; with ``non_empty`` an empty list is refused, with ``unique`` a repeat is."""

    def __init__(
        self, inner: Any, *, non_empty: bool = False, unique: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(inner, **kwargs)
        self.non_empty = non_empty
        self.unique = unique

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list:
        if not isinstance(value, list | tuple):
            raise ValidationError(gettext("must be a list"))
        if self.non_empty and not value:
            raise ValidationError(gettext("must not be empty"))
        result = super()._deserialize(value, attr, data, **kwargs)
        if self.unique:
            seen: list[Any] = []
            errors: dict[int, list[str]] = {}
            for index, item in enumerate(result):
                if item in seen:
                    errors[index] = [gettext("%(value)s is listed twice", value=item)]
                seen.append(item)
            if errors:
                raise ValidationError(errors)
        return result


class Nested(_Messages, fields.Nested):
    """A nested table, validated as its schema says (complete or partial as asked)."""


class Partial(Nested):
    """A nested table of *overrides*: required fields may be left out (branch sections)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        kwargs["partial"] = True
        return super()._deserialize(value, attr, data, **kwargs)


class Complete(Nested):
    """A nested table that is always complete, even inside a partial section.

    Used for the sub-rules of ``any_of``: an override replaces them as a whole.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        kwargs["partial"] = None
        return super()._deserialize(value, attr, data, **kwargs)
