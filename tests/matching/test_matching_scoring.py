"""Scoring: the per-pair reference agrees with the vectorised matrix, and each rule holds."""

from __future__ import annotations

import numpy as np
import pytest

from duo.consumers.bench.synthetic import HELP_QUESTIONS, SECTORS, WEIGHTS, make_pool
from duo.consumers.bench.synthetic import WORKING_LANGUAGES as WORKING
from duo.matching.explain import (
    HELP_LABELS,
    SECTOR_LABELS,
    criterion_label,
    criterion_sentence,
    unmatched_sentence,
)
from duo.matching.scoring import (
    CRITERIA,
    PAIR_REASONS,
    CriterionScore,
    score_matrix,
    score_pair,
)
from duo.matching.solver import LOCK_CODES, MENTEE_REASONS, MENTOR_REASONS
from support import mentee_profile as mentee
from support import mentor_profile as mentor


def points(pair, name: str) -> float:
    detail = pair.criterion(name)
    assert detail is not None
    return detail.points


def assert_pair_equals_matrix(mentees, mentors, weights, **kw) -> None:
    sm = score_matrix(mentees, mentors, weights, working_languages=WORKING, **kw)
    for i, e in enumerate(mentees):
        for j, m in enumerate(mentors):
            pair = score_pair(e, m, weights, WORKING, **kw)
            assert pair.total == sm.total[i, j], (e.id, m.id)
            assert {c.criterion for c in pair.criteria} == set(sm.criteria)
            for detail in pair.criteria:
                assert detail.points == sm.criteria[detail.criterion][i, j]
            assert pair.feasible == bool(sm.feasible[i, j])
            assert pair.reasons == sm.reasons(i, j)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_score_pair_equals_score_matrix_on_synthetic_pool(seed: int) -> None:
    pool = make_pool(30, 45, seed=seed)
    declined = set(pool.declined) | {(pool.mentees[0].id, pool.mentors[1].id)}
    exclusions = {(pool.mentees[2].id, pool.mentors[3].id)}
    assert_pair_equals_matrix(
        pool.mentees, pool.mentors, pool.weights, declined=declined, exclusions=exclusions
    )


def test_score_pair_equals_score_matrix_with_odd_weights() -> None:
    pool = make_pool(15, 20, seed=11)
    weights = {"sector": 0.1, "languages": 7.3, "availability": 3, "distance": 1e-3}
    assert_pair_equals_matrix(pool.mentees, pool.mentors, weights)


def _random_profiles(seed: int) -> tuple[list, list]:
    """A pool with every edge the vectorised scoring must agree on: empty sets, unknown
    postcodes and countries, other countries, short postcodes, weak and strong languages,
    and more than 64 distinct interests (the bit sets then span several words)."""
    import random

    rng = random.Random(seed)
    tags = [f"tag{k}" for k in range(150)]
    slots = [f"{d}-{p}" for d in ("mon", "tue", "wed") for p in ("am", "pm")]
    levels = [None, "A1", "A2", "B1", "B2", "C1", "C2", "native"]
    postcodes = [None, "1000", "1050", "1051", "10", "1", "3011AB", "3011CD", "75011"]

    def common(k: int) -> dict:
        langs = {lang: rng.choice(levels) for lang in ("fr", "nl", "en", "ar", "tr")}
        return {
            "languages": {lang: lvl for lang, lvl in langs.items() if lvl},
            "availability": rng.sample(slots, rng.randint(0, len(slots))),
            "interests": rng.sample(tags, rng.choice([0, 1, 3, 40, 120])),
            "personality": rng.sample(["calm", "direct", "funny"], rng.randint(0, 3)),
            "digital_skills": rng.randint(0, 3),
            "postcode": rng.choice(postcodes),
            "country": rng.choice(["be", "be", "nl", ""]),
            "eligible": rng.random() > 0.1,
        }

    mentees = [
        mentee(
            f"e{k}",
            target_sector=rng.choice([None, *SECTORS[:4]]),
            help_questions=rng.sample(HELP_QUESTIONS, rng.randint(0, 4)),
            **common(k),
        )
        for k in range(25)
    ]
    mentors = [
        mentor(
            f"m{k}",
            sectors=rng.sample(SECTORS[:6], rng.randint(0, 3)),
            expertise=rng.sample(HELP_QUESTIONS, rng.randint(0, 5)),
            years_experience=rng.randint(0, 30),
            trained=rng.random() > 0.1,
            free=rng.random() > 0.1,
            **common(k),
        )
        for k in range(35)
    ]
    return mentees, mentors


