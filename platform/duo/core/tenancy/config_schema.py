"""Marshmallow schemas for the tenant config files (countries and branches).

The files are written by people, so the schemas are *strict*: nothing is coerced (``"18"`` is
not 18, ``1`` is not ``true``), unknown keys are errors (a typo such as ``mx`` for ``max``
would otherwise silently change who is eligible), and every message is an operator-readable
sentence passed through ``flask_babel.gettext`` at load time, replacing marshmallow's own
English defaults. Schemas are therefore instantiated per load (see :func:`country_schema`,
:func:`branch_schema`, :func:`merged_schema`), so the messages follow the current locale.

Three shapes are validated:

- a **country** file on its own: complete sections (programme, eligibility, training,
  matching), every rule and module complete;
- a **branch** file on its own, *before* merging: its own fields complete, its sections
  partial (an override such as ``{ id = "language", languages = ["nl"] }`` only needs its
  identity), but every value present well-typed;
- the **merged** branch (country defaults + branch overrides), with complete sections
  again, so that a branch override that breaks a rule (``min`` above the country's ``max``)
  is caught.

The sub-rules of an ``any_of`` rule and plain lists are replaced wholesale by an override,
never merged, so they are always validated complete, even inside a partial branch section.
Rule checks follow :mod:`duo.eligibility.rules` (allowed parameters per kind, CEFR levels
case-insensitive, sub-rules without id that may nest ``any_of`` or be switched off).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext
from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema

#: The interface languages the platform is translated into; a branch's locales are a subset.
SUPPORTED_LOCALES: tuple[str, ...] = ("en", "fr", "nl")

#: Who a training module or recurring workshop is for.
AUDIENCES: tuple[str, ...] = ("mentors", "mentees", "duos")

#: The two eligibility audiences (a country's rules exist for both).
ELIGIBILITY_AUDIENCES: tuple[str, ...] = ("mentee", "mentor")

#: Matching criteria that carry a weight (points at a perfect fit; 0 disables one).
WEIGHT_KEYS: tuple[str, ...] = (
    "sector",
    "help_questions",
    "languages",
    "availability",
    "interests",
    "digital_skills",
    "personality",
    "distance",
)

#: CEFR levels, lowest first; "native" ranks above C2.
CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2", "native")

#: Parameters each rule kind takes besides ``id``, ``kind`` and ``enabled``.
RULE_KIND_PARAMS: dict[str, frozenset[str]] = {
    "age_range": frozenset({"fact", "min", "max"}),
    "required_fact": frozenset({"fact"}),
    "one_of": frozenset({"fact", "values"}),
    "any_language_of": frozenset({"fact", "languages", "min_level"}),
    "min_value": frozenset({"fact", "min"}),
    "any_of": frozenset({"rules"}),
}
RULE_KINDS: tuple[str, ...] = tuple(RULE_KIND_PARAMS)
_ALL_RULE_PARAMS = frozenset().union(*RULE_KIND_PARAMS.values())

#: An age bound beyond this is a typo, not a policy.
MAX_AGE_BOUND = 130

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IDENT_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_FACT_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_COUNTRY_RE = re.compile(r"^[a-z]{2}$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------- validators


def _choices(values: Iterable[str]) -> str:
    return ", ".join(values)


def one_of(choices: Iterable[str]) -> Callable[[Any], None]:
    options = tuple(choices)

    def check(value: Any) -> None:
        if value not in options:
            raise ValidationError(
                gettext(
                    "%(value)s is not allowed; choose one of: %(choices)s",
                    value=value,
                    choices=_choices(options),
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


#: First path segments the platform itself uses: a branch cannot be called like them.
RESERVED_SLUGS = frozenset(
    {"hq", "api", "static", "login", "logout", "branches", "language", "healthz", "admin", "dev"}
)


def _slug(value: str) -> None:
    if not SLUG_RE.match(value):
        raise ValidationError(
            gettext("%(value)s is not a valid slug (lower-case letters, digits, -)", value=value)
        )
    if value in RESERVED_SLUGS:
        raise ValidationError(
            gettext("%(value)s is reserved by the platform; choose another slug", value=value)
        )


def _identifier(value: str) -> None:
    if not _IDENT_RE.match(value):
        raise ValidationError(
            gettext(
                "%(value)s is not a valid identifier (lower-case letters, digits, - or _)",
                value=value,
            )
        )


def _fact(value: str) -> None:
    if not _FACT_RE.match(value):
        raise ValidationError(
            gettext("%(value)s is not a valid fact name (like birth_date)", value=value)
        )


def _country_code(value: str) -> None:
    if not _COUNTRY_RE.match(value):
        raise ValidationError(
            gettext("%(value)s is not a lower-case two-letter country code", value=value)
        )


def _language_code(value: str) -> None:
    if not _LANGUAGE_RE.match(value):
        raise ValidationError(
            gettext("%(value)s is not a lower-case ISO 639-1 language code", value=value)
        )


def _locale(value: str) -> None:
    if value not in SUPPORTED_LOCALES:
        raise ValidationError(
            gettext(
                "unsupported locale %(value)s; choose from: %(choices)s",
                value=value,
                choices=_choices(SUPPORTED_LOCALES),
            )
        )


def _timezone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            gettext("unknown time zone %(value)s (expected e.g. Europe/Brussels)", value=value)
        ) from None


def _email(value: str) -> None:
    if not _EMAIL_RE.match(value):
        raise ValidationError(gettext("%(value)s is not a valid e-mail address", value=value))


def normalize_level(value: Any) -> str | None:
    """The canonical CEFR level for ``value`` ("b2" -> "B2"), or None (as the engine reads it)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower() == "native":
        return "native"
    return text.upper() if text.upper() in CEFR_LEVELS else None


