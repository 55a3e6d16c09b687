"""The eligibility engine on rule lists that mirror DESIGN.md (independent of tenants/)."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from duo.core.vocab.levels import CEFR_LEVELS, level_rank
from duo.eligibility.engine import (
    REASON_CODES,
    Evaluation,
    InvalidRules,
    Outcome,
    RuleResult,
    age_on,
    combine,
    evaluate,
    rules_hash,
)
from duo.eligibility.reasons import (
    describe,
    describe_outcome,
    fact_label,
    language_name,
    value_label,
)
from duo.eligibility.rules import RULE_KINDS, rule_problems

#: The engine takes "today" as a parameter. A fixed year for it: a common year two years
#: before a leap year, which the 29 February birthdays need.
YEAR = 2026

TODAY = date(YEAR, 5, 15)

MIGRATION_VALUES = ["non_eu_nationality", "parent_born_outside_eu", "grandparent_born_outside_eu"]

NL_MENTEE = [
    {"id": "age", "kind": "age_range", "fact": "birth_date", "min": 18, "max": 33},
    {"id": "seeking", "kind": "required_fact", "fact": "seeking_job_study_or_internship"},
    {
        "id": "migration",
        "kind": "one_of",
        "fact": "migration_background",
        "values": MIGRATION_VALUES,
    },
    {"id": "work_permit", "kind": "required_fact", "fact": "allowed_to_work"},
    {
        "id": "language",
        "kind": "any_language_of",
        "fact": "languages",
        "languages": ["nl", "en"],
        "min_level": "B1",
    },
    {
        "id": "jobseeker_registration",
        "kind": "required_fact",
        "fact": "registered_jobseeker",
        "enabled": False,
    },
]

NL_MENTOR = [
    {"id": "age", "kind": "age_range", "fact": "birth_date", "min": 50},
    {"id": "experience", "kind": "min_value", "fact": "years_experience", "min": 5},
    {"id": "volunteer", "kind": "required_fact", "fact": "volunteer"},
    {"id": "availability", "kind": "required_fact", "fact": "available_six_months"},
    {
        "id": "language",
        "kind": "any_language_of",
        "fact": "languages",
        "languages": ["nl"],
        "min_level": "B2",
    },
]

# Some French branches accept young French people facing other barriers.
FR_MENTEE = [
    {"id": "age", "kind": "age_range", "fact": "birth_date", "min": 18, "max": 33},
    {"id": "seeking", "kind": "required_fact", "fact": "seeking_job_study_or_internship"},
    {
        "id": "migration",
        "kind": "any_of",
        "rules": [
            {"kind": "one_of", "fact": "migration_background", "values": MIGRATION_VALUES},
            {"kind": "required_fact", "fact": "other_barriers"},
        ],
    },
    {"id": "work_permit", "kind": "required_fact", "fact": "allowed_to_work"},
    {
        "id": "language",
        "kind": "any_language_of",
        "fact": "languages",
        "languages": ["fr"],
        "min_level": "B1",
    },
]

NL_MENTEE_FACTS = {
    "birth_date": date(YEAR - 26, 3, 10),
    "seeking_job_study_or_internship": True,
    "migration_background": "parent_born_outside_eu",
    "allowed_to_work": True,
    "languages": {"nl": "B2", "ar": "native"},
}

MENTOR_FACTS = {
    "birth_date": date(1970, 1, 1),
    "years_experience": 30,
    "volunteer": True,
    "available_six_months": True,
    "languages": {"nl": "native"},
}


def with_facts(base: dict, **changes) -> dict:
    facts = dict(base)
    for key, value in changes.items():
        if value is ...:
            facts.pop(key, None)
        else:
            facts[key] = value
    return facts


def assert_described(evaluation: Evaluation) -> None:
    """Every result has a non-empty sentence with its placeholders filled."""
    stack = list(evaluation.results)
    while stack:
        result = stack.pop()
        assert result.code in REASON_CODES
        sentence = describe(result)
        assert sentence.strip()
        assert "%(" not in sentence, sentence
        assert "None" not in sentence.removeprefix("None of the alternatives"), sentence
        stack.extend(result.sub_results)
    assert describe_outcome(evaluation.outcome)


# --- the scenarios of the brief -----------------------------------------------------------


def test_eligible_nl_mentee():
    evaluation = evaluate(NL_MENTEE, NL_MENTEE_FACTS, TODAY)
    assert evaluation.outcome is Outcome.ELIGIBLE
    assert [r.rule_id for r in evaluation.results] == [
        "age",
        "seeking",
        "migration",
        "work_permit",
        "language",
    ]
    assert all(r.outcome is Outcome.ELIGIBLE for r in evaluation.results)
    assert evaluation.result("age").params["age"] == 26
    assert evaluation.result("language").params["language"] == "nl"
    assert_described(evaluation)


def test_thirty_four_year_old_is_too_old():
    facts = with_facts(NL_MENTEE_FACTS, birth_date=date(YEAR - 34, 5, 15))
    evaluation = evaluate(NL_MENTEE, facts, TODAY)
    assert evaluation.outcome is Outcome.NOT_ELIGIBLE
    age = evaluation.result("age")
    assert (age.code, age.params["age"], age.params["max"]) == ("age.too_old", 34, 33)
    assert describe(age) == "Age 34 is above the maximum of 33."


def test_thirty_three_on_the_day_before_the_34th_birthday_is_eligible():
    facts = with_facts(NL_MENTEE_FACTS, birth_date=date(YEAR - 34, 5, 16))
    assert evaluate(NL_MENTEE, facts, TODAY).outcome is Outcome.ELIGIBLE


def test_seventeen_the_day_before_the_18th_birthday_then_eligible_on_it():
    facts = with_facts(NL_MENTEE_FACTS, birth_date=date(YEAR - 18, 5, 16))
    before = evaluate(NL_MENTEE, facts, date(YEAR, 5, 15))
    assert before.outcome is Outcome.NOT_ELIGIBLE
    assert before.result("age").code == "age.too_young"
    assert before.result("age").params["age"] == 17
    assert describe(before.result("age")) == "Age 17 is below the minimum of 18."
    on = evaluate(NL_MENTEE, facts, date(YEAR, 5, 16))
    assert on.outcome is Outcome.ELIGIBLE
    assert on.result("age").params["age"] == 18


def test_eu_national_without_migration_background_is_not_eligible():
    facts = with_facts(NL_MENTEE_FACTS, migration_background="none")
    evaluation = evaluate(NL_MENTEE, facts, TODAY)
    assert evaluation.outcome is Outcome.NOT_ELIGIBLE
    migration = evaluation.result("migration")
    assert migration.code == "one_of.no_match"
    assert migration.params["values"] == MIGRATION_VALUES
    assert "no migration background" in describe(migration)


@pytest.mark.parametrize("missing", [..., None, ""])
def test_missing_residence_fact_needs_review(missing):
    facts = with_facts(NL_MENTEE_FACTS, allowed_to_work=missing)
    evaluation = evaluate(NL_MENTEE, facts, TODAY)
    assert evaluation.outcome is Outcome.NEEDS_REVIEW
    result = evaluation.result("work_permit")
    assert (result.outcome, result.code) == (Outcome.NEEDS_REVIEW, "fact.missing")
    assert describe(result) == "Not known yet: Residence status that allows work."


def test_a_failing_rule_outweighs_a_missing_fact():
    facts = with_facts(NL_MENTEE_FACTS, allowed_to_work=..., migration_background="none")
    assert evaluate(NL_MENTEE, facts, TODAY).outcome is Outcome.NOT_ELIGIBLE


def test_mentor_of_49_is_not_eligible_mentor_of_50_is():
    turns_50_today = with_facts(MENTOR_FACTS, birth_date=date(1976, 5, 15))
    turns_50_tomorrow = with_facts(MENTOR_FACTS, birth_date=date(1976, 5, 16))
    assert evaluate(NL_MENTOR, turns_50_today, TODAY).outcome is Outcome.ELIGIBLE
    young = evaluate(NL_MENTOR, turns_50_tomorrow, TODAY)
    assert young.outcome is Outcome.NOT_ELIGIBLE
    assert young.result("age").params == {"fact": "birth_date", "min": 50, "max": None, "age": 49}
    assert describe(young.result("age")) == "Age 49 is below the minimum of 50."
    assert describe(evaluate(NL_MENTOR, turns_50_today, TODAY).result("age")) == (
        "Age 50 meets the minimum of 50."
    )


def test_any_of_accepts_other_barriers():
    facts = with_facts(NL_MENTEE_FACTS, languages={"fr": "C1"}, migration_background="none")
    barriers = evaluate(FR_MENTEE, with_facts(facts, other_barriers=True), TODAY)
    assert barriers.outcome is Outcome.ELIGIBLE
    migration = barriers.result("migration")
    assert migration.code == "any_of.met"
    assert migration.params == {"met": "migration.rules[1]"}
    assert [s.outcome for s in migration.sub_results] == [Outcome.NOT_ELIGIBLE, Outcome.ELIGIBLE]
    assert describe(migration).startswith("One of the alternatives is met: ")
    assert_described(barriers)

    neither = evaluate(FR_MENTEE, with_facts(facts, other_barriers=False), TODAY)
    assert neither.outcome is Outcome.NOT_ELIGIBLE
    assert neither.result("migration").code == "any_of.none_met"

    unknown = evaluate(FR_MENTEE, facts, TODAY)
    assert unknown.outcome is Outcome.NEEDS_REVIEW
    assert unknown.result("migration").code == "any_of.undecided"
    assert_described(unknown)

    background = with_facts(facts, migration_background="non_eu_nationality")
    assert evaluate(FR_MENTEE, background, TODAY).outcome is Outcome.ELIGIBLE


def test_switched_off_rule_is_ignored():
    facts = with_facts(NL_MENTEE_FACTS, registered_jobseeker=False)
    evaluation = evaluate(NL_MENTEE, facts, TODAY)
    assert evaluation.outcome is Outcome.ELIGIBLE
    assert evaluation.result("jobseeker_registration") is None

    switched_on = copy.deepcopy(NL_MENTEE)
    switched_on[-1]["enabled"] = True
    on = evaluate(switched_on, facts, TODAY)
    assert on.outcome is Outcome.NOT_ELIGIBLE
    assert on.result("jobseeker_registration").code == "required.not_met"
    assert on.rules_hash != evaluation.rules_hash


def test_switched_off_sub_rule_is_ignored_and_keeps_its_index():
    rules = copy.deepcopy(FR_MENTEE)
    rules[2]["rules"][0]["enabled"] = False
    facts = with_facts(NL_MENTEE_FACTS, languages={"fr": "B1"}, other_barriers=True)
    evaluation = evaluate(rules, facts, TODAY)
    migration = evaluation.result("migration")
    assert [s.rule_id for s in migration.sub_results] == ["migration.rules[1]"]
    assert evaluation.outcome is Outcome.ELIGIBLE

    rules[2]["rules"][1]["enabled"] = False  # nothing left: the any_of imposes nothing
    evaluation = evaluate(rules, with_facts(facts, other_barriers=False), TODAY)
    assert evaluation.result("migration") is None
    assert evaluation.outcome is Outcome.ELIGIBLE


@pytest.mark.parametrize(
    "facts",
    [
        NL_MENTEE_FACTS,
        {},
        {"birth_year": YEAR - 18, "languages": {"nl": "fluent"}},
        {"birth_year": YEAR - 46, "languages": {"en": "A1"}, "migration_background": "none"},
        {"birth_date": "not a date", "allowed_to_work": "yes", "languages": ["nl"]},
        {"birth_date": date(YEAR + 4, 1, 1), "birth_year": "abc"},
    ],
)
@pytest.mark.parametrize("rules", [NL_MENTEE, NL_MENTOR, FR_MENTEE], ids=["nl", "mentor", "fr"])
def test_every_result_has_a_reason(rules, facts):
    evaluation = evaluate(rules, facts, TODAY)
    assert len(evaluation.results) == sum(1 for r in rules if r.get("enabled", True))
    assert_described(evaluation)


# --- ages -----------------------------------------------------------------------------------

AGE_18_33 = [{"id": "age", "kind": "age_range", "fact": "birth_date", "min": 18, "max": 33}]


def age_result(facts: dict, today: date = TODAY, rules: list | None = None) -> RuleResult:
    return evaluate(rules or AGE_18_33, facts, today).results[0]


def test_29_february_birthday_counts_from_1_march_in_common_years():
    born = date(YEAR - 18, 2, 29)
    assert age_on(born, date(YEAR, 2, 28)) == 17
    assert age_on(born, date(YEAR, 3, 1)) == 18
    assert age_on(born, date(YEAR + 2, 2, 28)) == 19
    assert age_on(born, date(YEAR + 2, 2, 29)) == 20
    assert age_result({"birth_date": born}, date(YEAR, 2, 28)).code == "age.too_young"
    assert age_result({"birth_date": born}, date(YEAR, 3, 1)).code == "age.in_range"


def test_birth_date_accepts_iso_text_and_datetime():
    from datetime import datetime

    assert age_result({"birth_date": f"{YEAR - 26}-03-10"}).params["age"] == 26
    assert age_result({"birth_date": datetime(YEAR - 26, 3, 10, 12, 0)}).params["age"] == 26


@pytest.mark.parametrize(
    ("year", "today", "code", "outcome"),
    [
        (YEAR - 19, TODAY, "age.year_in_range", Outcome.ELIGIBLE),  # 18 or 19
        (YEAR - 18, TODAY, "age.year_uncertain", Outcome.NEEDS_REVIEW),  # 17 or 18
        (YEAR - 17, TODAY, "age.year_too_young", Outcome.NOT_ELIGIBLE),  # 16 or 17
        (YEAR - 18, date(YEAR, 12, 31), "age.year_in_range", Outcome.ELIGIBLE),  # all are 18
        (YEAR - 18, date(YEAR, 1, 1), "age.year_uncertain", Outcome.NEEDS_REVIEW),  # 1 Jan: 18
        (
            YEAR - 18,
            date(YEAR - 1, 12, 31),
            "age.year_too_young",
            Outcome.NOT_ELIGIBLE,
        ),  # all are 17
        (YEAR - 33, TODAY, "age.year_in_range", Outcome.ELIGIBLE),  # 32 or 33
        (YEAR - 34, TODAY, "age.year_uncertain", Outcome.NEEDS_REVIEW),  # 33 or 34
        (YEAR - 35, TODAY, "age.year_too_old", Outcome.NOT_ELIGIBLE),  # 34 or 35
        (YEAR - 34, date(YEAR - 1, 12, 31), "age.year_in_range", Outcome.ELIGIBLE),  # all are 33
        (YEAR - 34, date(YEAR, 1, 1), "age.year_uncertain", Outcome.NEEDS_REVIEW),  # 1 Jan: 34
    ],
)
def test_birth_year_only_is_decided_only_when_every_birthday_agrees(year, today, code, outcome):
    result = age_result({"birth_year": year}, today)
    assert (result.code, result.outcome) == (code, outcome)
    assert result.params["birth_year"] == year


def test_birth_year_of_this_year_counts_only_days_already_past():
    rules = [{"id": "age", "kind": "age_range", "fact": "birth_date", "max": 0}]
    result = age_result({"birth_year": YEAR}, TODAY, rules)
    assert (result.code, result.params["age_min"], result.params["age_max"]) == (
        "age.year_in_range",
        0,
        0,
    )


def test_uncertain_year_is_explained_with_both_ages():
    result = age_result({"birth_year": 2008})
    assert describe(result) == (
        f"Born in {YEAR - 18}, so 17 or 18 years old: the exact date of birth is needed."
    )


def test_exact_birth_date_wins_over_birth_year():
    result = age_result({"birth_date": date(YEAR - 18, 1, 1), "birth_year": 1990})
    assert (result.code, result.params["age"]) == ("age.in_range", 18)


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        ({}, "age.unknown"),
        ({"birth_date": None, "birth_year": None}, "age.unknown"),
        ({"birth_date": f"10/03/{YEAR - 26}"}, "fact.invalid"),
        ({"birth_date": date(YEAR + 1, 1, 1)}, "fact.invalid"),
        ({"birth_year": YEAR + 1}, "fact.invalid"),
        ({"birth_year": True}, "fact.invalid"),
    ],
)
def test_unknown_or_unusable_age_needs_review(facts, code):
    result = age_result(facts)
    assert (result.outcome, result.code) == (Outcome.NEEDS_REVIEW, code)
    assert describe(result)


def test_birth_year_as_text_is_read():
    assert age_result({"birth_year": f"{YEAR - 19}"}).code == "age.year_in_range"


# --- other kinds ----------------------------------------------------------------------------

LANGUAGE_RULE = [
    {
        "id": "language",
        "kind": "any_language_of",
        "fact": "languages",
        "languages": ["fr", "nl"],
        "min_level": "B2",
    }
]


@pytest.mark.parametrize(
    ("languages", "outcome", "code"),
    [
        ({"fr": "B2"}, Outcome.ELIGIBLE, "language.at_level"),
        ({"nl": "native", "fr": "A1"}, Outcome.ELIGIBLE, "language.at_level"),
        ({"nl-BE": "c1"}, Outcome.ELIGIBLE, "language.at_level"),
        ({"FR": "C2"}, Outcome.ELIGIBLE, "language.at_level"),
        ({"fr": "B1", "nl": "A2", "en": "C2"}, Outcome.NOT_ELIGIBLE, "language.none_at_level"),
        ({"en": "native"}, Outcome.NOT_ELIGIBLE, "language.none_at_level"),
        ({"fr": "fluent"}, Outcome.NEEDS_REVIEW, "language.level_unknown"),
        ({"fr": None, "nl": "B2"}, Outcome.ELIGIBLE, "language.at_level"),
        ({}, Outcome.NEEDS_REVIEW, "fact.missing"),
        (None, Outcome.NEEDS_REVIEW, "fact.missing"),
        (["fr"], Outcome.NEEDS_REVIEW, "fact.invalid"),
    ],
)
def test_any_language_of(languages, outcome, code):
    result = evaluate(LANGUAGE_RULE, {"languages": languages}, TODAY).results[0]
    assert (result.outcome, result.code) == (outcome, code)
    assert describe(result)


def test_language_picks_the_best_accepted_language():
    result = evaluate(LANGUAGE_RULE, {"languages": {"fr": "B2", "nl": "C1"}}, TODAY).results[0]
    assert (result.params["language"], result.params["level"]) == ("nl", "C1")
    assert describe(result) == "Speaks Dutch at level C1 (B2 needed)."


def test_language_default_min_level_is_a1():
    rule = [{"id": "l", "kind": "any_language_of", "fact": "languages", "languages": ["fr"]}]
    result = evaluate(rule, {"languages": {"fr": "A1"}}, TODAY).results[0]
    assert result.outcome is Outcome.ELIGIBLE
    assert result.params["min_level"] == "A1"


def test_language_none_at_level_names_the_languages():
    result = evaluate(LANGUAGE_RULE, {"languages": {"fr": "A2"}}, TODAY).results[0]
    assert describe(result) == "Does not speak French or Dutch at level B2 or above."
    assert result.params["spoken"] == {"fr": "A2"}


EXPERIENCE = [{"id": "experience", "kind": "min_value", "fact": "years_experience", "min": 5}]


@pytest.mark.parametrize(
    ("value", "outcome", "code"),
    [
        (5, Outcome.ELIGIBLE, "value.at_least"),
        (4.5, Outcome.NOT_ELIGIBLE, "value.below_min"),
        ("12", Outcome.ELIGIBLE, "value.at_least"),
        ("4,5", Outcome.NOT_ELIGIBLE, "value.below_min"),
        (0, Outcome.NOT_ELIGIBLE, "value.below_min"),
        ("many", Outcome.NEEDS_REVIEW, "fact.invalid"),
        (True, Outcome.NEEDS_REVIEW, "fact.invalid"),
        (float("nan"), Outcome.NEEDS_REVIEW, "fact.invalid"),
        (None, Outcome.NEEDS_REVIEW, "fact.missing"),
    ],
)
def test_min_value(value, outcome, code):
    result = evaluate(EXPERIENCE, {"years_experience": value}, TODAY).results[0]
    assert (result.outcome, result.code) == (outcome, code)
    assert describe(result)


def test_min_value_sentence():
    result = evaluate(EXPERIENCE, {"years_experience": 4.5}, TODAY).results[0]
    assert describe(result) == "Years of professional experience: 4.5, below the minimum of 5."


@pytest.mark.parametrize(
    ("value", "outcome", "code"),
    [
        (True, Outcome.ELIGIBLE, "required.met"),
        (False, Outcome.NOT_ELIGIBLE, "required.not_met"),
        ("yes", Outcome.NEEDS_REVIEW, "fact.invalid"),
        (1, Outcome.NEEDS_REVIEW, "fact.invalid"),
        (None, Outcome.NEEDS_REVIEW, "fact.missing"),
    ],
)
def test_required_fact(value, outcome, code):
    rule = [{"id": "v", "kind": "required_fact", "fact": "volunteer"}]
    result = evaluate(rule, {"volunteer": value}, TODAY).results[0]
    assert (result.outcome, result.code) == (outcome, code)


def test_one_of_with_a_value_of_the_wrong_shape_needs_review():
    facts = with_facts(NL_MENTEE_FACTS, migration_background=["non_eu_nationality"])
    result = evaluate(NL_MENTEE, facts, TODAY).result("migration")
    assert (result.outcome, result.code) == (Outcome.NEEDS_REVIEW, "fact.invalid")


def test_combine():
    assert combine([]) is Outcome.ELIGIBLE
    assert combine([Outcome.ELIGIBLE, Outcome.NEEDS_REVIEW]) is Outcome.NEEDS_REVIEW
    assert combine([Outcome.NEEDS_REVIEW, Outcome.NOT_ELIGIBLE]) is Outcome.NOT_ELIGIBLE


def test_no_rules_means_eligible():
    evaluation = evaluate([], {}, TODAY)
    assert (evaluation.outcome, evaluation.results) == (Outcome.ELIGIBLE, ())


def test_invalid_rules_raise():
    with pytest.raises(InvalidRules) as excinfo:
        evaluate(
            [{"id": "age", "kind": "age_range", "fact": "birth_date", "min": 40, "max": 30}],
            {},
            TODAY,
        )
    assert excinfo.value.problems[0][0] == "[0].min"


# --- storage and versions -------------------------------------------------------------------


def test_evaluation_survives_a_json_round_trip():
    rules = FR_MENTEE
    facts = with_facts(NL_MENTEE_FACTS, languages={"fr": "B1"}, other_barriers=True)
    evaluation = evaluate(rules, facts, TODAY)
    stored = json.loads(json.dumps(evaluation.as_dict()))
    restored = Evaluation.from_dict(stored)
    assert restored == evaluation
    assert restored.outcome is Outcome.ELIGIBLE
    assert [describe(r) for r in restored.results] == [describe(r) for r in evaluation.results]
    assert stored["outcome"] == "eligible"
    assert stored["results"][2]["sub_results"][1]["code"] == "required.met"


def test_rules_hash_ignores_key_order_and_explicit_enabled():
    reordered = [dict(reversed(list(rule.items()))) for rule in NL_MENTEE]
    assert rules_hash(reordered) == rules_hash(NL_MENTEE)
    explicit = copy.deepcopy(NL_MENTEE)
    explicit[0]["enabled"] = True
    assert rules_hash(explicit) == rules_hash(NL_MENTEE)
    without_disabled = [r for r in NL_MENTEE if r.get("enabled", True)]
    assert rules_hash(without_disabled) == rules_hash(NL_MENTEE)
    assert len(rules_hash(NL_MENTEE)) == 64


@pytest.mark.parametrize(
    "change",
    [
        lambda rules: rules[0].update(max=30),
        lambda rules: rules[4].update(min_level="B2"),
        lambda rules: rules[4]["languages"].append("fr"),
        lambda rules: rules[1].update(enabled=False),
        lambda rules: rules.reverse(),
        lambda rules: rules.append({"id": "x", "kind": "required_fact", "fact": "volunteer"}),
        lambda rules: rules[2]["values"].pop(),
    ],
)
def test_rules_hash_changes_with_the_rules(change):
    changed = copy.deepcopy(NL_MENTEE)
    change(changed)
    assert rules_hash(changed) != rules_hash(NL_MENTEE)
    assert evaluate(changed, {}, TODAY).rules_hash == rules_hash(changed)


# --- rule_problems --------------------------------------------------------------------------


def test_valid_rules_have_no_problems():
    for rule in NL_MENTEE + NL_MENTOR + FR_MENTEE:
        assert rule_problems(rule) == []


@pytest.mark.parametrize(
    ("rule", "fields"),
    [
        ("age", [""]),
        ({"kind": "required_fact", "fact": "volunteer"}, ["id"]),
        ({"id": "", "kind": "required_fact", "fact": "volunteer"}, ["id"]),
        ({"id": "x", "fact": "volunteer"}, ["kind"]),
        ({"id": "x", "kind": "between", "fact": "volunteer"}, ["kind"]),
        ({"id": "x", "kind": "required_fact"}, ["fact"]),
        ({"id": "x", "kind": "required_fact", "fact": "v", "enabled": "no"}, ["enabled"]),
        ({"id": "x", "kind": "required_fact", "fact": "v", "values": ["a"]}, ["values"]),
        ({"id": "x", "kind": "age_range", "fact": "birth_date"}, ["min"]),
        ({"id": "x", "kind": "age_range", "fact": "birth_date", "min": 34, "max": 33}, ["min"]),
        ({"id": "x", "kind": "age_range", "fact": "birth_date", "min": 18.5}, ["min"]),
        ({"id": "x", "kind": "age_range", "fact": "birth_date", "max": -1}, ["max"]),
        ({"id": "x", "kind": "age_range", "fact": "birth_date", "mx": 3, "min": 1}, ["mx"]),
        ({"id": "x", "kind": "one_of", "fact": "f"}, ["values"]),
        ({"id": "x", "kind": "one_of", "fact": "f", "values": []}, ["values"]),
        (
            {"id": "x", "kind": "one_of", "fact": "f", "values": ["a", 3, "a"]},
            ["values[1]", "values[2]"],
        ),
        ({"id": "x", "kind": "any_language_of", "fact": "l", "languages": []}, ["languages"]),
        (
            {"id": "x", "kind": "any_language_of", "fact": "l", "languages": ["French"]},
            ["languages[0]"],
        ),
        (
            {
                "id": "x",
                "kind": "any_language_of",
                "fact": "l",
                "languages": ["fr"],
                "min_level": "B3",
            },
            ["min_level"],
        ),
        ({"id": "x", "kind": "min_value", "fact": "f"}, ["min"]),
        ({"id": "x", "kind": "min_value", "fact": "f", "min": "5"}, ["min"]),
        ({"id": "x", "kind": "any_of"}, ["rules"]),
        ({"id": "x", "kind": "any_of", "rules": []}, ["rules"]),
        (
            {
                "id": "x",
                "kind": "any_of",
                "fact": "f",
                "rules": [{"kind": "required_fact", "fact": "a"}],
            },
            ["fact"],
        ),
        (
            {
                "id": "x",
                "kind": "any_of",
                "rules": [{"kind": "required_fact", "fact": "a"}, {"kind": "required_fact"}],
            },
            ["rules[1].fact"],
        ),
        ({"id": "x", "kind": "any_of", "rules": ["nope"]}, ["rules[0]"]),
        (
            {
                "id": "x",
                "kind": "any_of",
                "rules": [{"kind": "any_of", "rules": [{"kind": "one_of", "fact": "a"}]}],
            },
            ["rules[0].rules[0].values"],
        ),
    ],
)
def test_rule_problems_name_the_field(rule, fields):
    problems = rule_problems(rule)
    assert [field for field, _ in problems] == fields
    assert all(message and "%(" not in message for _, message in problems)


def test_rule_problem_messages():
    [(_, message)] = rule_problems(
        {"id": "x", "kind": "age_range", "fact": "birth_date", "min": 34, "max": 33}
    )
    assert message == "The minimum (34) is above the maximum (33)."
    [(_, message)] = rule_problems(
        {"id": "x", "kind": "any_language_of", "fact": "l", "languages": ["fr"], "min_level": "X"}
    )
    assert "X" in message and "native" in message


def test_cefr_levels_and_kinds():
    assert CEFR_LEVELS == ("A1", "A2", "B1", "B2", "C1", "C2", "native")
    assert level_rank("native") > level_rank("C2") > level_rank("b1") > level_rank("A1")
    assert level_rank("fluent") is None
    assert set(RULE_KINDS) == {
        "age_range",
        "required_fact",
        "one_of",
        "any_language_of",
        "min_value",
        "any_of",
    }


# --- labels ---------------------------------------------------------------------------------


def test_labels():
    assert language_name("nl") == "Dutch"
    assert language_name("nl", "fr") == "néerlandais"
    assert language_name("nl", "nl") == "Nederlands"
    assert language_name("zz") == "zz"
    assert fact_label("allowed_to_work") == "Residence status that allows work"
    assert fact_label("some_new_fact") == "Some new fact"
    assert value_label("migration_background", "non_eu_nationality") == "non-EU nationality"
    assert value_label("migration_background", "other") == "other"
    assert [describe_outcome(o) for o in Outcome] == ["Eligible", "Not eligible", "Needs review"]
    assert describe_outcome("needs_review") == "Needs review"


def test_describe_in_a_request_uses_its_locale():
    flask = pytest.importorskip("flask")
    from flask_babel import Babel

    app = flask.Flask(__name__)
    Babel(app, locale_selector=lambda: "fr")
    result = evaluate(LANGUAGE_RULE, {"languages": {"fr": "A2"}}, TODAY).results[0]
    with app.test_request_context():
        assert "français ou néerlandais" in describe(result)


def test_unknown_code_from_a_stored_decision_still_reads():
    result = RuleResult("x", "future_kind", Outcome.NEEDS_REVIEW, "future.code", {})
    assert describe(result) == "Needs review (rule x, reason future.code)."