@pytest.mark.parametrize("seed", [5, 6, 7, 8])
def test_vectorised_scores_equal_the_pair_by_pair_definition_on_a_random_pool(seed) -> None:
    """:func:`score_pair` is the documented definition; the matrix must equal it bit for bit."""
    mentees, mentors = _random_profiles(seed)
    declined = {(mentees[0].id, mentors[0].id), (mentees[3].id, mentors[7].id)}
    exclusions = {(mentees[1].id, mentors[2].id)}
    assert_pair_equals_matrix(mentees, mentors, WEIGHTS, declined=declined, exclusions=exclusions)
    odd = {"interests": 0.7, "distance": 2.9, "languages": 1e-3, "digital_skills": 13}
    assert_pair_equals_matrix(mentees, mentors, odd)


def test_sector_match_gives_full_points_and_the_years() -> None:
    e = mentee(target_sector="logistics")
    pair = score_pair(
        e, mentor(sectors={"logistics", "retail"}, years_experience=20), WEIGHTS, WORKING
    )
    detail = pair.criterion("sector")
    assert detail.points == 30 and detail.max_points == 30
    assert detail.code == "sector_match" and detail.params["years"] == 20
    assert criterion_sentence(detail, "en") == (
        "Mentor worked 20 years in logistics; mentee aims at logistics"
    )
    assert points(score_pair(e, mentor(sectors={"it"}), WEIGHTS, WORKING), "sector") == 0


def test_missing_data_gives_half_points() -> None:
    pair = score_pair(mentee(), mentor(), WEIGHTS, WORKING)
    for name in ("sector", "help_questions", "availability", "interests", "personality"):
        assert points(pair, name) == WEIGHTS[name] / 2, name
    assert points(pair, "distance") == WEIGHTS["distance"] / 2


def test_help_questions_share_covered() -> None:
    e = mentee(help_questions={"cv", "interview", "network"})
    pair = score_pair(e, mentor(expertise={"cv", "network", "digital"}), WEIGHTS, WORKING)
    assert points(pair, "help_questions") == 15 * (2 / 3)
    assert pair.criterion("help_questions").params["covered"] == ("cv", "network")


def test_languages_hard_constraint_needs_b1_on_both_sides_in_a_working_language() -> None:
    assert score_pair(mentee(), mentor(), WEIGHTS, WORKING).feasible
    weak = mentee(languages={"fr": "A2", "ar": "native"})
    assert score_pair(weak, mentor(), WEIGHTS, WORKING).reasons == ("no_common_language",)
    # Sharing a language the branch does not work in is not enough.
    arabic = mentee(languages={"ar": "native", "nl": "B1"})
    other = mentor(languages={"ar": "C2", "fr": "native"})
    assert score_pair(arabic, other, WEIGHTS, WORKING).reasons == ("no_common_language",)
    assert score_pair(arabic, other, WEIGHTS, ("ar",)).feasible
    assert score_pair(
        mentee(languages={"nl": "b1"}), mentor(languages={"NL": "B1"}), WEIGHTS, WORKING
    ).feasible


def test_language_quality_and_second_language() -> None:
    e = mentee(languages={"ar": "native", "fr": "B2"})
    m = mentor(languages={"fr": "native", "ar": "B1"})
    pair = score_pair(e, m, WEIGHTS, WORKING)
    detail = pair.criterion("languages")
    # Best working language French at B2 (lower of the two): 1/4 quality; Arabic shared too.
    assert detail.points == 15 * (0.75 * 0.25 + 0.25)
    assert detail.params == {"languages": ("ar", "fr"), "working": "fr", "level": "B2"}
    assert criterion_sentence(detail, "en").startswith("Both speak Arabic and French")
    native = score_pair(
        mentee(languages={"nl": "native"}), mentor(languages={"nl": "native"}), WEIGHTS, WORKING
    )
    assert points(native, "languages") == 15 * 0.75


def test_availability_overlap_sentence() -> None:
    e = mentee(
        availability={"mon-evening", "tue-evening", "wed-evening", "thu-morning", "sat-morning"}
    )
    m = mentor(
        availability={
            "mon-evening",
            "tue-evening",
            "sat-morning",
            "sun-morning",
            "fri-evening",
            "fri-morning",
            "wed-morning",
        }
    )
    detail = score_pair(e, m, WEIGHTS, WORKING).criterion("availability")
    assert detail.points == 15 * (3 / 5)
    assert criterion_sentence(detail, "en") == "3 of 5 availability slots overlap"


