"""Validators of single values in the tenant config files, with operator-readable messages.

Each raises a ``ValidationError`` whose message goes through ``gettext`` when raised, so
it follows the current locale; the schemas (:mod:`.schema`) pass them as ``validate=``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext
from marshmallow import ValidationError

from duo.core.emails import is_email
from duo.core.tenancy.config.vocabulary import (
    CEFR_LEVELS,
    RESERVED_SLUGS,
    SUPPORTED_LOCALES,
    normalise_level,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IDENT_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_FACT_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_COUNTRY_RE = re.compile(r"^[a-z]{2}$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")


def listed(values: Iterable[str]) -> str:
    return ", ".join(values)


def one_of(choices: Iterable[str]) -> Callable[[Any], None]:
    options = tuple(choices)

    def check(value: Any) -> None:
        if value not in options:
            raise ValidationError(
                gettext(
                    "%(value)s is not allowed; choose one of: %(choices)s",
                    value=value,
                    choices=listed(options),
                )
            )

    return check


def at_least(minimum: float) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value < minimum:
            raise ValidationError(gettext("must be at least %(min)s", min=minimum))

    return check


def above(minimum: float) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value <= minimum:
            raise ValidationError(gettext("must be more than %(min)s", min=minimum))

    return check


def slug(value: str) -> None:
    if not SLUG_RE.match(value):
        raise ValidationError(
            gettext("%(value)s is not a valid slug (lower-case letters, digits, -)", value=value)
        )
    if value in RESERVED_SLUGS:
        raise ValidationError(
            gettext("%(value)s is reserved by the platform; choose another slug", value=value)
        )


def identifier(value: str) -> None:
    if not _IDENT_RE.match(value):
        raise ValidationError(
            gettext(
                "%(value)s is not a valid identifier (lower-case letters, digits, - or _)",
                value=value,
            )
        )


def fact(value: str) -> None:
    if not _FACT_RE.match(value):
        raise ValidationError(
            gettext("%(value)s is not a valid fact name (like birth_date)", value=value)
        )


def country_code(value: str) -> None:
    if not _COUNTRY_RE.match(value):
        raise ValidationError(
            gettext("%(value)s is not a lower-case two-letter country code", value=value)
        )


def language_code(value: str) -> None:
    if not _LANGUAGE_RE.match(value):
        raise ValidationError(
            gettext("%(value)s is not a lower-case ISO 639-1 language code", value=value)
        )


def locale(value: str) -> None:
    if value not in SUPPORTED_LOCALES:
        raise ValidationError(
            gettext(
                "unsupported locale %(value)s; choose from: %(choices)s",
                value=value,
                choices=listed(SUPPORTED_LOCALES),
            )
        )


def timezone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            gettext("unknown time zone %(value)s (expected e.g. Europe/Brussels)", value=value)
        ) from None


def email(value: str) -> None:
    if not is_email(value):
        raise ValidationError(gettext("%(value)s is not a valid e-mail address", value=value))


def cefr_level(value: str) -> None:
    if normalise_level(value) is None:
        raise ValidationError(
            gettext(
                "unknown language level %(value)s; choose from: %(choices)s",
                value=value,
                choices=listed(CEFR_LEVELS),
            )
        )


def missing() -> str:
    return gettext("missing required field")
