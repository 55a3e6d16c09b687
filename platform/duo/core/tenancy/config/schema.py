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

from collections.abc import Callable
from typing import Any

from flask_babel import gettext
from marshmallow import ValidationError, validates_schema

from duo.core.tenancy.config import validators as check
from duo.core.tenancy.config.fields import (
    Boolean,
    Complete,
    Date,
    Integer,
    List,
    Nested,
    Number,
    Partial,
    Text,
    Translations,
)
from duo.core.tenancy.config.privacy import PrivacySchema
from duo.core.tenancy.config.steps import DuosSchema, EvaluationSchema, ReportingSchema
from duo.core.tenancy.config.strict import StrictSchema
from duo.core.tenancy.config.vocabulary import (
    AUDIENCES,
    MAX_AGE_BOUND,
    RULE_KIND_PARAMS,
    RULE_KINDS,
    WEIGHT_KEYS,
)

_ALL_RULE_PARAMS = frozenset().union(*RULE_KIND_PARAMS.values())


def _identity_missing(data: dict, field: str, partial: Any) -> dict[str, list[str]]:
    """With ``partial`` all fields are optional, but an override must say what it overrides."""
    if partial and field not in data:
        return {field: [check.missing()]}
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

    kind = Text(required=True, validate=check.one_of(RULE_KINDS))
    enabled = Boolean()
    fact = Text(validate=check.fact)
    min = Number()
    max = Number()
    values = List(Text(), non_empty=True, unique=True)
    languages = List(Text(validate=check.language_code), non_empty=True, unique=True)
    min_level = Text(validate=check.cefr_level)
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
                        allowed=check.listed(sorted(allowed)),
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

    id = Text(required=True, validate=check.identifier)

    @validates_schema
    def _check_identity(self, data: dict, *, partial: Any = None, **kwargs: Any) -> None:
        errors = _identity_missing(data, "id", partial)
        if errors:
            raise ValidationError(errors)


class SubRuleSchema(_RuleBase):
    """An alternative inside an ``any_of`` rule; needs no id of its own."""

    id = Text(validate=check.identifier)


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

    key = Text(required=True, validate=check.identifier)
    title = Translations(required=True)
    description = Translations(required=True)
    duration_minutes = Integer(required=True, validate=check.at_least(1))
    audience = Text(required=True, validate=check.one_of(AUDIENCES))
    required = Boolean()
    enabled = Boolean()

    @validates_schema
    def _check_identity(self, data: dict, *, partial: Any = None, **kwargs: Any) -> None:
        errors = _identity_missing(data, "key", partial)
        if errors:
            raise ValidationError(errors)


class RecurringSchema(ModuleSchema):
    """A workshop that recurs during the accompaniment (intervision, job-application training)."""

    every_weeks = Integer(required=True, validate=check.at_least(1))


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

    duration_months = Integer(required=True, validate=check.at_least(1))
    meeting_interval_days = Integer(required=True, validate=check.at_least(1))
    meeting_hours = Number(required=True, validate=check.above(0))
    follow_up_months = Integer(required=True, validate=check.at_least(0))


#: One number per matching criterion, each at least 0.
WeightsSchema = StrictSchema.from_dict(
    {key: Number(required=True, validate=check.at_least(0)) for key in WEIGHT_KEYS},
    name="WeightsSchema",
)


class MatchingSchema(StrictSchema):
    waiting_bonus_per_week = Number(required=True, validate=check.at_least(0))
    max_waiting_bonus = Number(required=True, validate=check.at_least(0))
    weights = Nested(WeightsSchema, required=True)


class ChoicesSchema(StrictSchema):
    """Lists that differ by country (and may be narrowed by a branch).

    ``employment_services``: the public employment services a candidate may have heard of
    the programme from, or be registered with — proper names, shown as they are written.
    """

    employment_services = List(Text(), required=True, non_empty=True, unique=True)


class _Sections(StrictSchema):
    """The sections a country defines and a branch overrides, complete."""

    choices = Nested(ChoicesSchema, required=True)
    programme = Nested(ProgrammeSchema, required=True)
    eligibility = Nested(EligibilitySchema, required=True)
    training = Nested(TrainingSchema, required=True)
    matching = Nested(MatchingSchema, required=True)
    duos = Nested(DuosSchema, required=True)
    evaluation = Nested(EvaluationSchema, required=True)
    privacy = Nested(PrivacySchema, required=True)
    #: Optional: the country's variants of the indicator definitions.
    reporting = Nested(ReportingSchema)


class CountryHolidaysSchema(StrictSchema):
    country = Text(required=True)


class CountrySchema(_Sections):
    """``tenants/countries/<cc>.toml``: a country's defaults, complete."""

    code = Text(required=True, validate=check.country_code)
    name = Translations(required=True)
    timezone = Text(required=True, validate=check.timezone)
    holidays = Nested(CountryHolidaysSchema, required=True)


class BranchHolidaysSchema(StrictSchema):
    subdivision = Text()


class _BranchFields(StrictSchema):
    """What only a branch file says about itself."""

    slug = Text(required=True, validate=check.slug)
    country = Text(required=True, validate=check.country_code)
    name = Translations(required=True)
    locales = List(Text(validate=check.locale), required=True, non_empty=True, unique=True)
    timezone = Text(validate=check.timezone)
    contact_email = Text(required=True, validate=check.email)
    holidays = Nested(BranchHolidaysSchema)
    closed_days = List(Date())
    working_languages = List(Text(validate=check.language_code), non_empty=True, unique=True)

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

    choices = Partial(ChoicesSchema)
    programme = Partial(ProgrammeSchema)
    eligibility = Partial(EligibilitySchema)
    training = Partial(TrainingSchema)
    matching = Partial(MatchingSchema)
    duos = Partial(DuosSchema)
    evaluation = Partial(EvaluationSchema)
    privacy = Partial(PrivacySchema)
    reporting = Partial(ReportingSchema)


class MergedHolidaysSchema(StrictSchema):
    country = Text(required=True)
    subdivision = Text(allow_none=True)


class MergedBranchSchema(_BranchFields, _Sections):
    """A branch after merging with its country: every section complete."""

    timezone = Text(required=True, validate=check.timezone)
    holidays = Nested(MergedHolidaysSchema, required=True)


def country_schema() -> CountrySchema:
    return CountrySchema()


def branch_schema() -> BranchSchema:
    return BranchSchema()


def merged_schema() -> MergedBranchSchema:
    return MergedBranchSchema()
