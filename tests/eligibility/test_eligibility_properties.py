"""Properties of the eligibility engine that must hold for any rules, facts and day."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from duo.core.vocab.levels import CEFR_LEVELS
from duo.eligibility.engine import Outcome, age_on, combine, evaluate, rules_hash
from duo.eligibility.reasons import describe
from duo.eligibility.rules import rule_problems

BOOL_FACTS = ["volunteer", "allowed_to_work", "other_barriers"]
VALUES = ["non_eu_nationality", "parent_born_outside_eu", "grandparent_born_outside_eu", "none"]
LANGUAGES = ["fr", "nl", "en", "ar"]

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def birthday(born: date, years: int) -> date:
    """The day ``born`` turns ``years``: 29 February birthdays fall on 1 March in common years."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


@st.composite
def age_rules(draw) -> dict:
    low = draw(st.none() | st.integers(0, 100))
    high = draw(st.none() | st.integers(low or 0, 110))
    assume(low is not None or high is not None)
    rule = {"kind": "age_range", "fact": "birth_date"}
    if low is not None:
        rule["min"] = low
    if high is not None:
        rule["max"] = high
    return rule


simple_rules = st.one_of(
    age_rules(),
    st.builds(lambda f: {"kind": "required_fact", "fact": f}, st.sampled_from(BOOL_FACTS)),
    st.builds(
        lambda v: {"kind": "one_of", "fact": "migration_background", "values": v},
        st.lists(st.sampled_from(VALUES), min_size=1, max_size=4, unique=True),
    ),
    st.builds(
        lambda langs, level: {
            "kind": "any_language_of",
            "fact": "languages",
            "languages": langs,
            **({"min_level": level} if level else {}),
        },
        st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=4, unique=True),
        st.none() | st.sampled_from(CEFR_LEVELS),
    ),
    st.builds(
        lambda m: {"kind": "min_value", "fact": "years_experience", "min": m},
        st.integers(0, 40) | st.floats(0, 40, allow_nan=False),
    ),
)


def maybe_disabled(rules: st.SearchStrategy[dict]) -> st.SearchStrategy[dict]:
    return st.builds(
        lambda rule, enabled: rule if enabled is None else {**rule, "enabled": enabled},
        rules,
        st.none() | st.booleans(),
    )


any_of_rules = st.builds(
    lambda subs: {"kind": "any_of", "rules": subs},
    st.lists(maybe_disabled(simple_rules), min_size=1, max_size=3),
)

rule_lists = st.lists(maybe_disabled(simple_rules | any_of_rules), max_size=7).map(
    lambda rules: [{"id": f"r{index}", **rule} for index, rule in enumerate(rules)]
)

levels = st.sampled_from([*CEFR_LEVELS, "b2", "fluent", None])


@st.composite
def fact_sets(draw) -> dict:
    """Facts of every shape, present or not; a birth year never contradicts the birth date."""
    facts: dict = {}
    if draw(st.booleans()):
        facts["birth_date"] = draw(st.dates(date(1920, 1, 1), date(2030, 12, 31)) | st.none())
    if draw(st.booleans()):
        born = facts.get("birth_date")
        facts["birth_year"] = born.year if born else draw(st.integers(1920, 2030) | st.none())
    for fact in BOOL_FACTS:
        if draw(st.booleans()):
            facts[fact] = draw(st.booleans() | st.none() | st.just("yes"))
    if draw(st.booleans()):
        facts["migration_background"] = draw(st.sampled_from([*VALUES, "other", None, 3]))
    if draw(st.booleans()):
        facts["years_experience"] = draw(
            st.integers(-1, 50) | st.floats(0, 50) | st.none() | st.just("many")
        )
    if draw(st.booleans()):
        facts["languages"] = draw(
            st.dictionaries(st.sampled_from([*LANGUAGES, "tr", "nl-BE"]), levels, max_size=4)
            | st.none()
        )
    return facts


today_strategy = st.dates(date(2000, 1, 1), date(2030, 12, 31))


# --- ages -----------------------------------------------------------------------------------


@given(born=days, years=st.integers(1, 120))
def test_age_turns_over_exactly_on_the_birthday(born, years):
    assume(born.year + years <= 9999)
    turns = birthday(born, years)
    assert age_on(born, turns) == years
    assert age_on(born, turns - timedelta(days=1)) == years - 1


@given(born=days, first=days, second=days)
def test_age_never_decreases_with_time(born, first, second):
    first, second = sorted((first, second))
    assume(born <= first)
    assert age_on(born, first) <= age_on(born, second)


@given(born=days, bound=st.integers(0, 100), first=days, second=days)
def test_age_decision_by_birth_date_is_monotonic(born, bound, first, second):
    """Once old enough, always old enough; once too old, always too old."""
    first, second = sorted((first, second))
    assume(born <= first)
    minimum = [{"id": "a", "kind": "age_range", "fact": "birth_date", "min": bound}]
    maximum = [{"id": "a", "kind": "age_range", "fact": "birth_date", "max": bound}]
    facts = {"birth_date": born}
    if evaluate(minimum, facts, first).outcome is Outcome.ELIGIBLE:
        assert evaluate(minimum, facts, second).outcome is Outcome.ELIGIBLE
    if evaluate(maximum, facts, first).outcome is Outcome.NOT_ELIGIBLE:
        assert evaluate(maximum, facts, second).outcome is Outcome.NOT_ELIGIBLE