@pytest.mark.parametrize(
    ("mentee_pc", "mentor_pc", "mentor_country", "fraction", "code"),
    [
        ("1030", "1030", "be", 1.0, "distance_same_postcode"),
        ("1030", "1035", "be", 2 / 3, "distance_prefix"),
        ("1030", "1040", "be", 1 / 3, "distance_prefix"),
        ("1030", "9000", "be", 0.0, "distance_far"),
        ("1030", "1030", "fr", 0.0, "distance_other_country"),
        ("1030", None, "be", 0.5, "distance_unknown"),
        ("3011 ab", "3011AB", "be", 1.0, "distance_same_postcode"),
    ],
)
def test_postcode_proximity_proxy(mentee_pc, mentor_pc, mentor_country, fraction, code) -> None:
    e = mentee(postcode=mentee_pc)
    m = mentor(postcode=mentor_pc, country=mentor_country)
    detail = score_pair(e, m, WEIGHTS, WORKING).criterion("distance")
    assert detail.points == 5 * fraction and detail.code == code
    assert criterion_sentence(detail, "en")


@pytest.mark.parametrize(
    ("mentee_level", "mentor_level", "fraction"),
    [(0, 0, 0.0), (0, 1, 0.5), (0, 2, 1.0), (3, 3, 1.0), (3, 2, 2 / 3), (1, 3, 1.0)],
)
def test_digital_skills(mentee_level: int, mentor_level: int, fraction: float) -> None:
    pair = score_pair(
        mentee(digital_skills=mentee_level), mentor(digital_skills=mentor_level), WEIGHTS, WORKING
    )
    assert points(pair, "digital_skills") == 5 * fraction


def test_zero_weight_disables_a_criterion() -> None:
    e = mentee(target_sector="it", interests={"chess"})
    m = mentor(sectors={"it"}, interests={"chess"})
    weights = dict(WEIGHTS, sector=0)
    pair = score_pair(e, m, weights, WORKING)
    assert pair.criterion("sector") is None
    assert pair.total == score_pair(e, m, WEIGHTS, WORKING).total - 30
    assert "sector" not in score_matrix([e], [m], weights, working_languages=WORKING).criteria


def test_weights_are_validated() -> None:
    with pytest.raises(ValueError, match="unknown"):
        score_pair(mentee(), mentor(), {"sectr": 3}, WORKING)
    with pytest.raises(ValueError):
        score_matrix([mentee()], [mentor()], {"sector": -1}, working_languages=WORKING)


def test_hard_constraint_reasons_in_order() -> None:
    e = mentee(eligible=False, languages={"fr": "A1"})
    m = mentor(eligible=False, trained=False, free=False)
    pair = score_pair(e, m, WEIGHTS, WORKING, exclusions={("e", "m")}, declined={("e", "m")})
    assert pair.reasons == PAIR_REASONS
    sm = score_matrix(
        [e], [m], WEIGHTS, working_languages=WORKING, exclusions={("e", "m")}, declined=[("e", "m")]
    )
    assert sm.reasons(0, 0) == PAIR_REASONS and sm.reason(0, 0) == "mentee_not_eligible"
    assert not sm.feasible.any()


def test_matrix_shapes_and_empty_pools() -> None:
    sm = score_matrix([], [mentor()], WEIGHTS, working_languages=WORKING)
    assert sm.total.shape == (0, 1) and sm.feasible.dtype == np.bool_
    sm = score_matrix([mentee()], [], WEIGHTS, working_languages=WORKING)
    assert sm.total.shape == (1, 0)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        score_matrix([mentee("a"), mentee("a")], [mentor()], WEIGHTS, working_languages=WORKING)


def test_profiles_normalise_their_input() -> None:
    e = mentee(
        languages={"FR": "c1", "ar": "Native"}, interests=["Chess", " chess "], postcode=" 1000 "
    )
    assert dict(e.languages) == {"ar": "native", "fr": "C1"}
    assert e.interests == frozenset({"chess"}) and e.postcode == "1000"
    assert hash(e) == hash(mentee(languages={"fr": "C1"}))  # by id
    with pytest.raises(ValueError):
        mentee(languages={"fr": "B3"})
    with pytest.raises(ValueError):
        mentor(digital_skills=4)


# ----------------------------------------------------------------------------- explanations

