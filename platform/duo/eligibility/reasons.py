"""Turn eligibility results (reason codes + params) into translated sentences for coordinators.

The engine stores codes and JSON params, never sentences, so a decision taken in French can
be read later by a Dutch-speaking coordinator and a reworded message changes old decisions
too. Every sentence goes through ``flask_babel.gettext`` with named placeholders, and is
rendered in the current request's locale (English outside a request).
"""

from __future__ import annotations

import functools
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from babel.numbers import format_decimal
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from duo.core import i18n
from duo.eligibility import engine as e
from duo.eligibility.engine import Outcome, RuleResult

#: Labels of the facts the country rules use (spec: "Eligibility rule kinds").
FACT_LABELS: dict[str, Any] = {
    "birth_date": _l("Date of birth"),
    "birth_year": _l("Year of birth"),
    "seeking_job_study_or_internship": _l("Looking for a job, study or internship"),
    "migration_background": _l("Migration background"),
    "allowed_to_work": _l("Residence status that allows work"),
    "languages": _l("Languages"),
    "registered_jobseeker": _l("Registered as a jobseeker"),
    "other_barriers": _l("Other barriers to employment"),
    "years_experience": _l("Years of professional experience"),
    "volunteer": _l("Volunteer"),
    "available_six_months": _l("Available for six months"),
}

#: Labels of the known values of ``one_of`` facts.
VALUE_LABELS: dict[str, dict[str, Any]] = {
    "migration_background": {
        "non_eu_nationality": _l("non-EU nationality"),
        "parent_born_outside_eu": _l("a parent born outside the EU"),
        "grandparent_born_outside_eu": _l("a grandparent born outside the EU"),
        "none": _l("no migration background"),
    },
}

_OUTCOME_LABELS: dict[Outcome, Any] = {
    Outcome.ELIGIBLE: _l("Eligible"),
    Outcome.NOT_ELIGIBLE: _l("Not eligible"),
    Outcome.NEEDS_REVIEW: _l("Needs review"),
}


def _locale(locale: Locale | str | None = None) -> Locale:
    """The given locale, else the request's, else English."""
    if isinstance(locale, Locale):
        return locale
    if locale is None:
        try:
            current = get_locale()
        except RuntimeError:  # pragma: no cover - defensive; flask_babel returns None
            current = None
        return current if current is not None else Locale("en")
    return _parsed(locale)


