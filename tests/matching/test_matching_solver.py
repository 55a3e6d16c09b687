"""The whole-pool suggestion: optimal, deterministic, fair, and respectful of coordinators."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from duo.consumers.bench.synthetic import TODAY, WEIGHTS, make_pool
from duo.consumers.bench.synthetic import WORKING_LANGUAGES as WORKING
from duo.matching.explain import criterion_sentence, unmatched_sentence
from duo.matching.scoring import score_matrix
from duo.matching.solver import Suggestion, suggest, waiting_bonus
from support import mentee_profile as mentee
from support import mentor_profile as mentor


def run(mentees, mentors, **kw) -> Suggestion:
    options = {"weights": WEIGHTS, "working_languages": WORKING, "today": TODAY}
    options.update(kw)
    return suggest(mentees, mentors, **options)


def pairs_of(suggestion: Suggestion) -> set[tuple[str, str]]:
    return {(p.mentee_id, p.mentor_id) for p in suggestion.pairs}


def brute_force_best(mentees, mentors, *, locks=(), exclusions=(), declined=(), **kw) -> float:
    """Best objective over every partial assignment that keeps all locks (small pools only)."""
    sm = score_matrix(
        mentees,
        mentors,
        kw.get("weights", WEIGHTS),
        working_languages=WORKING,
        exclusions=exclusions,
        declined=declined,
    )
    per_week = kw.get("waiting_bonus_per_week", 0.5)
    cap = kw.get("max_waiting_bonus", 15)
    bonus = [waiting_bonus(e.waiting_since, TODAY, per_week, cap) for e in mentees]
    fixed = {sm.mentee_index[e]: sm.mentor_index[m] for e, m in locks}
    best = float("-inf")

    def walk(i: int, used: frozenset[int], value: float) -> None:
        nonlocal best
        if i == len(mentees):
            best = max(best, value)
            return
        if i in fixed:
            j = fixed[i]
            walk(i + 1, used | {j}, value + sm.total[i, j] + bonus[i])
            return
        walk(i + 1, used, value)
        for j in range(len(mentors)):
            if j not in used and j not in fixed.values() and sm.feasible[i, j]:
                walk(i + 1, used | {j}, value + sm.total[i, j] + bonus[i])

    walk(0, frozenset(), 0.0)
    return best


def random_small_pool(rng: random.Random, n: int, m: int):
    pool = make_pool(n, m, seed=rng.randrange(10**6))
    return list(pool.mentees), list(pool.mentors), pool.declined


@pytest.mark.parametrize("n", range(0, 6))
@pytest.mark.parametrize("m", range(0, 6))
def test_optimal_against_brute_force(n: int, m: int) -> None:
    rng = random.Random(n * 10 + m)
    for _ in range(8):
        mentees, mentors, declined = random_small_pool(rng, n, m)
        exclusions = set()
        if mentees and mentors:
            exclusions.add((rng.choice(mentees).id, rng.choice(mentors).id))
        result = run(mentees, mentors, exclusions=exclusions, declined=declined)
        best = brute_force_best(mentees, mentors, exclusions=exclusions, declined=declined)
        assert result.objective == pytest.approx(best, abs=1e-6)


def test_maximises_the_total_not_the_number_of_pairs() -> None:
    # A suits m1 perfectly and m2 barely; B can only work with m1 and barely. One great duo
    # beats two poor ones.
    great = {"target_sector": "it", "help_questions": {"cv"}, "interests": {"chess"}}
    a = mentee("a", **great, availability={"mon-evening"})
    b = mentee("b", languages={"nl": "B1"}, interests={"x"}, target_sector="legal")
    m1 = mentor(
        "m1",
        languages={"fr": "C1", "nl": "B1"},
        sectors={"it"},
        expertise={"cv"},
        interests={"chess"},
        availability={"mon-evening"},
    )
    m2 = mentor("m2", sectors={"retail"}, expertise={"network"}, interests={"golf"})
    result = run([a, b], [m1, m2])
    assert pairs_of(result) == {("a", "m1")}
    assert result.objective == pytest.approx(brute_force_best([a, b], [m1, m2]))
    (left,) = result.unmatched_mentees
    assert left.person_id == "b" and left.code == "feasible_mentors_taken"


def test_deterministic_whatever_the_input_order() -> None:
    pool = make_pool(60, 80, seed=3)
    locks = {(pool.mentees[0].id, pool.mentors[0].id), (pool.mentees[5].id, pool.mentors[9].id)}
    exclusions = {(pool.mentees[1].id, pool.mentors[2].id)}
    reference = run(
        pool.mentees, pool.mentors, locks=locks, exclusions=exclusions, declined=pool.declined
    )
    rng = random.Random(1)
    for _ in range(4):
        mentees, mentors = list(pool.mentees), list(pool.mentors)
        rng.shuffle(mentees)
        rng.shuffle(mentors)
        again = run(
            mentees,
            mentors,
            locks=list(locks)[::-1],
            exclusions=list(exclusions),
            declined=list(pool.declined),
        )
        assert again == reference


@pytest.mark.parametrize("n_mentors", [6, 25])
def test_ties_are_broken_the_same_way(n_mentors: int) -> None:
    mentees = [mentee(f"e{k}") for k in range(4)]
    mentors = [mentor(f"m{k:02d}") for k in range(n_mentors)]
    first = run(mentees, mentors)
    second = run(mentees[::-1], mentors[::-1])
    assert first == second
    assert len(first.pairs) == 4
    # Equal scores: alternatives list mentors by id.
    for alternatives in first.alternatives.values():
        ids = [a.mentor_id for a in alternatives]
        assert ids == sorted(ids) and len(ids) == 3


def test_locks_are_kept_and_the_rest_is_re_optimised() -> None:
    pool = make_pool(5, 5, seed=42)
    mentees, mentors = list(pool.mentees), list(pool.mentors)
    free = run(mentees, mentors)
    sm = score_matrix(mentees, mentors, WEIGHTS, working_languages=WORKING)
    # Lock a feasible pair the free run did not choose.
    lock = next(
        (e.id, m.id)
        for i, e in enumerate(mentees)
        for j, m in enumerate(mentors)
        if sm.feasible[i, j] and (e.id, m.id) not in pairs_of(free)
    )
    result = run(mentees, mentors, locks={lock})
    assert lock in pairs_of(result)
    assert [p.locked for p in result.pairs if (p.mentee_id, p.mentor_id) == lock] == [True]
    assert not any(p.locked for p in result.pairs if (p.mentee_id, p.mentor_id) != lock)
    assert result.objective == pytest.approx(brute_force_best(mentees, mentors, locks={lock}))
    assert result.objective <= free.objective + 1e-9
    assert not result.problems


def test_exclusion_moves_the_mentee_to_the_next_best_mentor() -> None:
    e = mentee("e", target_sector="it", interests={"chess", "music"})
    best = mentor("best", sectors={"it"}, interests={"chess", "music"})
    second = mentor("second", sectors={"it"}, interests={"chess", "golf"})
    third = mentor("third", sectors={"retail"})
    assert pairs_of(run([e], [best, second, third])) == {("e", "best")}
    result = run([e], [best, second, third], exclusions={("e", "best")})
    assert pairs_of(result) == {("e", "second")}
    assert [a.mentor_id for a in result.alternatives["e"]] == ["third"]
    result = run([e], [best, second, third], declined={("e", "best"), ("e", "second")})
    assert pairs_of(result) == {("e", "third")}


def test_a_lock_that_breaks_a_hard_constraint_is_reported_not_kept() -> None:
    e1, e2 = mentee("e1"), mentee("e2", languages={"nl": "C1"})
    busy = mentor("busy", free=False)
    m = mentor("m")
    result = run(
        [e1, e2],
        [busy, m],
        locks={("e1", "busy"), ("e2", "m"), ("ghost", "m")},
    )
    problems = {(p.mentee_id, p.mentor_id): p.code for p in result.problems}
    assert problems == {
        ("e1", "busy"): "mentor_not_free",
        ("e2", "m"): "no_common_language",
        ("ghost", "m"): "lock_unknown_person",
    }
    assert pairs_of(result) == {("e1", "m")}
    assert not any(p.locked for p in result.pairs)
    for problem in result.problems:
        assert unmatched_sentence(problem, "en")


def test_conflicting_locks_are_all_reported() -> None:
    e1, e2 = mentee("e1"), mentee("e2")
    m1, m2 = mentor("m1"), mentor("m2")
    result = run([e1, e2], [m1, m2], locks={("e1", "m1"), ("e2", "m1")})
    assert {p.code for p in result.problems} == {"lock_conflict"}
    assert len(result.problems) == 2
    assert len(result.pairs) == 2 and not any(p.locked for p in result.pairs)


def test_excluded_lock_is_a_problem() -> None:
    result = run([mentee("e")], [mentor("m")], locks={("e", "m")}, exclusions={("e", "m")})
    assert [p.code for p in result.problems] == ["excluded"]
    assert not result.pairs


def test_waiting_bonus() -> None:
    assert waiting_bonus(TODAY - timedelta(days=13), TODAY, 0.5, 15) == 0.5
    assert waiting_bonus(TODAY - timedelta(days=14), TODAY, 0.5, 15) == 1.0
    assert waiting_bonus(TODAY - timedelta(days=700), TODAY, 0.5, 15) == 15
    assert waiting_bonus(TODAY + timedelta(days=30), TODAY, 0.5, 15) == 0


def test_fairness_bonus_lets_the_long_waiter_in_when_mentors_are_scarce() -> None:
    m = mentor("m", sectors={"it"}, interests={"chess"})
    newcomer = mentee("newcomer", target_sector="it", interests={"chess"}, waiting_since=TODAY)
    waiter = mentee(
        "waiter", target_sector="it", interests={"golf"}, waiting_since=TODAY - timedelta(weeks=30)
    )
    without = run([newcomer, waiter], [m], waiting_bonus_per_week=0)
    assert pairs_of(without) == {("newcomer", "m")}
    with_bonus = run([newcomer, waiter], [m])
    assert pairs_of(with_bonus) == {("waiter", "m")}
    (pair,) = with_bonus.pairs
    assert pair.bonus == 15 and with_bonus.objective == pytest.approx(pair.score + 15)
    assert with_bonus.total == pytest.approx(pair.score)
    (left,) = with_bonus.unmatched_mentees
    assert left.person_id == "newcomer" and left.code == "more_mentees_than_mentors"
    assert dict(left.params) == {"mentees": 2, "mentors": 1}
    # A small cap keeps quality first.
    capped = run([newcomer, waiter], [m], max_waiting_bonus=1)
    assert pairs_of(capped) == {("newcomer", "m")}


def test_nobody_is_forced_into_an_infeasible_pair() -> None:
    mentees = [mentee("e1", languages={"ar": "native"}), mentee("e2", eligible=False)]
    mentors = [mentor("m1", trained=False), mentor("m2")]
    result = run(mentees, mentors)
    assert not result.pairs
    assert {u.person_id: u.code for u in result.unmatched_mentees} == {
        "e1": "no_common_language",
        "e2": "mentee_not_eligible",
    }
    assert {u.person_id: u.code for u in result.unmatched_mentors} == {
        "m1": "mentor_not_trained",
        "m2": "no_common_language",
    }
    assert result.alternatives == {"e1": (), "e2": ()}


def test_unmatched_reason_codes() -> None:
    assert run([mentee("e")], [mentor("m", free=False)]).unmatched_mentees[0].code == (
        "no_free_mentor"
    )
    assert run([mentee("e")], []).unmatched_mentees[0].code == "no_free_mentor"
    declined = run([mentee("e")], [mentor("m")], declined={("e", "m")})
    assert declined.unmatched_mentees[0].code == "all_excluded_or_declined"
    assert declined.unmatched_mentors[0].code == "all_excluded_or_declined"
    idle = run([mentee("e")], [mentor("m1"), mentor("m2")])
    assert [(u.person_id, u.code) for u in idle.unmatched_mentors] == [
        ("m2", "more_mentors_than_mentees")
    ]
    lonely = run([mentee("e", eligible=False)], [mentor("m")])
    assert lonely.unmatched_mentors[0].code == "no_eligible_mentee"
    bad = run([], [mentor("m", eligible=False)])
    assert bad.unmatched_mentors[0].code == "mentor_not_eligible"
    for person in (*idle.unmatched_mentors, *declined.unmatched_mentees):
        assert unmatched_sentence(person, "fr")


def test_a_locked_mentor_is_not_free_for_others() -> None:
    e1, e2 = mentee("e1"), mentee("e2")
    m = mentor("m")
    result = run([e1, e2], [m], locks={("e2", "m")})
    assert pairs_of(result) == {("e2", "m")}
    assert result.alternatives["e1"] == ()
    assert result.unmatched_mentees[0].code == "no_free_mentor"


def test_alternatives_are_the_best_other_feasible_mentors() -> None:
    pool = make_pool(20, 40, seed=9)
    result = run(pool.mentees, pool.mentors, declined=pool.declined, alternatives=3)
    sm = score_matrix(
        pool.mentees, pool.mentors, WEIGHTS, working_languages=WORKING, declined=pool.declined
    )
    own = {p.mentee_id: p.mentor_id for p in result.pairs}
    for e_id, alternatives in result.alternatives.items():
        i = sm.mentee_index[e_id]
        expected = sorted(
            (
                (-sm.total[i, j], m_id)
                for m_id, j in sm.mentor_index.items()
                if sm.feasible[i, j] and m_id != own.get(e_id)
            ),
        )[:3]
        assert [(a.mentor_id, a.score) for a in alternatives] == [(m, -s) for s, m in expected]
        for alt in alternatives:
            assert alt.criteria and all(criterion_sentence(c, "en") for c in alt.criteria)


def test_zero_weights_still_pair_feasible_people() -> None:
    zero = dict.fromkeys(WEIGHTS, 0)
    result = run([mentee("e1"), mentee("e2")], [mentor("m1"), mentor("m2")], weights=zero)
    assert len(result.pairs) == 2 and result.total == 0
    assert all(p.criteria == () for p in result.pairs)


def test_suggested_pairs_carry_explanations() -> None:
    pool = make_pool(30, 50, seed=4)
    result = run(pool.mentees, pool.mentors, declined=pool.declined)
    assert result.pairs
    for pair in result.pairs:
        assert len(pair.criteria) == 8
        assert pair.score == pytest.approx(sum(c.points for c in pair.criteria))
        for detail in pair.criteria:
            sentence = criterion_sentence(detail, "en")
            assert sentence and "%(" not in sentence
    for person in (*result.unmatched_mentees, *result.unmatched_mentors):
        assert unmatched_sentence(person, "nl")


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        run([mentee("e")], [mentor("m")], waiting_bonus_per_week=-1)
    with pytest.raises(ValueError):
        run([mentee("e")], [mentor("m")], alternatives=-1)
