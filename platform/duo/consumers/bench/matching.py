"""Matching-session figures.

Baseline: scipy's solver alone (:func:`scipy.optimize.linear_sum_assignment`) on the same
pool's objective matrix, timed in the same run, interleaved with the figure. The ratio says
how much the platform adds around the one step that cannot get faster: scoring the pool,
the fairness bonus, locks, alternatives, the reasons for the unmatched and every sentence
the page shows up front (goal: at most 20x the solver alone, and under 0.3 s).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
from scipy.optimize import linear_sum_assignment

from duo.consumers.bench import Measurement, figure, interleaved
from duo.consumers.bench.synthetic import Pool, make_pool
from duo.matching.explain import sentence_book
from duo.matching.scoring import score_matrix
from duo.matching.solver import Suggestion, suggest


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
    """Every sentence the session page shows up front; returns how many were made.

    That is each suggested pair's criteria and the reason of everyone left unmatched. An
    alternative is listed with its score; its details are explained when the coordinator
    opens it (one small request per pair, see :func:`explain_alternative`).
    """
    book = sentence_book(locale)
    count = 0
    for pair in suggestion.pairs:
        count += len([book.criterion(c) for c in pair.criteria])
    for person in (*suggestion.unmatched_mentees, *suggestion.unmatched_mentors):
        book.reason(person.code, person.params)
        count += 1
    return count


def explain_alternative(suggestion: Suggestion, locale: str = "en") -> int:
    """What opening one mentee's alternatives costs: their details and sentences."""
    book = sentence_book(locale)
    for alternatives in suggestion.alternatives.values():
        if alternatives:
            return sum(len([book.criterion(c) for c in a.criteria]) for a in alternatives)
    return 0


def objective_matrix(pool: Pool) -> np.ndarray:
    """The matrix the solver is given: scores, infeasible pairs pushed far below any score."""
    sm = score_matrix(
        sorted(pool.mentees, key=lambda p: p.id),
        sorted(pool.mentors, key=lambda p: p.id),
        pool.weights,
        working_languages=pool.working_languages,
        declined=frozenset(pool.declined),
    )
    return np.where(sm.feasible, sm.total, -1e6)


def _versus_solver(n_mentees: int, n_mentors: int, alternatives: int, explain: bool):
    pool = make_pool(n_mentees, n_mentors)
    matrix = objective_matrix(pool)

    def work() -> None:
        suggestion = run_suggest(pool, alternatives=alternatives)
        if explain:
            render(suggestion)
            explain_alternative(suggestion)

    ours, solver = interleaved(work, lambda: linear_sum_assignment(matrix, maximize=True))
    cpu = statistics.median(cpu_seconds(work) for _ in range(5))
    note = f"CPU {cpu:.3f} s (wall time includes waiting for a busy machine's cores)"
    return Measurement(ours.median, solver.median, p95=ours.p95, baseline_p95=solver.p95, note=note)


def cpu_seconds(work: Callable[[], object]) -> float:
    """The processor time of one call of ``work`` (this process only, whatever else runs)."""
    start = time.process_time()
    work()
    return time.process_time() - start


@figure("matching: score+solve+explain 500x1000", unit="s", goal="< 0.3", ratio_goal="<= 20")
def score_solve_explain_500x1000() -> Measurement:
    """Whole-pool suggestion with top-3 alternatives, every sentence the page shows up front
    rendered (en), and one mentee's alternatives opened and explained."""
    return _versus_solver(500, 1000, alternatives=3, explain=True)


@figure("matching: score+solve 200x300", unit="s")
def score_solve_200x300() -> Measurement:
    """Scoring and assignment only (no alternatives, no sentences)."""
    return _versus_solver(200, 300, alternatives=0, explain=False)