def _cefr(value: str) -> None:
    if normalize_level(value) is None:
        raise ValidationError(
            gettext(
                "unknown language level %(value)s; choose from: %(choices)s",
                value=value,
                choices=_choices(CEFR_LEVELS),
            )
        )


def _missing() -> str:
    return gettext("missing required field")


# --------------------------------------------------------------------------- fields


class _Messages:
    """Replace marshmallow's built-in messages with ours, translated when raised."""

    def make_error(self, key: str, **kwargs: Any) -> ValidationError:
        if key == "required":
            return ValidationError(_missing())
        if key == "null":
            return ValidationError(gettext("must not be empty"))
        if key == "invalid" and isinstance(self, fields.List):
            return ValidationError(gettext("must be a list"))
        return super().make_error(key, **kwargs)  # type: ignore[misc]


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
                        choices=_choices(SUPPORTED_LOCALES),
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


# --------------------------------------------------------------------------- schemas


class StrictSchema(Schema):
    """Unknown keys are errors; schema-level messages are ours, in the current locale."""

    class Meta:
        unknown = RAISE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "unknown": gettext("unknown field"),
            "type": gettext("must be a table"),
        }


def _identity_missing(data: dict, field: str, partial: Any) -> dict[str, list[str]]:
    """With ``partial`` all fields are optional, but an override must say what it overrides."""
    if partial and field not in data:
        return {field: [_missing()]}
    return {}


def _duplicates(items: list[dict], field: str, message: Callable[[str], str]) -> dict:
    errors: dict[int, dict[str, list[str]]] = {}
    seen: set[str] = set()
    for index, item in enumerate(items):
        value = item.get(field)
        if value is None:
            continue
        if value in seen:
            errors[index] = {field: [message(value)]}
        seen.add(value)
    return errors


