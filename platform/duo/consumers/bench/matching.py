"""Matching-session figures.

Baseline for both figures: the *naive* way, scoring every pair with the pure-Python
:func:`~duo.matching.scoring.score_pair` in a loop. It is measured once on a 100 x 200 pool
and extrapolated linearly to the figure's number of pairs (pure-Python scoring is linear in
pairs). It covers scoring only, so it is a lower bound for the naive approach; the ratio
(value / baseline) is therefore an upper bound on the time the vectorised path takes
relative to naive scoring alone.
"""

from __future__ import annotations

from functools import cache

from duo.consumers.bench import Measurement, best_of, figure
from duo.consumers.bench.synthetic import Pool, make_pool
from duo.matching.explain import criterion_sentence, unmatched_sentence
from duo.matching.scoring import score_pair
from duo.matching.solver import Suggestion, suggest

NAIVE_POOL = (100, 200)


def run_suggest(pool: Pool, alternatives: int = 3) -> Suggestion:
    return suggest(
        pool.mentees,
        pool.mentors,
        weights=pool.weights,
        working_languages=pool.working_languages,
        today=pool.today,
        declined=pool.declined,
        alternatives=alternatives,
    )


def render(suggestion: Suggestion, locale: str = "en") -> int:
    """Render every sentence a coordinator's page shows; returns how many were made."""
    count = 0
    for pair in suggestion.pairs:
        count += len([criterion_sentence(c, locale) for c in pair.criteria])
    for alternatives in suggestion.alternatives.values():
        for alt in alternatives:
            count += len([criterion_sentence(c, locale) for c in alt.criteria])
    for person in (*suggestion.unmatched_mentees, *suggestion.unmatched_mentors):
        unmatched_sentence(person, locale)
        count += 1
    return count


@cache
def naive_seconds_per_pair() -> float:
    """Seconds per pair of the naive pure-Python loop (best of 2 on a 100 x 200 pool)."""
    pool = make_pool(*NAIVE_POOL, seed=7)

    def loop() -> None:
        for mentee in pool.mentees:
            for mentor in pool.mentors:
                score_pair(mentee, mentor, pool.weights, pool.working_languages)

    return best_of(loop, repeat=2, warmup=0) / (NAIVE_POOL[0] * NAIVE_POOL[1])


@figure("matching: score+solve+explain 500x1000", unit="s", goal="< 2")
def score_solve_explain_500x1000() -> Measurement:
    """Whole-pool suggestion with top-3 alternatives and every sentence rendered (en)."""
    pool = make_pool(500, 1000)
    value = best_of(lambda: render(run_suggest(pool, alternatives=3)), repeat=5)
    return Measurement(value, naive_seconds_per_pair() * 500 * 1000)


@figure("matching: score+solve 200x300", unit="s")
def score_solve_200x300() -> Measurement:
    """Scoring and assignment only (no alternatives, no sentences)."""
    pool = make_pool(200, 300)
    value = best_of(lambda: run_suggest(pool, alternatives=0), repeat=5)
    return Measurement(value, naive_seconds_per_pair() * 200 * 300)