ALL_DETAILS = [
    CriterionScore("sector", 30, 30, "sector_match", {"sector": "logistics", "years": 20}),
    CriterionScore("sector", 30, 30, "sector_match", {"sector": "logistics", "years": 1}),
    CriterionScore("sector", 30, 30, "sector_match", {"sector": "logistics", "years": 0}),
    CriterionScore("sector", 0, 30, "sector_mismatch", {"target": "it", "sectors": ("retail",)}),
    CriterionScore("sector", 15, 30, "sector_no_target", {}),
    CriterionScore("sector", 15, 30, "sector_mentor_unknown", {"target": "unknown_key"}),
    CriterionScore(
        "help_questions", 5, 15, "help_covered", {"covered": ("cv",), "asked": ("cv", "x")}
    ),
    CriterionScore("help_questions", 0, 15, "help_not_covered", {"asked": ("interview",)}),
    CriterionScore("help_questions", 7.5, 15, "help_none_asked", {}),
    CriterionScore("help_questions", 7.5, 15, "help_mentor_unknown", {"asked": ("cv",)}),
    CriterionScore(
        "languages",
        5,
        15,
        "languages_shared",
        {"languages": ("ar", "fr"), "working": "fr", "level": "native"},
    ),
    CriterionScore(
        "languages", 0, 15, "languages_no_working", {"languages": (), "working_languages": ("fr",)}
    ),
    CriterionScore(
        "availability", 9, 15, "availability_overlap", {"shared": 1, "total": 1, "slots": ()}
    ),
    CriterionScore("availability", 7.5, 15, "availability_unknown", {}),
    CriterionScore("interests", 10, 10, "interests_shared", {"tags": ("chess", "music")}),
    CriterionScore("interests", 0, 10, "interests_none_shared", {}),
    CriterionScore("interests", 5, 10, "interests_unknown", {}),
    CriterionScore("digital_skills", 5, 5, "digital_skills", {"mentor": 3, "mentee": 0}),
    CriterionScore("personality", 5, 5, "personality_shared", {"tags": ("calm",)}),
    CriterionScore("personality", 0, 5, "personality_none_shared", {}),
    CriterionScore("personality", 2.5, 5, "personality_unknown", {}),
    CriterionScore("distance", 5, 5, "distance_same_postcode", {"postcode": "1000"}),
    CriterionScore(
        "distance", 5, 5, "distance_prefix", {"digits": 3, "mentee": "1", "mentor": "2"}
    ),
    CriterionScore("distance", 0, 5, "distance_far", {"mentee": "1000", "mentor": "9000"}),
    CriterionScore("distance", 0, 5, "distance_other_country", {"mentee": "be", "mentor": "fr"}),
    CriterionScore("distance", 2.5, 5, "distance_unknown", {}),
]


@pytest.mark.parametrize("locale", ["en", "fr", "nl"])
@pytest.mark.parametrize("detail", ALL_DETAILS, ids=lambda d: d.code)
def test_every_criterion_code_has_a_sentence(detail: CriterionScore, locale: str) -> None:
    sentence = criterion_sentence(detail, locale)
    assert sentence.strip() and "%(" not in sentence
    assert criterion_label(detail.criterion, locale)


def test_every_code_the_scorer_emits_has_a_dedicated_sentence() -> None:
    pool = make_pool(25, 40, seed=5)
    codes = set()
    for e in pool.mentees:
        for m in pool.mentors:
            codes |= {c.code for c in score_pair(e, m, pool.weights, WORKING).criteria}
    for code in codes:
        detail = next(d for d in ALL_DETAILS if d.code == code)
        assert not criterion_sentence(detail, "en").startswith(detail.criterion + ":")


@pytest.mark.parametrize(
    "code", sorted({*PAIR_REASONS, *MENTEE_REASONS, *MENTOR_REASONS, *LOCK_CODES})
)
def test_every_reason_code_has_a_sentence(code: str) -> None:
    params = {"mentees": 3, "mentors": 2, "count": 4, "working_languages": ("fr", "nl")}
    sentence = unmatched_sentence((code, params), "en")
    assert sentence.strip() and not sentence.startswith("Reason:")
    assert unmatched_sentence((code, {**params, "working_languages": ()}), "nl")


def test_labels_cover_the_spec_vocabulary() -> None:
    assert set(SECTOR_LABELS) == set(SECTORS)
    assert set(HELP_LABELS) == set(HELP_QUESTIONS)
    assert set(CRITERIA) == set(WEIGHTS)


def test_sentences_follow_the_requested_locale_inside_an_app() -> None:
    from flask import Flask
    from flask_babel import Babel

    app = Flask(__name__)
    Babel(app)
    detail = ALL_DETAILS[10]  # Arabic and French
    with app.app_context():
        french = criterion_sentence(detail, "fr")
        english = criterion_sentence(detail, "en")
    assert "arabe et français" in french
    assert "Arabic and French" in english