class _RuleBase(StrictSchema):
    """Fields and checks shared by rules and ``any_of`` sub-rules."""

    kind = Text(required=True, validate=one_of(RULE_KINDS))
    enabled = Boolean()
    fact = Text(validate=_fact)
    min = Number()
    max = Number()
    values = List(Text(), non_empty=True, unique=True)
    languages = List(Text(validate=_language_code), non_empty=True, unique=True)
    min_level = Text(validate=_cefr)
    rules = List(Complete(lambda: SubRuleSchema()), non_empty=True)

    @validates_schema
    def _check_kind(self, data: dict, *, partial: Any = None, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        kind = data.get("kind")
        if kind is not None:
            allowed = RULE_KIND_PARAMS[kind]
            for name in sorted((_ALL_RULE_PARAMS & data.keys()) - allowed):
                errors[name] = [
                    gettext(
                        "not used by a rule of kind %(kind)s (it takes: %(allowed)s)",
                        kind=kind,
                        allowed=_choices(sorted(allowed)),
                    )
                ]
            if not partial:
                needed = {
                    "age_range": (),
                    "one_of": ("values",),
                    "any_language_of": ("languages",),
                    "min_value": ("min",),
                    "any_of": ("rules",),
                }.get(kind, ())
                if kind != "any_of":
                    needed = ("fact", *needed)
                for name in needed:
                    if name not in data:
                        errors.setdefault(name, []).append(
                            gettext(
                                "a rule of kind %(kind)s needs %(field)s", kind=kind, field=name
                            )
                        )
                if kind == "age_range" and "min" not in data and "max" not in data:
                    errors.setdefault("min", []).append(
                        gettext("an age range needs min, max or both")
                    )
        age = kind == "age_range" or (kind is None and partial)
        if kind == "age_range":
            for name in ("min", "max"):
                value = data.get(name)
                if value is None:
                    continue
                if not isinstance(value, int):
                    errors.setdefault(name, []).append(gettext("must be a whole number of years"))
                elif not 0 <= value <= MAX_AGE_BOUND:
                    errors.setdefault(name, []).append(
                        gettext("must be between 0 and %(max)s years", max=MAX_AGE_BOUND)
                    )
        if age and "min" in data and "max" in data and data["min"] > data["max"]:
            errors.setdefault("min", []).append(
                gettext(
                    "min (%(min)s) is greater than max (%(max)s)", min=data["min"], max=data["max"]
                )
            )
        if errors:
            raise ValidationError(errors)


class RuleSchema(_RuleBase):
    """An eligibility rule with an identity (``id``), as listed under ``eligibility.<audience>``."""

    id = Text(required=True, validate=_identifier)

    @validates_schema
    def _check_identity(self, data: dict, *, partial: Any = None, **kwargs: Any) -> None:
        errors = _identity_missing(data, "id", partial)
        if errors:
            raise ValidationError(errors)


class SubRuleSchema(_RuleBase):
    """An alternative inside an ``any_of`` rule; needs no id of its own."""

    id = Text(validate=_identifier)


class AudienceSchema(StrictSchema):
    rules = List(Nested(RuleSchema), required=True)

    @validates_schema
    def _check_ids(self, data: dict, **kwargs: Any) -> None:
        errors = _duplicates(
            data.get("rules", []),
            "id",
            lambda value: gettext("the id %(value)s is used twice", value=value),
        )
        if errors:
            raise ValidationError({"rules": errors})


class EligibilitySchema(StrictSchema):
    mentee = Nested(AudienceSchema, required=True)
    mentor = Nested(AudienceSchema, required=True)


class ModuleSchema(StrictSchema):
    """One module of the initial mentor training (a workshop, a day, a half-day)."""

    key = Text(required=True, validate=_identifier)
    title = Translations(required=True)
    description = Translations(required=True)
    duration_minutes = Integer(required=True, validate=at_least(1))
    audience = Text(required=True, validate=one_of(AUDIENCES))
    required = Boolean()
    enabled = Boolean()

    @validates_schema
    def _check_identity(self, data: dict, *, partial: Any = None, **kwargs: Any) -> None:
        errors = _identity_missing(data, "key", partial)
        if errors:
            raise ValidationError(errors)


class RecurringSchema(ModuleSchema):
    """A workshop that recurs during the accompaniment (intervision, job-application training)."""

    every_weeks = Integer(required=True, validate=at_least(1))


class TrainingSchema(StrictSchema):
    modules = List(Nested(ModuleSchema), required=True)
    recurring = List(Nested(RecurringSchema))

    @validates_schema
    def _check_keys(self, data: dict, **kwargs: Any) -> None:
        def twice(value: str) -> str:
            return gettext("the key %(value)s is used twice", value=value)

        errors: dict[str, Any] = {}
        for name in ("modules", "recurring"):
            found = _duplicates(data.get(name, []), "key", twice)
            if found:
                errors[name] = found
        module_keys = {item.get("key") for item in data.get("modules", [])}
        for index, item in enumerate(data.get("recurring", [])):
            if item.get("key") in module_keys:
                errors.setdefault("recurring", {}).setdefault(index, {"key": []})
                errors["recurring"][index].setdefault("key", []).append(
                    gettext(
                        "the key %(value)s is already used by a training module",
                        value=item["key"],
                    )
                )
        if errors:
            raise ValidationError(errors)


class ProgrammeSchema(StrictSchema):
    """The rhythm of a duo's accompaniment."""

    duration_months = Integer(required=True, validate=at_least(1))
    meeting_interval_days = Integer(required=True, validate=at_least(1))
    meeting_hours = Number(required=True, validate=above(0))
    follow_up_months = Integer(required=True, validate=at_least(0))


#: One number per matching criterion, each at least 0.
WeightsSchema = StrictSchema.from_dict(
    {key: Number(required=True, validate=at_least(0)) for key in WEIGHT_KEYS},
    name="WeightsSchema",
)


class MatchingSchema(StrictSchema):
    waiting_bonus_per_week = Number(required=True, validate=at_least(0))
    max_waiting_bonus = Number(required=True, validate=at_least(0))
    weights = Nested(WeightsSchema, required=True)


class ChoiceSchema(StrictSchema):
    """An item of a configured list a person picks from (a check-in topic, a stop reason)."""

    key = Text(required=True, validate=_identifier)
    title = Translations(required=True)


class DocumentTextSchema(StrictSchema):
    """A text people sign (the mentoring agreement, the charter), versioned.

    ``version`` is recorded with every signature: change it whenever the text changes.
    """

    version = Text(required=True, validate=_identifier)
    title = Translations(required=True)
    text = Translations(required=True)


def _unique_keys(items: list[dict] | None, name: str) -> dict:
    errors: dict[int, dict[str, list[str]]] = {}
    seen: set[str] = set()
    for index, item in enumerate(items or []):
        key = item.get("key")
        if key in seen:
            errors[index] = {"key": [gettext("%(value)s is listed twice", value=key)]}
        seen.add(key)
    return {name: errors} if errors else {}


class DuosSchema(StrictSchema):
    """Steps 5-7: personal links, first meeting, agreement and charter, check-ins, ending.

    Lists (``topics``, ``stop_reasons``) are replaced as a whole by a branch override.
    """

    link_valid_days = Integer(required=True, validate=at_least(1))
    decision_pending_days = Integer(required=True, validate=at_least(1))
    signature_pending_days = Integer(required=True, validate=at_least(1))
    first_meeting_max_days_ahead = Integer(required=True, validate=at_least(1))
    mentee_check_in = Boolean(required=True)
    evaluation_due_days = Integer(required=True, validate=at_least(1))
    topics = List(Complete(ChoiceSchema), required=True, non_empty=True)
    stop_reasons = List(Complete(ChoiceSchema), required=True, non_empty=True)
    agreement = Nested(DocumentTextSchema, required=True)
    charter = Nested(DocumentTextSchema, required=True)

    @validates_schema
    def _check_keys(self, data: dict, **kwargs: Any) -> None:
        errors = {
            **_unique_keys(data.get("topics"), "topics"),
            **_unique_keys(data.get("stop_reasons"), "stop_reasons"),
        }
        if errors:
            raise ValidationError(errors)


#: How an evaluation question is answered.
QUESTION_KINDS: tuple[str, ...] = ("agree", "yes_no", "text")


class QuestionSchema(StrictSchema):
    """One survey question; ``version`` changes whenever its wording or meaning does."""

    key = Text(required=True, validate=_identifier)
    version = Integer(required=True, validate=at_least(1))
    audience = Text(required=True, validate=one_of(("mentee", "mentor")))
    kind = Text(required=True, validate=one_of(QUESTION_KINDS))
    text = Translations(required=True)


class EvaluationSchema(StrictSchema):
    """Step 8: the end-of-duo survey and the outcome follow-up."""

    questions = List(Complete(QuestionSchema), required=True, non_empty=True)
    reminder_after_days = Integer(required=True, validate=at_least(1))
    lost_after_days = Integer(required=True, validate=at_least(1))

    @validates_schema
    def _check_keys(self, data: dict, **kwargs: Any) -> None:
        errors = _unique_keys(data.get("questions"), "questions")
        if errors:
            raise ValidationError(errors)


class _Sections(StrictSchema):
    """The sections a country defines and a branch overrides, complete."""

    programme = Nested(ProgrammeSchema, required=True)
    eligibility = Nested(EligibilitySchema, required=True)
    training = Nested(TrainingSchema, required=True)
    matching = Nested(MatchingSchema, required=True)
    duos = Nested(DuosSchema, required=True)
    evaluation = Nested(EvaluationSchema, required=True)


class CountryHolidaysSchema(StrictSchema):
    country = Text(required=True)


class CountrySchema(_Sections):
    """``tenants/countries/<cc>.toml``: a country's defaults, complete."""

    code = Text(required=True, validate=_country_code)
    name = Translations(required=True)
    timezone = Text(required=True, validate=_timezone)
    holidays = Nested(CountryHolidaysSchema, required=True)


class BranchHolidaysSchema(StrictSchema):
    subdivision = Text()


class _BranchFields(StrictSchema):
    """What only a branch file says about itself."""

    slug = Text(required=True, validate=_slug)
    country = Text(required=True, validate=_country_code)
    name = Translations(required=True)
    locales = List(Text(validate=_locale), required=True, non_empty=True, unique=True)
    timezone = Text(validate=_timezone)
    contact_email = Text(required=True, validate=_email)
    holidays = Nested(BranchHolidaysSchema)
    closed_days = List(Date())
    working_languages = List(Text(validate=_language_code), non_empty=True, unique=True)

    @validates_schema
    def _check_name(self, data: dict, **kwargs: Any) -> None:
        locales, name = data.get("locales"), data.get("name")
        if locales and name is not None and locales[0] not in name:
            raise ValidationError(
                {
                    "name": [
                        gettext("needs a name in the default locale %(locale)s", locale=locales[0])
                    ]
                }
            )


class BranchSchema(_BranchFields):
    """``tenants/<slug>.toml`` on its own: its sections hold overrides only."""

    programme = Partial(ProgrammeSchema)
    eligibility = Partial(EligibilitySchema)
    training = Partial(TrainingSchema)
    matching = Partial(MatchingSchema)
    duos = Partial(DuosSchema)
    evaluation = Partial(EvaluationSchema)


class MergedHolidaysSchema(StrictSchema):
    country = Text(required=True)
    subdivision = Text(allow_none=True)


class MergedBranchSchema(_BranchFields, _Sections):
    """A branch after merging with its country: every section complete."""

    timezone = Text(required=True, validate=_timezone)
    holidays = Nested(MergedHolidaysSchema, required=True)


def country_schema() -> CountrySchema:
    return CountrySchema()


def branch_schema() -> BranchSchema:
    return BranchSchema()


def merged_schema() -> MergedBranchSchema:
    return MergedBranchSchema()
