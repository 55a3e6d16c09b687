"""The whole-pool suggestion a coordinator starts a matching session from.

Coordinators form duos; this module proposes the set of pairs that maximises the sum of
scores over the whole pool (an assignment problem solved exactly with
:func:`scipy.optimize.linear_sum_assignment`, not greedily: a greedy pass gives the best
mentor to whoever is scored first and can strand others). Around that:

* **Fairness.** A mentee who has waited gets ``waiting_bonus_per_week`` points per whole week
  since ``waiting_since`` (at most ``max_waiting_bonus``), added to every *feasible* pair of
  theirs. When mentors are scarce, a long wait tips the balance, so nobody is left out round
  after round. The bonus steers the choice only: ``SuggestedPair.score`` and
  ``Suggestion.total`` are the pure match quality; ``Suggestion.objective`` adds the bonuses.
* **Locks and exclusions.** Coordinators lock pairs they have decided and exclude pairs they
  reject, then re-run: locked pairs are kept and the others are re-optimised around them. A
  locked pair that breaks a hard constraint (the mentor stopped being free, a pair is also
  excluded, the same person is locked twice, an unknown id) is *not* kept: it is reported in
  ``Suggestion.problems`` and its people return to the pool.
* **Nobody is forced.** Each mentee may stay unmatched (an infeasible pair is worth 0 to
  the solver and is dropped from its answer), so an infeasible pair is never suggested, and a
  pair is only made when it adds to the total. Among equally good solutions, one with more
  pairs wins (every pair carries a tiny ``PAIR_EPSILON``), so a pool where every weight is 0
  still gets its feasible duos.
* **Determinism.** People are sorted by id before anything is computed, and the assignment
  algorithm is deterministic for a given matrix, so the same pool in any order gives the same
  suggestion. Alternatives with equal scores are listed by mentor id.
* **Explanations** (per-criterion details) are computed with :func:`score_pair` when a pair's
  or an alternative's ``criteria`` are first read: a page shows few of a large pool's.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from duo.matching.profiles import MenteeProfile, MentorProfile
from duo.matching.scoring import (
    CriterionScore,
    Pair,
    ScoreMatrix,
    _score_pair,
    score_matrix,
)

if TYPE_CHECKING:  # numpy and scipy are imported when a pool is solved, not at start-up
    import numpy as np

#: Added to the objective for every pair made, so ties are broken towards more duos.
PAIR_EPSILON = 1e-6

#: Reason codes for people left unmatched (beside the pair codes of scoring.PAIR_REASONS).
MENTEE_REASONS: tuple[str, ...] = (
    "mentee_not_eligible",
    "no_free_mentor",
    "no_common_language",
    "all_excluded_or_declined",
    "more_mentees_than_mentors",
    "feasible_mentors_taken",
)
MENTOR_REASONS: tuple[str, ...] = (
    "mentor_not_eligible",
    "mentor_not_trained",
    "mentor_not_free",
    "no_eligible_mentee",
    "no_common_language",
    "all_excluded_or_declined",
    "more_mentors_than_mentees",
    "feasible_mentees_taken",
)
#: Codes for locks that cannot be kept (beside the pair codes of scoring.PAIR_REASONS).
LOCK_CODES: tuple[str, ...] = ("lock_unknown_person", "lock_conflict")


def _no_details() -> tuple[CriterionScore, ...]:
    return ()


class _Explained:
    """Its per-criterion details (:attr:`criteria`) are computed when first read."""

    explain: Callable[[], tuple[CriterionScore, ...]]

    @cached_property
    def criteria(self) -> tuple[CriterionScore, ...]:
        return self.explain()


@dataclass(frozen=True)
class SuggestedPair(_Explained):
    """A proposed duo: quality ``score``, the fairness ``bonus`` it carried, and the details.

    The per-criterion details (:attr:`criteria`) are computed when first read: a session
    page shows one page of a large pool's pairs.
    """

    mentee_id: Hashable
    mentor_id: Hashable
    score: float
    bonus: float
    locked: bool = False
    explain: Callable[[], tuple[CriterionScore, ...]] = field(
        default=_no_details, repr=False, compare=False
    )


@dataclass(frozen=True)
class Alternative(_Explained):
    """Another feasible mentor for a mentee, with the pair's score.

    Its per-criterion details (:attr:`criteria`) are computed when first read: a page lists
    three alternatives per mentee and a coordinator opens few of them.
    """

    mentor_id: Hashable
    score: float
    explain: Callable[[], tuple[CriterionScore, ...]] = field(
        default=_no_details, repr=False, compare=False
    )


@dataclass(frozen=True)
class Unmatched:
    """A person the suggestion leaves without a partner, and why (code + params)."""

    person_id: Hashable
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LockProblem:
    """A lock that was not kept; ``code`` is a pair reason code or one of :data:`LOCK_CODES`."""

    mentee_id: Hashable
    mentor_id: Hashable
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    """The result of :func:`suggest`; every sequence is ordered by id."""

    pairs: tuple[SuggestedPair, ...]
    alternatives: Mapping[Hashable, tuple[Alternative, ...]]
    unmatched_mentees: tuple[Unmatched, ...]
    unmatched_mentors: tuple[Unmatched, ...]
    problems: tuple[LockProblem, ...]
    total: float  # sum of the pairs' scores (match quality)
    objective: float  # sum of score + bonus over the pairs: what the solver maximised

    def pair_of_mentee(self, mentee_id: Hashable) -> SuggestedPair | None:
        for pair in self.pairs:
            if pair.mentee_id == mentee_id:
                return pair
        return None

    def pair_of_mentor(self, mentor_id: Hashable) -> SuggestedPair | None:
        for pair in self.pairs:
            if pair.mentor_id == mentor_id:
                return pair
        return None


def waiting_bonus(waiting_since: date, today: date, per_week: float, cap: float) -> float:
    """Fairness points for a mentee: ``per_week`` per whole week waited, at most ``cap``."""
    weeks = max(0, (today - waiting_since).days) // 7
    return min(float(cap), float(per_week) * weeks)


_P = TypeVar("_P", MenteeProfile, MentorProfile)


def _sorted_by_id(people: Iterable[_P]) -> list[_P]:
    """Sort by id; ids of mixed, unorderable types fall back to (type name, repr)."""
    people = list(people)
    if all(isinstance(p.id, uuid.UUID) for p in people):
        return sorted(people, key=lambda p: p.id.int)  # UUID order, without Python compares
    try:
        return sorted(people, key=lambda p: p.id)
    except TypeError:
        return sorted(people, key=lambda p: (type(p.id).__name__, repr(p.id)))


def _check_locks(
    locks: Iterable[Pair], sm: ScoreMatrix
) -> tuple[list[tuple[int, int]], list[LockProblem]]:
    """Split locks into the pairs to keep (row, col) and the problems to report."""
    known: list[tuple[int, int, Pair]] = []
    problems: list[LockProblem] = []
    unknown: list[Pair] = []
    for lock in set(locks):
        mentee_id, mentor_id = lock
        i, j = sm.mentee_index.get(mentee_id), sm.mentor_index.get(mentor_id)
        if i is None or j is None:
            unknown.append(lock)
        else:
            known.append((i, j, lock))
    for mentee_id, mentor_id in sorted(unknown, key=lambda p: (repr(p[0]), repr(p[1]))):
        params = {
            "mentee_known": mentee_id in sm.mentee_index,
            "mentor_known": mentor_id in sm.mentor_index,
        }
        problems.append(LockProblem(mentee_id, mentor_id, "lock_unknown_person", params))
    known.sort()
    rows = Counter(i for i, _, _ in known)
    cols = Counter(j for _, j, _ in known)
    kept: list[tuple[int, int]] = []
    for i, j, (mentee_id, mentor_id) in known:
        if rows[i] > 1 or cols[j] > 1:
            params = {"mentee_locks": rows[i], "mentor_locks": cols[j]}
            problems.append(LockProblem(mentee_id, mentor_id, "lock_conflict", params))
            continue
        reasons = sm.reasons(i, j)
        if reasons:
            params = {"reasons": reasons}
            problems.append(LockProblem(mentee_id, mentor_id, reasons[0], params))
            continue
        kept.append((i, j))
    return kept, problems


def _solve(objective: np.ndarray, feasible: np.ndarray) -> list[tuple[int, int]]:
    """Maximum-weight matching where anyone may stay unmatched (``objective`` > 0 if feasible).

    Infeasible cells are worth 0 and the pairs the solver puts there are dropped: with every
    feasible cell worth more than 0, a best full assignment of the smaller side, less its
    zero cells, is a best matching (any matching extends to a full assignment with zero
    cells, and no assignment is worth more than its feasible part). This keeps the matrix
    the solver sees the pool's own shape; a dummy "unmatched" column per row, as before,
    made it n x (m + n) and the solver several times slower on a large pool.
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    rows = np.flatnonzero(feasible.any(axis=1))
    cols = np.flatnonzero(feasible.any(axis=0))
    if rows.size == 0 or cols.size == 0:
        return []
    everyone = rows.size == feasible.shape[0] and cols.size == feasible.shape[1]
    sub_feasible = feasible if everyone else feasible[np.ix_(rows, cols)]
    sub_objective = objective if everyone else objective[np.ix_(rows, cols)]
    values = np.zeros(sub_feasible.shape)
    np.copyto(values, sub_objective, where=sub_feasible)
    row_ind, col_ind = linear_sum_assignment(values, maximize=True)
    return [
        (int(rows[a]), int(cols[b]))
        for a, b in zip(row_ind, col_ind, strict=True)
        if sub_feasible[a, b]
    ]