@functools.cache
def _parsed(code: str) -> Locale:
    """``Locale.parse`` once per code: a list page names hundreds of languages."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale("en")


def fact_label(fact: str) -> str:
    """The translated label of a fact; unknown facts get a readable form of their name."""
    label = FACT_LABELS.get(fact)
    if label is not None:
        return str(label)
    return fact.replace("_", " ").strip().capitalize()


def value_label(fact: str, value: Any) -> str:
    """The translated label of a ``one_of`` value, or the value itself."""
    label = VALUE_LABELS.get(fact, {}).get(value) if isinstance(value, str) else None
    return str(label) if label is not None else str(value)


def language_name(code: str, locale: Locale | str | None = None) -> str:
    """The name of an ISO 639-1 language in ``locale`` (default: the current one).

    ``language_name("nl", "fr")`` -> "néerlandais"; an unknown code is returned as is.
    """
    return i18n.language_name(code, _locale(locale))


def level_label(level: Any) -> str:
    """A CEFR level for display; "native" is translated, A1..C2 are the same in every language."""
    if level == "native":
        return gettext("native")
    return str(level)


def describe_outcome(outcome: Outcome | str) -> str:
    """The translated name of an outcome ("Needs review")."""
    return str(_OUTCOME_LABELS[Outcome(outcome)])


def _number(value: Any, locale: Locale) -> str:
    if isinstance(value, float):
        return format_decimal(value, locale=locale)
    return str(value)


def _languages(codes: list[str], locale: Locale, style: str = "or") -> str:
    names = [language_name(code, locale) for code in codes]
    return format_list(names, style=style, locale=locale) if names else ""


def describe(result: RuleResult) -> str:
    """One translated sentence explaining ``result`` to a coordinator.

    Sentences, language names and numbers all follow the current locale (flask_babel's,
    English outside a request), so that they never mix languages.
    """
    loc = _locale()
    p = result.params
    code = result.code
    fact = fact_label(str(p.get("fact", "")))

    if code == e.AGE_IN_RANGE:
        if p.get("min") is not None and p.get("max") is not None:
            return gettext(
                "Age %(age)s is within the range of %(min)s to %(max)s.",
                age=p["age"],
                min=p["min"],
                max=p["max"],
            )
        if p.get("min") is not None:
            return gettext("Age %(age)s meets the minimum of %(min)s.", age=p["age"], min=p["min"])
        return gettext("Age %(age)s is within the maximum of %(max)s.", age=p["age"], max=p["max"])
    if code == e.AGE_TOO_YOUNG:
        return gettext("Age %(age)s is below the minimum of %(min)s.", age=p["age"], min=p["min"])
    if code == e.AGE_TOO_OLD:
        return gettext("Age %(age)s is above the maximum of %(max)s.", age=p["age"], max=p["max"])
    if code == e.AGE_YEAR_IN_RANGE:
        return gettext("Born in %(year)s: within the age limits.", year=p["birth_year"])
    if code == e.AGE_YEAR_TOO_YOUNG:
        return gettext(
            "Born in %(year)s: younger than the minimum of %(min)s.",
            year=p["birth_year"],
            min=p["min"],
        )
    if code == e.AGE_YEAR_TOO_OLD:
        return gettext(
            "Born in %(year)s: older than the maximum of %(max)s.",
            year=p["birth_year"],
            max=p["max"],
        )
    if code == e.AGE_YEAR_UNCERTAIN:
        return gettext(
            "Born in %(year)s, so %(low)s or %(high)s years old: "
            "the exact date of birth is needed.",
            year=p["birth_year"],
            low=p["age_min"],
            high=p["age_max"],
        )
    if code == e.AGE_UNKNOWN:
        return gettext("The date of birth is not known yet.")
    if code == e.FACT_MISSING:
        return gettext("Not known yet: %(fact)s.", fact=fact)
    if code == e.FACT_INVALID:
        return gettext("The answer for %(fact)s cannot be used; please check it.", fact=fact)
    if code == e.REQUIRED_MET:
        return gettext("Confirmed: %(fact)s.", fact=fact)
    if code == e.REQUIRED_NOT_MET:
        return gettext("Not met: %(fact)s.", fact=fact)
    if code == e.ONE_OF_MATCH:
        return gettext(
            "%(fact)s: %(value)s is accepted.",
            fact=fact,
            value=value_label(p.get("fact", ""), p.get("value")),
        )
    if code == e.ONE_OF_NO_MATCH:
        accepted = [value_label(p.get("fact", ""), v) for v in p.get("values") or []]
        return gettext(
            "%(fact)s: %(value)s is not accepted (accepted: %(values)s).",
            fact=fact,
            value=value_label(p.get("fact", ""), p.get("value")),
            values=format_list(accepted, style="or", locale=loc) if accepted else "",
        )
    if code == e.LANGUAGE_AT_LEVEL:
        if p.get("level") == "native":
            return gettext(
                "Speaks %(language)s as a native speaker.",
                language=language_name(p["language"], loc),
            )
        return gettext(
            "Speaks %(language)s at level %(level)s (%(min_level)s needed).",
            language=language_name(p["language"], loc),
            level=level_label(p["level"]),
            min_level=level_label(p["min_level"]),
        )
    if code == e.LANGUAGE_NONE_AT_LEVEL:
        return gettext(
            "Does not speak %(languages)s at level %(min_level)s or above.",
            languages=_languages(list(p.get("languages") or []), loc),
            min_level=level_label(p["min_level"]),
        )
    if code == e.LANGUAGE_LEVEL_UNKNOWN:
        return gettext(
            "The level of %(language)s is not clear; please check it.",
            language=language_name(p["language"], loc),
        )
    if code in (e.VALUE_AT_LEAST, e.VALUE_BELOW_MIN):
        args = {"fact": fact, "value": _number(p["value"], loc), "min": _number(p["min"], loc)}
        if code == e.VALUE_AT_LEAST:
            return gettext("%(fact)s: %(value)s, at least %(min)s.", **args)
        return gettext("%(fact)s: %(value)s, below the minimum of %(min)s.", **args)
    if code == e.ANY_OF_MET:
        met = next((s for s in result.sub_results if s.outcome is Outcome.ELIGIBLE), None)
        if met is None:
            return gettext("One of the alternatives is met.")
        return gettext("One of the alternatives is met: %(detail)s", detail=describe(met))
    if code == e.ANY_OF_NONE_MET:
        return gettext("None of the alternatives is met.")
    if code == e.ANY_OF_UNDECIDED:
        return gettext("None of the alternatives is met yet; some need review.")
    # A code from a newer version of the engine, read from a stored decision.
    return gettext(
        "%(outcome)s (rule %(rule)s, reason %(code)s).",
        outcome=describe_outcome(result.outcome),
        rule=result.rule_id,
        code=code,
    )
