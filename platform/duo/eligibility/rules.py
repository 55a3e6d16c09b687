"""Eligibility rules as data: the rule kinds, their parameters and how to check a rule dict.

A country's (or branch's) eligibility is a list of rule dicts read from TOML (see the shared
spec, "Eligibility rule kinds"). This module knows what a *well-formed* rule looks like, so
that the tenant config validator can reject a bad file before anything is written, and the
engine (:mod:`duo.eligibility.engine`) can rely on the shape of what it evaluates.

``rule_problems`` returns ``(field, message)`` pairs rather than raising: the config
validator wants every problem of a file at once, each attached to the field that caused it.
Field names are relative to the rule (``"min"``, ``"languages[2]"``, ``"rules[1].fact"``);
list indexes are 0-based, like the TOML arrays they point into. Messages are translated
with ``flask_babel.gettext`` at call time (it returns English outside a request).

Choices made here (the spec is silent on them):

- Unknown parameters are reported (``"mx"`` for ``"max"`` would otherwise be silently
  ignored and change who is eligible).
- CEFR levels are matched case-insensitively (``"b1"`` is ``"B1"``); ``"native"`` ranks
  above C2.
- Sub-rules of ``any_of`` need no ``id``; they may nest ``any_of`` and may carry
  ``enabled = false``.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext

from duo.core.vocab.levels import CEFR_LEVELS, normalise_level

DEFAULT_MIN_LEVEL = "A1"

AGE_RANGE = "age_range"
REQUIRED_FACT = "required_fact"
ONE_OF = "one_of"
ANY_LANGUAGE_OF = "any_language_of"
MIN_VALUE = "min_value"
ANY_OF = "any_of"

#: Every rule kind the engine can evaluate.
RULE_KINDS: tuple[str, ...] = (AGE_RANGE, REQUIRED_FACT, ONE_OF, ANY_LANGUAGE_OF, MIN_VALUE, ANY_OF)

#: Keys every rule may carry, whatever its kind.
COMMON_KEYS: frozenset[str] = frozenset({"id", "kind", "enabled"})

#: Parameters allowed per kind, besides COMMON_KEYS.
KIND_KEYS: dict[str, frozenset[str]] = {
    AGE_RANGE: frozenset({"fact", "min", "max"}),
    REQUIRED_FACT: frozenset({"fact"}),
    ONE_OF: frozenset({"fact", "values"}),
    ANY_LANGUAGE_OF: frozenset({"fact", "languages", "min_level"}),
    MIN_VALUE: frozenset({"fact", "min"}),
    ANY_OF: frozenset({"rules"}),
}

#: An age bound beyond this is a typo, not a policy.
MAX_AGE_BOUND = 130

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def rule_problems(rule: Any, *, require_id: bool = True) -> list[tuple[str, str]]:
    """Every problem of one rule dict, as ``(field, message)`` pairs; empty when it is valid.

    ``require_id`` is False for the sub-rules of ``any_of`` (they have no identity of their
    own). An empty field name means the rule as a whole.
    """
    if not isinstance(rule, dict):
        return [("", gettext("A rule must be a table."))]

    problems: list[tuple[str, str]] = []

    if "id" in rule or require_id:
        rule_id = rule.get("id")
        if rule_id is None:
            problems.append(("id", gettext("A rule needs an id.")))
        elif not _is_name(rule_id):
            problems.append(("id", gettext("The id must be a non-empty text.")))

    if "enabled" in rule and not isinstance(rule["enabled"], bool):
        problems.append(("enabled", gettext("Must be true or false.")))

    kind = rule.get("kind")
    if kind is None:
        problems.append(("kind", gettext("A rule needs a kind.")))
        return problems
    if not isinstance(kind, str) or kind not in KIND_KEYS:
        problems.append(
            (
                "kind",
                gettext(
                    "Unknown rule kind %(kind)s; expected one of: %(kinds)s.",
                    kind=str(kind),
                    kinds=", ".join(RULE_KINDS),
                ),
            )
        )
        return problems

    allowed = COMMON_KEYS | KIND_KEYS[kind]
    for key in rule:
        if key not in allowed:
            problems.append(
                (
                    str(key),
                    gettext(
                        "Unknown parameter for a rule of kind %(kind)s; allowed: %(allowed)s.",
                        kind=kind,
                        allowed=", ".join(sorted(allowed)),
                    ),
                )
            )

    if kind != ANY_OF:
        fact = rule.get("fact")
        if fact is None:
            problems.append(("fact", gettext("This rule needs the name of a fact.")))
        elif not _is_name(fact):
            problems.append(("fact", gettext("The fact must be a non-empty name.")))

    checker = _CHECKERS.get(kind)
    if checker is not None:
        problems.extend(checker(rule))
    return problems


def _check_age_range(rule: dict) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    bounds: dict[str, int] = {}
    for key in ("min", "max"):
        if key not in rule:
            continue
        value = rule[key]
        if not _is_int(value):
            problems.append((key, gettext("Must be a whole number of years.")))
        elif not 0 <= value <= MAX_AGE_BOUND:
            problems.append(
                (key, gettext("Must be between 0 and %(limit)s years.", limit=MAX_AGE_BOUND))
            )
        else:
            bounds[key] = value
    if "min" not in rule and "max" not in rule:
        problems.append(("min", gettext("An age range needs a minimum, a maximum or both.")))
    if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
        problems.append(
            (
                "min",
                gettext(
                    "The minimum (%(min)s) is above the maximum (%(max)s).",
                    min=bounds["min"],
                    max=bounds["max"],
                ),
            )
        )
    return problems


def _check_one_of(rule: dict) -> list[tuple[str, str]]:
    values = rule.get("values")
    if values is None:
        return [("values", gettext("List the accepted values."))]
    if not isinstance(values, list | tuple):
        return [("values", gettext("Must be a list of values."))]
    if not values:
        return [("values", gettext("List at least one accepted value."))]
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index, value in enumerate(values):
        field = f"values[{index}]"
        if not _is_name(value):
            problems.append((field, gettext("Must be a non-empty text.")))
        elif value in seen:
            problems.append((field, gettext("%(value)s is listed twice.", value=value)))
        else:
            seen.add(value)
    return problems


def _check_any_language_of(rule: dict) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    languages = rule.get("languages")
    if languages is None:
        problems.append(("languages", gettext("List the accepted languages.")))
    elif not isinstance(languages, list | tuple):
        problems.append(("languages", gettext("Must be a list of language codes.")))
    elif not languages:
        problems.append(("languages", gettext("List at least one accepted language.")))
    else:
        seen: set[str] = set()
        for index, code in enumerate(languages):
            field = f"languages[{index}]"
            if not isinstance(code, str) or not _LANGUAGE_CODE.match(code):
                problems.append(
                    (field, gettext("Must be a lower-case ISO 639-1 code such as fr or nl."))
                )
            elif code in seen:
                problems.append((field, gettext("%(value)s is listed twice.", value=code)))
            else:
                seen.add(code)
    if "min_level" in rule and normalise_level(rule["min_level"]) is None:
        problems.append(
            (
                "min_level",
                gettext(
                    "Unknown language level %(level)s; expected one of: %(levels)s.",
                    level=str(rule["min_level"]),
                    levels=", ".join(CEFR_LEVELS),
                ),
            )
        )
    return problems


def _check_min_value(rule: dict) -> list[tuple[str, str]]:
    if "min" not in rule:
        return [("min", gettext("This rule needs a minimum."))]
    if not _is_number(rule["min"]):
        return [("min", gettext("Must be a number."))]
    return []


def _check_any_of(rule: dict) -> list[tuple[str, str]]:
    subs = rule.get("rules")
    if subs is None:
        return [("rules", gettext("List the alternative rules."))]
    if not isinstance(subs, list | tuple):
        return [("rules", gettext("Must be a list of rules."))]
    if not subs:
        return [("rules", gettext("List at least one alternative rule."))]
    problems: list[tuple[str, str]] = []
    for index, sub in enumerate(subs):
        for field, message in rule_problems(sub, require_id=False):
            prefix = f"rules[{index}]"
            problems.append((f"{prefix}.{field}" if field else prefix, message))
    return problems


_CHECKERS = {
    AGE_RANGE: _check_age_range,
    ONE_OF: _check_one_of,
    ANY_LANGUAGE_OF: _check_any_language_of,
    MIN_VALUE: _check_min_value,
    ANY_OF: _check_any_of,
}


def rule_list_problems(rules: Any) -> list[tuple[str, str]]:
    """Problems of a whole rule list (one audience): each rule's, plus duplicate ids.

    Fields are prefixed with the rule's index, e.g. ``"[2].min"``, so a caller can put them
    under its own path (``eligibility.mentee.rules[2].min``).
    """
    if not isinstance(rules, list | tuple):
        return [("", gettext("Must be a list of rules."))]
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        prefix = f"[{index}]"
        for field, message in rule_problems(rule):
            problems.append((f"{prefix}.{field}" if field else prefix, message))
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        if isinstance(rule_id, str) and rule_id:
            if rule_id in seen:
                problems.append(
                    (f"{prefix}.id", gettext("The id %(id)s is used twice.", id=rule_id))
                )
            seen.add(rule_id)
    return problems
