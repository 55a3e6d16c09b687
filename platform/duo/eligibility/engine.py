"""The eligibility rule engine: a candidate's facts against a country's (or branch's) rules.

``evaluate(rules, facts, today)`` returns an :class:`Evaluation`: one :class:`RuleResult`
per enabled rule (a stable reason *code* plus JSON-able *params*, turned into a translated
sentence by :mod:`duo.eligibility.reasons` when shown) and the overall outcome. The
evaluation is plain data so it can be stored as JSON with the decision and re-rendered
later in the coordinator's language, together with ``rules_hash`` — the version of the
rules the decision was made under.

Decisions taken here, where the spec leaves room:

- **Missing is never failing.** A fact that is absent or ``None`` gives *needs review*
  (code ``fact.missing``); so does a value of the wrong shape (``fact.invalid``: a text
  where a yes/no is expected, a birth date in the future...). Only a known value that
  contradicts a rule gives *not eligible*. An empty language mapping counts as missing:
  intake forms send ``{}`` when the question was not asked.
- **Overall outcome:** not eligible if any rule fails; else needs review if any rule is
  undecided; else eligible. Disabled rules (``enabled = false``) are skipped entirely and
  appear neither in the results nor in the hash.
- **Ages** are whole years, bounds inclusive: "18-33" means the 18th birthday is reached and
  the 34th is not. A person born on 29 February turns a year older on 1 March in common
  years (the day after 28 February): until 28 February they are still the younger age.
  This is what ``(month, day) < (birth month, birth day)`` gives, and matches the
  Belgian, Dutch and French civil practice of counting the legal age from 1 March.
- **Only the year of birth known** (the sign-up form asks the year): the possible ages on
  ``today`` are those of someone born on 1 January (the oldest) and of someone born on the
  last day of that year that is not after ``today`` (the youngest); ages are monotonic in
  the birth date, so the rule is decided when both extremes agree, and *needs review*
  otherwise. An exact ``birth_date`` always wins over ``birth_year``.
- ``any_of`` passes if any enabled sub-rule passes; otherwise it is undecided if any
  sub-rule is undecided, else it fails. Its sub-results are kept (ids ``"<id>.rules[i]"``)
  so the coordinator sees why. An ``any_of`` whose sub-rules are all switched off imposes
  nothing and is skipped like a disabled rule.
- Invalid rules raise :class:`InvalidRules`: tenant files are validated before they are
  loaded (with :func:`duo.eligibility.rules.rule_problems`), so this is a programming error,
  not bad input.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from duo.core.vocab.levels import CEFR_RANK, level_rank, normalise_level, spoken_rank
from duo.eligibility.rules import (
    AGE_RANGE,
    ANY_LANGUAGE_OF,
    ANY_OF,
    DEFAULT_MIN_LEVEL,
    MIN_VALUE,
    ONE_OF,
    REQUIRED_FACT,
    rule_problems,
)

#: The fact holding the year of birth, used by ``age_range`` when the exact date is unknown.
BIRTH_YEAR_FACT = "birth_year"


class Outcome(StrEnum):
    """The verdict of one rule or of a whole evaluation."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_REVIEW = "needs_review"