def _mentee_reason(
    i: int,
    sm: ScoreMatrix,
    speaking: np.ndarray,
    feasible: np.ndarray,
    pool_mentees: int,
    mentors: int,
) -> tuple[str, dict[str, Any]]:
    """Why row ``i`` is unmatched; ``speaking``/``feasible`` count available mentors per row."""
    if not sm.mentee_eligible[i]:
        return "mentee_not_eligible", {}
    if not mentors:
        return "no_free_mentor", {}
    if not speaking[i]:
        return "no_common_language", {"working_languages": sm.working_languages}
    if not feasible[i]:
        return "all_excluded_or_declined", {"count": int(speaking[i])}
    if pool_mentees > mentors:
        return "more_mentees_than_mentors", {"mentees": pool_mentees, "mentors": mentors}
    return "feasible_mentors_taken", {"count": int(feasible[i])}


def _mentor_reason(
    j: int,
    sm: ScoreMatrix,
    speaking: np.ndarray,
    feasible: np.ndarray,
    pool_mentors: int,
    mentees: int,
) -> tuple[str, dict[str, Any]]:
    """Why column ``j`` is unmatched; ``speaking``/``feasible`` count open mentees per column."""
    if not sm.mentor_eligible[j]:
        return "mentor_not_eligible", {}
    if not sm.mentor_trained[j]:
        return "mentor_not_trained", {}
    if not sm.mentor_free[j]:
        return "mentor_not_free", {}
    if not mentees:
        return "no_eligible_mentee", {}
    if not speaking[j]:
        return "no_common_language", {"working_languages": sm.working_languages}
    if not feasible[j]:
        return "all_excluded_or_declined", {"count": int(speaking[j])}
    if pool_mentors > mentees:
        return "more_mentors_than_mentees", {"mentors": pool_mentors, "mentees": mentees}
    return "feasible_mentees_taken", {"count": int(feasible[j])}