@given(born=days, bound=st.integers(1, 100))
def test_minimum_age_flips_on_the_birthday(born, bound):
    assume(born.year + bound <= 9999)
    rules = [{"id": "a", "kind": "age_range", "fact": "birth_date", "min": bound}]
    turns = birthday(born, bound)
    before = evaluate(rules, {"birth_date": born}, turns - timedelta(days=1))
    assert before.outcome is Outcome.NOT_ELIGIBLE
    assert evaluate(rules, {"birth_date": born}, turns).outcome is Outcome.ELIGIBLE


@given(born=days, today=days, rule=age_rules())
def test_birth_year_only_never_contradicts_the_exact_date(born, today, rule):
    assume(born <= today)
    rules = [{"id": "age", **rule}]
    exact = evaluate(rules, {"birth_date": born}, today).outcome
    year_only = evaluate(rules, {"birth_year": born.year}, today).outcome
    assert year_only in (exact, Outcome.NEEDS_REVIEW)


@given(year=st.integers(1900, 2030), today=today_strategy, rule=age_rules())
def test_a_decided_birth_year_holds_for_every_birthday_of_that_year(year, today, rule):
    assume(year <= today.year)
    rules = [{"id": "age", **rule}]
    year_only = evaluate(rules, {"birth_year": year}, today).outcome
    born = date(year, 1, 1)
    exact = set()
    while born.year == year and born <= today:
        exact.add(evaluate(rules, {"birth_date": born}, today).outcome)
        born += timedelta(days=1)
    if year_only is Outcome.NEEDS_REVIEW:
        assert len(exact) == 2
    else:
        assert exact == {year_only}


# --- whole evaluations ----------------------------------------------------------------------


@given(rules=rule_lists)
def test_generated_rules_are_valid(rules):
    for rule in rules:
        assert rule_problems(rule) == []


@given(rules=rule_lists, facts=fact_sets(), today=today_strategy, data=st.data())
def test_removing_a_fact_never_makes_a_not_eligible_candidate_eligible(rules, facts, today, data):
    assume(facts)
    before = evaluate(rules, facts, today).outcome
    removed = data.draw(st.sampled_from(sorted(facts)))
    fewer = {key: value for key, value in facts.items() if key != removed}
    after = evaluate(rules, fewer, today).outcome
    if before is Outcome.NOT_ELIGIBLE:
        assert after is not Outcome.ELIGIBLE
    if after is Outcome.ELIGIBLE and removed != "birth_date":
        # Dropping a fact can only remove certainty (the birth date may give way to the year).
        assert before is Outcome.ELIGIBLE


@given(rules=rule_lists, facts=fact_sets(), today=today_strategy)
def test_overall_outcome_agrees_with_the_rule_outcomes(rules, facts, today):
    evaluation = evaluate(rules, facts, today)
    outcomes = [result.outcome for result in evaluation.results]
    assert evaluation.outcome is combine(outcomes)
    if evaluation.outcome is Outcome.ELIGIBLE:
        assert all(outcome is Outcome.ELIGIBLE for outcome in outcomes)
    if evaluation.outcome is Outcome.NEEDS_REVIEW:
        assert Outcome.NOT_ELIGIBLE not in outcomes and Outcome.NEEDS_REVIEW in outcomes
    evaluated = {result.rule_id for result in evaluation.results}
    assert evaluated <= {rule["id"] for rule in rules if rule.get("enabled", True)}
    assert not {rule["id"] for rule in rules if rule.get("enabled") is False} & evaluated
    for result in evaluation.results:
        assert describe(result)
        if result.kind == "any_of":
            sub = {s.outcome for s in result.sub_results}
            expected = (
                Outcome.ELIGIBLE
                if Outcome.ELIGIBLE in sub
                else Outcome.NEEDS_REVIEW
                if Outcome.NEEDS_REVIEW in sub
                else Outcome.NOT_ELIGIBLE
            )
            assert result.outcome is expected
            for s in result.sub_results:
                assert describe(s)


@given(rules=rule_lists, facts=fact_sets(), today=today_strategy)
def test_evaluation_round_trips_through_its_dict(rules, facts, today):
    from duo.eligibility.engine import Evaluation

    evaluation = evaluate(rules, facts, today)
    assert Evaluation.from_dict(evaluation.as_dict()) == evaluation


def shuffled(value, rng: random.Random):
    """The same rules with every mapping's keys in another order."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: shuffled(value[key], rng) for key in keys}
    if isinstance(value, list):
        return [shuffled(item, rng) for item in value]
    return value


@given(rules=rule_lists, seed=st.integers(), facts=fact_sets(), today=today_strategy)
def test_hash_and_outcome_do_not_depend_on_key_order(rules, seed, facts, today):
    reordered = shuffled(rules, random.Random(seed))
    assert rules_hash(reordered) == rules_hash(rules)
    assert evaluate(reordered, facts, today) == evaluate(rules, facts, today)


@given(rules=rule_lists.filter(bool), data=st.data())
def test_hash_changes_when_an_enabled_rule_changes(rules, data):
    def effective(rule: dict) -> bool:
        # a switched-off rule, or an any_of whose sub-rules are all off, is skipped entirely
        if not rule.get("enabled", True):
            return False
        if rule.get("kind") == "any_of":
            return any(effective(sub) for sub in rule.get("rules", []))
        return True

    enabled = [index for index, rule in enumerate(rules) if effective(rule)]
    assume(enabled)
    index = data.draw(st.sampled_from(enabled))
    changed = [dict(rule) for rule in rules]
    changed[index]["id"] = changed[index]["id"] + "-changed"
    assert rules_hash(changed) != rules_hash(rules)
