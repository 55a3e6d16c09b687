"""Property-based checks of matching on random small pools (hypothesis).

The invariants are checked against the profiles' facts directly, not against the solver's
own feasibility matrix, so a bug in that matrix cannot hide itself.
"""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duo.core.vocab.levels import CEFR_LEVELS, CEFR_RANK
from duo.matching.explain import criterion_sentence, unmatched_sentence
from duo.matching.profiles import MenteeProfile, MentorProfile
from duo.matching.scoring import CRITERIA, score_matrix, score_pair
from duo.matching.solver import suggest, waiting_bonus
from support import today

TODAY = today()
WORKING = ("fr", "nl", "en")

languages = st.dictionaries(
    st.sampled_from(["fr", "nl", "en", "ar", "tr"]), st.sampled_from(CEFR_LEVELS), max_size=3
)
tags = st.frozensets(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=4)
slots = st.frozensets(
    st.sampled_from(["mon-morning", "tue-evening", "wed-evening", "sat-morning"]), max_size=4
)
sectors = st.sampled_from(["it", "logistics", "retail", "healthcare"])
helps = st.frozensets(st.sampled_from(["cv", "interview", "network", "digital"]), max_size=4)
postcodes = st.sampled_from([None, "1000", "1030", "1035", "1040", "1300", "9000", "3011 AB"])
countries = st.sampled_from(["be", "be", "nl", ""])
weights = st.fixed_dictionaries(
    {name: st.sampled_from([0, 0.5, 1, 5, 15, 30, 7.25]) for name in CRITERIA}
)


def _shared(draw) -> dict:
    """What a mentee's and a mentor's profiles both hold, drawn in that order."""
    return {
        "languages": draw(languages),
        "availability": draw(slots),
        "interests": draw(tags),
        "digital_skills": draw(st.integers(0, 3)),
        "personality": draw(tags),
        "postcode": draw(postcodes),
        "country": draw(countries),
    }


@st.composite
def mentees(draw, ident: str) -> MenteeProfile:
    return MenteeProfile(
        id=ident,
        target_sector=draw(st.none() | sectors),
        help_questions=draw(helps),
        **_shared(draw),
        waiting_since=TODAY - timedelta(days=draw(st.integers(-10, 400))),
        eligible=draw(st.booleans() | st.just(True)),
    )


@st.composite
def mentors(draw, ident: str) -> MentorProfile:
    return MentorProfile(
        id=ident,
        sectors=draw(st.frozensets(sectors, max_size=2)),
        years_experience=draw(st.integers(0, 40)),
        expertise=draw(helps),
        **_shared(draw),
        trained=draw(st.booleans() | st.just(True)),
        free=draw(st.booleans() | st.just(True)),
        eligible=draw(st.booleans() | st.just(True)),
    )


@st.composite
def pools(draw, max_mentees: int = 5, max_mentors: int = 5):
    n = draw(st.integers(0, max_mentees))
    m = draw(st.integers(0, max_mentors))
    pool_mentees = [draw(mentees(f"e{k}")) for k in range(n)]
    pool_mentors = [draw(mentors(f"m{k}")) for k in range(m)]
    # Pairs may name people outside the pool (a stale lock) on purpose.
    pair = st.tuples(
        st.sampled_from([f"e{k}" for k in range(n + 1)]),
        st.sampled_from([f"m{k}" for k in range(m + 1)]),
    )
    return {
        "mentees": pool_mentees,
        "mentors": pool_mentors,
        "locks": draw(st.frozensets(pair, max_size=2)),
        "exclusions": draw(st.frozensets(pair, max_size=3)),
        "declined": draw(st.frozensets(pair, max_size=3)),
        "weights": draw(weights),
        "waiting_bonus_per_week": draw(st.sampled_from([0, 0.5, 2])),
        "max_waiting_bonus": draw(st.sampled_from([0, 3, 15])),
    }


def run(pool: dict, *, shuffle_seed: int | None = None):
    mentee_list, mentor_list = list(pool["mentees"]), list(pool["mentors"])
    if shuffle_seed is not None:
        rng = random.Random(shuffle_seed)
        rng.shuffle(mentee_list)
        rng.shuffle(mentor_list)
    return suggest(
        mentee_list,
        mentor_list,
        weights=pool["weights"],
        working_languages=WORKING,
        today=TODAY,
        waiting_bonus_per_week=pool["waiting_bonus_per_week"],
        max_waiting_bonus=pool["max_waiting_bonus"],
        locks=pool["locks"],
        exclusions=pool["exclusions"],
        declined=pool["declined"],
    )