class InvalidRules(ValueError):
    """The rules handed to :func:`evaluate` are malformed (they should have been validated)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


# Reason codes (stable: they are stored with decisions; reasons.describe renders them).
AGE_IN_RANGE = "age.in_range"
AGE_TOO_YOUNG = "age.too_young"
AGE_TOO_OLD = "age.too_old"
AGE_YEAR_IN_RANGE = "age.year_in_range"
AGE_YEAR_TOO_YOUNG = "age.year_too_young"
AGE_YEAR_TOO_OLD = "age.year_too_old"
AGE_YEAR_UNCERTAIN = "age.year_uncertain"
AGE_UNKNOWN = "age.unknown"
FACT_MISSING = "fact.missing"
FACT_INVALID = "fact.invalid"
REQUIRED_MET = "required.met"
REQUIRED_NOT_MET = "required.not_met"
ONE_OF_MATCH = "one_of.match"
ONE_OF_NO_MATCH = "one_of.no_match"
LANGUAGE_AT_LEVEL = "language.at_level"
LANGUAGE_NONE_AT_LEVEL = "language.none_at_level"
LANGUAGE_LEVEL_UNKNOWN = "language.level_unknown"
VALUE_AT_LEAST = "value.at_least"
VALUE_BELOW_MIN = "value.below_min"
ANY_OF_MET = "any_of.met"
ANY_OF_NONE_MET = "any_of.none_met"
ANY_OF_UNDECIDED = "any_of.undecided"

#: Every reason code the engine can produce.
REASON_CODES: tuple[str, ...] = (
    AGE_IN_RANGE,
    AGE_TOO_YOUNG,
    AGE_TOO_OLD,
    AGE_YEAR_IN_RANGE,
    AGE_YEAR_TOO_YOUNG,
    AGE_YEAR_TOO_OLD,
    AGE_YEAR_UNCERTAIN,
    AGE_UNKNOWN,
    FACT_MISSING,
    FACT_INVALID,
    REQUIRED_MET,
    REQUIRED_NOT_MET,
    ONE_OF_MATCH,
    ONE_OF_NO_MATCH,
    LANGUAGE_AT_LEVEL,
    LANGUAGE_NONE_AT_LEVEL,
    LANGUAGE_LEVEL_UNKNOWN,
    VALUE_AT_LEAST,
    VALUE_BELOW_MIN,
    ANY_OF_MET,
    ANY_OF_NONE_MET,
    ANY_OF_UNDECIDED,
)


@dataclass(frozen=True)
class RuleResult:
    """The verdict of one rule, with a reason code and the params its sentence needs.

    ``params`` holds only JSON values (str, int, float, bool, None, lists and dicts of
    them) so the result survives a JSON round trip unchanged. ``sub_results`` is filled for
    ``any_of`` only.
    """

    rule_id: str
    kind: str
    outcome: Outcome
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    sub_results: tuple[RuleResult, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule_id": self.rule_id,
            "kind": self.kind,
            "outcome": str(self.outcome),
            "code": self.code,
            "params": dict(self.params),
        }
        if self.sub_results:
            data["sub_results"] = [sub.as_dict() for sub in self.sub_results]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleResult:
        return cls(
            rule_id=data["rule_id"],
            kind=data["kind"],
            outcome=Outcome(data["outcome"]),
            code=data["code"],
            params=dict(data.get("params") or {}),
            sub_results=tuple(cls.from_dict(sub) for sub in data.get("sub_results") or ()),
        )


@dataclass(frozen=True)
class Evaluation:
    """A whole evaluation: the overall outcome, every rule's result and the rules' version."""

    outcome: Outcome
    results: tuple[RuleResult, ...]
    rules_hash: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able dict (stored with the decision)."""
        return {
            "outcome": str(self.outcome),
            "rules_hash": self.rules_hash,
            "results": [result.as_dict() for result in self.results],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evaluation:
        return cls(
            outcome=Outcome(data["outcome"]),
            results=tuple(RuleResult.from_dict(result) for result in data["results"]),
            rules_hash=data["rules_hash"],
        )

    def result(self, rule_id: str) -> RuleResult | None:
        """The result of the rule with this id, if it was evaluated."""
        for result in self.results:
            if result.rule_id == rule_id:
                return result
        return None


def combine(outcomes: Iterable[Outcome]) -> Outcome:
    """All rules must hold: any failure fails, else any doubt needs review, else eligible."""
    seen = set(outcomes)
    if Outcome.NOT_ELIGIBLE in seen:
        return Outcome.NOT_ELIGIBLE
    if Outcome.NEEDS_REVIEW in seen:
        return Outcome.NEEDS_REVIEW
    return Outcome.ELIGIBLE


def is_enabled(rule: Mapping[str, Any]) -> bool:
    return rule.get("enabled", True) is not False


def _canonical_rule(rule: Mapping[str, Any]) -> dict[str, Any] | None:
    """The rule as it counts for a decision: no ``enabled`` key, no switched-off sub-rules.

    None when the rule imposes nothing (disabled, or an ``any_of`` with nothing enabled).
    """
    if not is_enabled(rule):
        return None
    canonical = {key: value for key, value in rule.items() if key != "enabled"}
    if rule.get("kind") == ANY_OF:
        subs = [_canonical_rule(sub) for sub in rule.get("rules") or ()]
        canonical["rules"] = [sub for sub in subs if sub is not None]
        if not canonical["rules"]:
            return None
    return canonical


def rules_hash(rules: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 (hex) of the canonical JSON of the enabled rules.

    Key order does not matter, and neither does an explicit ``enabled = true`` or a disabled
    rule (they change nothing for a decision); any other change, including the order of the
    rules or of a list, gives a different hash.
    """
    canonical = [c for c in (_canonical_rule(rule) for rule in rules) if c is not None]
    text = json.dumps(
        canonical,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_json_default,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"not JSON-able in a rule: {value!r}")


def evaluate(
    rules: Iterable[Mapping[str, Any]], facts: Mapping[str, Any], today: date
) -> Evaluation:
    """Evaluate a candidate's ``facts`` against ``rules`` on the day ``today``.

    ``today`` is a parameter (never read from the clock) so that a decision can be
    reproduced and tests can stand on any day, e.g. the day before a birthday.
    """
    rules = list(rules)
    problems: list[tuple[str, str]] = []
    for index, rule in enumerate(rules):
        problems.extend((f"[{index}].{path}", message) for path, message in rule_problems(rule))
    if problems:
        raise InvalidRules(problems)

    results: list[RuleResult] = []
    for rule in rules:
        if _canonical_rule(rule) is not None:
            results.append(_evaluate_rule(rule, str(rule["id"]), facts, today))
    return Evaluation(
        outcome=combine(result.outcome for result in results),
        results=tuple(results),
        rules_hash=rules_hash(rules),
    )


def _evaluate_rule(
    rule: Mapping[str, Any], rule_id: str, facts: Mapping[str, Any], today: date
) -> RuleResult:
    kind = rule["kind"]
    if kind == ANY_OF:
        return _any_of(rule, rule_id, facts, today)
    if kind == AGE_RANGE:
        return _age_range(rule, rule_id, facts, today)
    fact = rule["fact"]
    value = facts.get(fact)

    def result(outcome: Outcome, code: str, **params: Any) -> RuleResult:
        return RuleResult(rule_id, kind, outcome, code, {"fact": fact, **params})

    if _is_missing(value):
        return result(Outcome.NEEDS_REVIEW, FACT_MISSING)
    if kind == REQUIRED_FACT:
        if not isinstance(value, bool):
            return result(Outcome.NEEDS_REVIEW, FACT_INVALID)
        if value:
            return result(Outcome.ELIGIBLE, REQUIRED_MET)
        return result(Outcome.NOT_ELIGIBLE, REQUIRED_NOT_MET)
    if kind == ONE_OF:
        values = list(rule["values"])
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return result(Outcome.NEEDS_REVIEW, FACT_INVALID)
        if value in values:
            return result(Outcome.ELIGIBLE, ONE_OF_MATCH, value=value)
        return result(Outcome.NOT_ELIGIBLE, ONE_OF_NO_MATCH, value=value, values=values)
    if kind == MIN_VALUE:
        number = _as_number(value)
        minimum = rule["min"]
        if number is None:
            return result(Outcome.NEEDS_REVIEW, FACT_INVALID)
        shown = _json_number(number)
        if number >= Decimal(str(minimum)):
            return result(Outcome.ELIGIBLE, VALUE_AT_LEAST, value=shown, min=minimum)
        return result(Outcome.NOT_ELIGIBLE, VALUE_BELOW_MIN, value=shown, min=minimum)
    if kind == ANY_LANGUAGE_OF:
        return _any_language_of(rule, value, result)
    raise InvalidRules([("kind", f"no evaluator for rule kind {kind!r}")])  # pragma: no cover


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def _json_number(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


# --- languages ----------------------------------------------------------------------------


def _language_key(code: Any) -> str | None:
    """ "nl-BE" / "NL" / "nl_be" -> "nl"; None for anything that is not a text."""
    if not isinstance(code, str) or not code.strip():
        return None
    return code.strip().replace("_", "-").split("-", 1)[0].lower()


def _any_language_of(rule: Mapping[str, Any], value: Any, result: Any) -> RuleResult:
    if not isinstance(value, Mapping):
        return result(Outcome.NEEDS_REVIEW, FACT_INVALID)
    if not value:
        return result(Outcome.NEEDS_REVIEW, FACT_MISSING)
    min_level = normalise_level(rule.get("min_level", DEFAULT_MIN_LEVEL)) or DEFAULT_MIN_LEVEL
    needed = CEFR_RANK[min_level]
    accepted = list(rule["languages"])
    spoken: dict[str, Any] = {}
    for code, level in value.items():
        key = _language_key(code)
        if key is None or key not in accepted:
            continue
        # Keep the best level when "nl" and "nl-BE" are both given.
        if key not in spoken or spoken_rank(level) > spoken_rank(spoken[key]):
            spoken[key] = level
    best: tuple[int, str] | None = None  # (rank, language)
    unclear: list[str] = []
    for code in accepted:  # the rule's order: the first listed language wins a tie
        if code not in spoken:
            continue
        rank = level_rank(spoken[code])
        if rank is None:
            unclear.append(code)
        elif rank >= needed and (best is None or rank > best[0]):
            best = (rank, code)
    common = {"languages": accepted, "min_level": min_level}
    if best is not None:
        code = best[1]
        level = normalise_level(spoken[code])
        return result(Outcome.ELIGIBLE, LANGUAGE_AT_LEVEL, language=code, level=level, **common)
    if unclear:
        return result(Outcome.NEEDS_REVIEW, LANGUAGE_LEVEL_UNKNOWN, language=unclear[0], **common)
    levels = {code: normalise_level(spoken[code]) for code in accepted if code in spoken}
    return result(Outcome.NOT_ELIGIBLE, LANGUAGE_NONE_AT_LEVEL, spoken=levels, **common)


# --- ages ---------------------------------------------------------------------------------


def age_on(birth: date, today: date) -> int:
    """Completed years on ``today``; a 29 February birthday counts from 1 March in common years."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _as_year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _bounds_verdict(age: int, minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and age < minimum:
        return "young"
    if maximum is not None and age > maximum:
        return "old"
    return "ok"


def _age_range(
    rule: Mapping[str, Any], rule_id: str, facts: Mapping[str, Any], today: date
) -> RuleResult:
    fact = rule["fact"]
    minimum, maximum = rule.get("min"), rule.get("max")
    bounds = {"min": minimum, "max": maximum}

    def result(outcome: Outcome, code: str, **params: Any) -> RuleResult:
        return RuleResult(rule_id, AGE_RANGE, outcome, code, {"fact": fact, **bounds, **params})

    raw_date = facts.get(fact)
    if not _is_missing(raw_date):
        birth = _as_date(raw_date)
        if birth is None or birth > today:
            return result(Outcome.NEEDS_REVIEW, FACT_INVALID)
        age = age_on(birth, today)
        verdict = _bounds_verdict(age, minimum, maximum)
        if verdict == "young":
            return result(Outcome.NOT_ELIGIBLE, AGE_TOO_YOUNG, age=age)
        if verdict == "old":
            return result(Outcome.NOT_ELIGIBLE, AGE_TOO_OLD, age=age)
        return result(Outcome.ELIGIBLE, AGE_IN_RANGE, age=age)

    raw_year = facts.get(BIRTH_YEAR_FACT)
    if _is_missing(raw_year):
        return result(Outcome.NEEDS_REVIEW, AGE_UNKNOWN)
    year = _as_year(raw_year)
    if year is None or year < 1 or year > today.year:
        return result(Outcome.NEEDS_REVIEW, FACT_INVALID, fact=BIRTH_YEAR_FACT)
    # Oldest possible: born 1 January; youngest: born on the last day of the year not after today.
    oldest = age_on(date(year, 1, 1), today)
    youngest = age_on(min(date(year, 12, 31), today), today)
    year_params = {"birth_year": year, "age_min": youngest, "age_max": oldest}
    verdicts = {
        _bounds_verdict(youngest, minimum, maximum),
        _bounds_verdict(oldest, minimum, maximum),
    }
    if verdicts == {"ok"}:
        return result(Outcome.ELIGIBLE, AGE_YEAR_IN_RANGE, **year_params)
    if verdicts == {"young"}:
        return result(Outcome.NOT_ELIGIBLE, AGE_YEAR_TOO_YOUNG, **year_params)
    if verdicts == {"old"}:
        return result(Outcome.NOT_ELIGIBLE, AGE_YEAR_TOO_OLD, **year_params)
    return result(Outcome.NEEDS_REVIEW, AGE_YEAR_UNCERTAIN, **year_params)


# --- any_of -------------------------------------------------------------------------------


def _any_of(
    rule: Mapping[str, Any], rule_id: str, facts: Mapping[str, Any], today: date
) -> RuleResult:
    # Switched-off sub-rules are skipped but keep their index, so ids match the config file.
    # The caller skips an any_of with nothing left (see _canonical_rule).
    subs = tuple(
        _evaluate_rule(sub, f"{rule_id}.rules[{index}]", facts, today)
        for index, sub in enumerate(rule["rules"])
        if _canonical_rule(sub) is not None
    )
    outcomes = {sub.outcome for sub in subs}
    if Outcome.ELIGIBLE in outcomes:
        met = next(sub for sub in subs if sub.outcome is Outcome.ELIGIBLE)
        return RuleResult(rule_id, ANY_OF, Outcome.ELIGIBLE, ANY_OF_MET, {"met": met.rule_id}, subs)
    if Outcome.NEEDS_REVIEW in outcomes:
        return RuleResult(rule_id, ANY_OF, Outcome.NEEDS_REVIEW, ANY_OF_UNDECIDED, {}, subs)
    return RuleResult(rule_id, ANY_OF, Outcome.NOT_ELIGIBLE, ANY_OF_NONE_MET, {}, subs)