#: Rows of the score matrix ranked at a time for alternatives (a block stays in the caches;
#: whole-matrix temporaries of a large pool cost more to allocate than to fill).
_ROW_BLOCK = 128


def _top_alternatives(
    sm: ScoreMatrix, candidates: np.ndarray, own: np.ndarray, k: int
) -> list[list[int]]:
    """Per mentee row, the columns of the ``k`` best candidates (score desc, then column)."""
    import numpy as np

    n, m = sm.shape
    if k <= 0 or n == 0 or m == 0:
        return [[] for _ in range(n)]
    out: list[list[int]] = []
    for start in range(0, n, _ROW_BLOCK):
        stop = min(n, start + _ROW_BLOCK)
        masked = np.where(candidates[start:stop], sm.total[start:stop], -np.inf)
        block_own = own[start:stop]
        has_own = block_own >= 0
        masked[np.flatnonzero(has_own), block_own[has_own]] = -np.inf
        if m > 4 * k:
            # Only rows' top values matter: partition first, then sort the few, ties exact.
            kth = np.partition(masked, m - k, axis=1)[:, m - k]
            for r in range(stop - start):
                row = masked[r]
                cols = np.flatnonzero((row >= kth[r]) & np.isfinite(row))
                order = np.lexsort((cols, -row[cols]))
                out.append([int(c) for c in cols[order][:k]])
        else:
            order = np.argsort(-masked, axis=1, kind="stable")[:, :k]
            out.extend(
                [int(c) for c in row if np.isfinite(masked[r, c])] for r, row in enumerate(order)
            )
    return out