def allowed(e: MenteeProfile, m: MentorProfile, pool: dict) -> bool:
    """The hard constraints, written straight from the issue."""
    common = any(
        CEFR_RANK[e.languages[w]] >= CEFR_RANK["B1"]
        and CEFR_RANK[m.languages[w]] >= CEFR_RANK["B1"]
        for w in WORKING
        if w in e.languages and w in m.languages
    )
    return (
        e.eligible
        and m.eligible
        and m.trained
        and m.free
        and common
        and (e.id, m.id) not in pool["exclusions"]
        and (e.id, m.id) not in pool["declined"]
    )


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(pools())
def test_no_suggested_pair_breaks_a_hard_constraint_and_nobody_appears_twice(pool) -> None:
    result = run(pool)
    by_id_e = {e.id: e for e in pool["mentees"]}
    by_id_m = {m.id: m for m in pool["mentors"]}
    seen_e = [p.mentee_id for p in result.pairs]
    seen_m = [p.mentor_id for p in result.pairs]
    assert len(seen_e) == len(set(seen_e)) and len(seen_m) == len(set(seen_m))
    for pair in result.pairs:
        assert allowed(by_id_e[pair.mentee_id], by_id_m[pair.mentor_id], pool)
    unmatched_e = {u.person_id for u in result.unmatched_mentees}
    unmatched_m = {u.person_id for u in result.unmatched_mentors}
    assert unmatched_e == set(by_id_e) - set(seen_e)
    assert unmatched_m == set(by_id_m) - set(seen_m)
    # Every lock is either kept (and flagged) or reported.
    kept = {(p.mentee_id, p.mentor_id) for p in result.pairs if p.locked}
    reported = {(p.mentee_id, p.mentor_id) for p in result.problems}
    assert kept | reported == set(pool["locks"]) and not kept & reported
    for lock in reported:
        e, m = by_id_e.get(lock[0]), by_id_m.get(lock[1])
        conflicts = sum(1 for other in pool["locks"] if other[0] == lock[0] or other[1] == lock[1])
        assert e is None or m is None or conflicts > 1 or not allowed(e, m, pool)


def _matrix(pool: dict):
    """The score matrix of a drawn pool, as the solver is given it."""
    return score_matrix(
        pool["mentees"],
        pool["mentors"],
        pool["weights"],
        working_languages=WORKING,
        exclusions=pool["exclusions"],
        declined=pool["declined"],
    )


@SETTINGS
@given(pools(max_mentees=4, max_mentors=4))
def test_objective_is_the_brute_force_optimum(pool) -> None:
    result = run(pool)
    sm = _matrix(pool)
    bonus = [
        waiting_bonus(
            e.waiting_since, TODAY, pool["waiting_bonus_per_week"], pool["max_waiting_bonus"]
        )
        for e in pool["mentees"]
    ]
    locked = {
        (sm.mentee_index[p.mentee_id], sm.mentor_index[p.mentor_id])
        for p in result.pairs
        if p.locked
    }
    n, m = sm.shape
    best = float("-inf")
    for k in range(min(n, m) + 1):
        for rows in itertools.combinations(range(n), k):
            for cols in itertools.permutations(range(m), k):
                chosen = set(zip(rows, cols, strict=True))
                locked_rows = {i for i, _ in locked}
                locked_cols = {j for _, j in locked}
                if not locked <= chosen:
                    continue
                if any(
                    (i in locked_rows or j in locked_cols) and (i, j) not in locked
                    for i, j in chosen
                ):
                    continue
                if not all(sm.feasible[i, j] for i, j in chosen):
                    continue
                best = max(best, sum(sm.total[i, j] + bonus[i] for i, j in chosen))
    assert abs(result.objective - best) <= 1e-6 * (1 + min(n, m))


@SETTINGS
@given(pools(), st.integers(0, 1000))
def test_same_suggestion_in_any_input_order(pool, seed) -> None:
    assert run(pool, shuffle_seed=seed) == run(pool)


@SETTINGS
@given(pools(max_mentees=3, max_mentors=3))
def test_pair_and_matrix_scores_agree_exactly(pool) -> None:
    sm = _matrix(pool)
    for i, e in enumerate(pool["mentees"]):
        for j, m in enumerate(pool["mentors"]):
            pair = score_pair(
                e,
                m,
                pool["weights"],
                WORKING,
                exclusions=pool["exclusions"],
                declined=pool["declined"],
            )
            assert pair.total == sm.total[i, j]
            for detail in pair.criteria:
                assert detail.points == sm.criteria[detail.criterion][i, j]
                assert 0 <= detail.points <= detail.max_points
            assert pair.reasons == sm.reasons(i, j)
            assert pair.feasible == bool(sm.feasible[i, j]) == allowed(e, m, pool)


@SETTINGS
@given(pools(), st.sampled_from(["en", "fr", "nl"]))
def test_every_explanation_is_a_sentence(pool, locale) -> None:
    result = run(pool)
    details = [c for p in result.pairs for c in p.criteria]
    details += [c for alts in result.alternatives.values() for a in alts for c in a.criteria]
    for detail in details:
        sentence = criterion_sentence(detail, locale)
        assert sentence.strip() and "%(" not in sentence
    for reason in (*result.unmatched_mentees, *result.unmatched_mentors, *result.problems):
        sentence = unmatched_sentence(reason, locale)
        assert sentence.strip() and not sentence.startswith("Reason:")