def suggest(
    mentees: Iterable[MenteeProfile],
    mentors: Iterable[MentorProfile],
    *,
    weights: Mapping[str, float],
    working_languages: Iterable[str],
    today: date,
    waiting_bonus_per_week: float = 0.5,
    max_waiting_bonus: float = 15,
    locks: Iterable[Pair] = frozenset(),
    exclusions: Iterable[Pair] = frozenset(),
    declined: Iterable[Pair] = frozenset(),
    alternatives: int = 3,
) -> Suggestion:
    """Suggest the duos that maximise the pool's total score (plus fairness bonuses).

    ``locks``, ``exclusions`` and ``declined`` are sets of ``(mentee_id, mentor_id)``;
    ``alternatives`` is how many other feasible mentors to list per mentee.
    """
    if waiting_bonus_per_week < 0 or max_waiting_bonus < 0:
        raise ValueError("waiting bonus settings must be >= 0")
    if alternatives < 0:
        raise ValueError("alternatives must be >= 0")
    import numpy as np

    mentee_list: Sequence[MenteeProfile] = _sorted_by_id(mentees)
    mentor_list: Sequence[MentorProfile] = _sorted_by_id(mentors)
    working = tuple(working_languages)
    exclusions, declined = frozenset(exclusions), frozenset(declined)
    sm = score_matrix(
        mentee_list,
        mentor_list,
        weights,
        working_languages=working,
        exclusions=exclusions,
        declined=declined,
    )
    n, m = sm.shape
    bonus = np.array(
        [
            waiting_bonus(e.waiting_since, today, waiting_bonus_per_week, max_waiting_bonus)
            for e in mentee_list
        ],
        dtype=float,
    ).reshape(n)

    kept, problems = _check_locks(locks, sm)
    locked_rows = np.zeros(n, dtype=bool)
    locked_cols = np.zeros(m, dtype=bool)
    for i, j in kept:
        locked_rows[i] = locked_cols[j] = True

    open_feasible = sm.feasible & ~locked_rows[:, None]
    open_feasible &= ~locked_cols[None, :]
    objective = sm.total + bonus[:, None]
    objective += PAIR_EPSILON
    solved = _solve(objective, open_feasible)
    del objective, open_feasible

    own = np.full(n, -1, dtype=np.int64)
    assigned_cols = np.zeros(m, dtype=bool)
    locked_set = set(kept)
    for i, j in (*kept, *solved):
        own[i] = j
        assigned_cols[j] = True

    def explain(i: int, j: int) -> Callable[[], tuple[CriterionScore, ...]]:
        """The details of pair (i, j), computed when called (holding profiles, not matrices)."""
        return partial(_criteria, mentee_list[i], mentor_list[j], sm.weights, sm.working_languages)

    pairs = []
    for i, j in sorted((*kept, *solved)):
        pairs.append(
            SuggestedPair(
                mentee_id=sm.mentee_ids[i],
                mentor_id=sm.mentor_ids[j],
                score=float(sm.total[i, j]),
                bonus=float(bonus[i]),
                locked=(i, j) in locked_set,
                explain=explain(i, j),
            )
        )

    # Alternatives: feasible mentors other than one's own, leaving out mentors locked elsewhere.
    candidates = sm.feasible & ~locked_cols[None, :]
    top = _top_alternatives(sm, candidates, own, alternatives)
    alternative_map = {
        sm.mentee_ids[i]: tuple(
            Alternative(sm.mentor_ids[j], float(sm.total[i, j]), explain(i, j)) for j in cols
        )
        for i, cols in enumerate(top)
    }

    available = sm.mentor_available & ~locked_cols
    open_mentees = sm.mentee_eligible & ~locked_rows
    pool_mentees = int(open_mentees.sum())
    pool_mentors = int(available.sum())
    left_mentees = np.flatnonzero(own < 0)
    left_mentors = np.flatnonzero(~assigned_cols)
    unmatched_mentees: tuple[Unmatched, ...] = ()
    unmatched_mentors: tuple[Unmatched, ...] = ()
    if left_mentees.size:  # available mentors each of them speaks with, and could be paired with
        rows = (sm.language_ok[left_mentees] & available, sm.feasible[left_mentees] & available)
        speaking, feasible = (np.zeros(n, np.int64) for _ in range(2))
        speaking[left_mentees] = np.count_nonzero(rows[0], axis=1)
        feasible[left_mentees] = np.count_nonzero(rows[1], axis=1)
        args = (speaking, feasible, pool_mentees, pool_mentors)
        unmatched_mentees = tuple(
            Unmatched(sm.mentee_ids[i], *_params(_mentee_reason(int(i), sm, *args)))
            for i in left_mentees
        )
    if left_mentors.size:  # open mentees each of them speaks with, and could be paired with
        speaking = np.count_nonzero(sm.language_ok & open_mentees[:, None], axis=0)
        feasible = np.count_nonzero(sm.feasible & open_mentees[:, None], axis=0)
        args = (speaking, feasible, pool_mentors, pool_mentees)
        unmatched_mentors = tuple(
            Unmatched(sm.mentor_ids[j], *_params(_mentor_reason(int(j), sm, *args)))
            for j in left_mentors
        )
    total = sum(p.score for p in pairs)
    return Suggestion(
        pairs=tuple(pairs),
        alternatives=MappingProxyType(alternative_map),
        unmatched_mentees=unmatched_mentees,
        unmatched_mentors=unmatched_mentors,
        problems=tuple(problems),
        total=total,
        objective=total + sum(p.bonus for p in pairs),
    )


def _params(found: tuple[str, dict[str, Any]]) -> tuple[str, Mapping[str, Any]]:
    code, params = found
    return code, MappingProxyType(params)


def _criteria(
    mentee: MenteeProfile,
    mentor: MentorProfile,
    weights: Mapping[str, float],
    working_languages: tuple[str, ...],
) -> tuple[CriterionScore, ...]:
    return _score_pair(mentee, mentor, weights, working_languages).criteria
