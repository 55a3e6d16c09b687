"""How well a mentor suits a mentee: one score per criterion, and the hard constraints.

Two entry points compute the *same* numbers:

* :func:`score_pair` scores one pair in plain Python and returns the details a coordinator
  reads (which languages they share, which slots overlap, ...). It is the reference.
* :func:`score_matrix` scores a whole pool at once with numpy (one-hot matrices and matrix
  products instead of a loop over pairs), because a pool of 500 mentees x 1,000 mentors is
  half a million pairs and must be scored in a fraction of a second.

Both use the same formulas in the same floating-point order, so their results are equal
bit for bit (the tests check it); the solver ranks with the matrix and shows details from
:func:`score_pair` for the few pairs it displays.

Scoring rules (every criterion gives a *fraction* 0..1 of its weight; the branch's weight is
the points at a perfect fit, and a weight of 0 switches the criterion off):

``sector``
    1 when the mentee's target sector is one of the mentor's sectors, else 0.
``help_questions``
    share of the mentee's help questions that the mentor's expertise covers.
``languages``
    3/4 for the quality of the best common *working* language (the lower of the two levels;
    B1 gives 0, native gives 1) plus 1/4 when they share more than one language at B1+.
``availability``, ``interests``, ``personality``
    overlap coefficient: shared items / size of the smaller set (a mentee free on two evenings
    that both suit the mentor is a perfect fit, whatever else the mentor offers).
``digital_skills``
    ``min(1, mentor / max(mentee, 2))``: the mentor keeps up with the mentee, and a duo needs
    at least "intermediate" (2) on the mentor's side for online applications.
``distance``
    a postcode-proximity proxy, because no geodata can be shipped: same country required,
    then same postcode 1, same first 3 characters 2/3, same first 2 characters 1/3, else 0.

Missing data (no target sector yet, no help questions stated, no postcode, ...) gives half
the points: an unknown neither wins nor loses against the average candidate, and it gives the
same points to every pair of that person, so it does not change whom they are matched with.

Hard constraints (a pair violating one is *infeasible*; the reason codes, in this order):
``mentee_not_eligible``, ``mentor_not_eligible``, ``mentor_not_trained``, ``mentor_not_free``,
``no_common_language`` (no branch working language spoken at B1 or above by both),
``declined`` (tried before and declined by either side), ``excluded`` (by a coordinator).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from duo.core.vocab.criteria import CRITERIA
from duo.core.vocab.levels import MAX_LEVEL_RANK, spoken_rank
from duo.matching.profiles import (
    DIGITAL_SKILL_MAX,
    WORKING_LEVEL_RANK,
    MenteeProfile,
    MentorProfile,
)

if TYPE_CHECKING:  # numpy is imported where a pool is scored, not when the app starts
    import numpy as np

#: Hard-constraint reason codes, in the order they are reported.
PAIR_REASONS: tuple[str, ...] = (
    "mentee_not_eligible",
    "mentor_not_eligible",
    "mentor_not_trained",
    "mentor_not_free",
    "no_common_language",
    "declined",
    "excluded",
)

#: Fraction of a criterion's weight given when one side's data is missing.
UNKNOWN = 0.5
#: Language score split: quality of the best working language vs. sharing a second language.
LANGUAGE_QUALITY_SHARE = 0.75
LANGUAGE_EXTRA_SHARE = 0.25
#: Digital skills level the mentor should reach at least (2 = intermediate).
DIGITAL_NEED = 2
#: Proximity fractions by number of leading postcode characters in common.
PROXIMITY_SAME = 1.0
PROXIMITY_3 = 2.0 / 3.0
PROXIMITY_2 = 1.0 / 3.0

Pair = tuple[Hashable, Hashable]


def normalise_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights as floats for every criterion (missing ones 0); unknown or negative keys raise.

    Raising early matters: a misspelt key in a branch file would otherwise silently disable a
    criterion.
    """
    unknown = sorted(set(weights) - set(CRITERIA))
    if unknown:
        raise ValueError(f"unknown matching weight(s): {', '.join(unknown)}")
    out: dict[str, float] = {}
    for name in CRITERIA:
        value = float(weights.get(name, 0.0))
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"matching weight {name!r} must be a number >= 0, got {value!r}")
        out[name] = value
    return out


def normalise_working_languages(languages: Iterable[str]) -> tuple[str, ...]:
    """Lower-case codes, duplicates dropped, the branch's order kept (it breaks ties)."""
    seen: dict[str, None] = {}
    for code in languages:
        seen.setdefault(str(code).strip().lower(), None)
    return tuple(seen)


# --------------------------------------------------------------------------------------------
# One pair, in plain Python (the reference, and the details shown to coordinators)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionScore:
    """One criterion of one pair: points out of ``max_points`` and why (code + params).

    ``code`` and ``params`` are turned into a sentence by
    :func:`duo.matching.explain.criterion_sentence`; params hold codes and numbers only.
    """

    criterion: str
    points: float
    max_points: float
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PairScore:
    """The score of one mentee-mentor pair, with its details and hard-constraint verdict."""

    mentee_id: Hashable
    mentor_id: Hashable
    total: float
    criteria: tuple[CriterionScore, ...]
    reasons: tuple[str, ...]  # hard constraints violated, in PAIR_REASONS order

    @property
    def feasible(self) -> bool:
        return not self.reasons

    @property
    def max_total(self) -> float:
        return sum(c.max_points for c in self.criteria)

    def criterion(self, name: str) -> CriterionScore | None:
        for item in self.criteria:
            if item.criterion == name:
                return item
        return None


def _overlap(a: frozenset[str], b: frozenset[str]) -> tuple[float, frozenset[str]]:
    """Overlap coefficient (shared / smaller size); UNKNOWN when either side is empty."""
    if not a or not b:
        return UNKNOWN, frozenset()
    shared = a & b
    return len(shared) / min(len(a), len(b)), shared


def _sector(e: MenteeProfile, m: MentorProfile) -> tuple[float, str, dict[str, Any]]:
    if e.target_sector is None:
        return UNKNOWN, "sector_no_target", {}
    if not m.sectors:
        return UNKNOWN, "sector_mentor_unknown", {"target": e.target_sector}
    if e.target_sector in m.sectors:
        return 1.0, "sector_match", {"sector": e.target_sector, "years": m.years_experience}
    return 0.0, "sector_mismatch", {"target": e.target_sector, "sectors": tuple(sorted(m.sectors))}


def _help(e: MenteeProfile, m: MentorProfile) -> tuple[float, str, dict[str, Any]]:
    asked = tuple(sorted(e.help_questions))
    if not asked:
        return UNKNOWN, "help_none_asked", {}
    if not m.expertise:
        return UNKNOWN, "help_mentor_unknown", {"asked": asked}
    covered = tuple(sorted(e.help_questions & m.expertise))
    fraction = len(covered) / len(asked)
    if covered:
        return fraction, "help_covered", {"covered": covered, "asked": asked}
    return fraction, "help_not_covered", {"asked": asked}


def _languages(
    e: MenteeProfile, m: MentorProfile, working: tuple[str, ...]
) -> tuple[float, str, dict[str, Any], bool]:
    best, best_lang = 0, None
    for lang in working:
        common = min(spoken_rank(e.languages.get(lang)), spoken_rank(m.languages.get(lang)))
        if common > best:
            best, best_lang = common, lang
    shared = tuple(
        sorted(
            lang
            for lang in e.languages.keys() & m.languages.keys()
            if spoken_rank(e.languages[lang]) >= WORKING_LEVEL_RANK
            and spoken_rank(m.languages[lang]) >= WORKING_LEVEL_RANK
        )
    )
    quality = max(0, best - WORKING_LEVEL_RANK) / (MAX_LEVEL_RANK - WORKING_LEVEL_RANK)
    extra = 1.0 if len(shared) >= 2 else 0.0
    fraction = LANGUAGE_QUALITY_SHARE * quality + LANGUAGE_EXTRA_SHARE * extra
    ok = best >= WORKING_LEVEL_RANK
    if ok:
        level = min(e.languages[best_lang], m.languages[best_lang], key=spoken_rank)
        params = {"languages": shared, "working": best_lang, "level": level}
        return fraction, "languages_shared", params, True
    params = {"languages": shared, "working_languages": working}
    return fraction, "languages_no_working", params, False


def _availability(e: MenteeProfile, m: MentorProfile) -> tuple[float, str, dict[str, Any]]:
    fraction, shared = _overlap(e.availability, m.availability)
    if not e.availability or not m.availability:
        return fraction, "availability_unknown", {}
    total = min(len(e.availability), len(m.availability))
    params = {"shared": len(shared), "total": total, "slots": tuple(sorted(shared))}
    return fraction, "availability_overlap", params


def _tag_overlap(kind: str, a: frozenset[str], b: frozenset[str]) -> tuple[float, str, dict]:
    fraction, shared = _overlap(a, b)
    if not a or not b:
        return fraction, f"{kind}_unknown", {}
    if shared:
        return fraction, f"{kind}_shared", {"tags": tuple(sorted(shared))}
    return fraction, f"{kind}_none_shared", {}


def _digital(e: MenteeProfile, m: MentorProfile) -> tuple[float, str, dict[str, Any]]:
    fraction = min(1.0, m.digital_skills / max(e.digital_skills, DIGITAL_NEED))
    return fraction, "digital_skills", {"mentor": m.digital_skills, "mentee": e.digital_skills}


def _distance(e: MenteeProfile, m: MentorProfile) -> tuple[float, str, dict[str, Any]]:
    a, b = e.postcode, m.postcode
    if a is None or b is None or not e.country or not m.country:
        return UNKNOWN, "distance_unknown", {}
    if e.country != m.country:
        return 0.0, "distance_other_country", {"mentee": e.country, "mentor": m.country}
    if a == b:
        return PROXIMITY_SAME, "distance_same_postcode", {"postcode": a}
    if a[:3] == b[:3]:
        return PROXIMITY_3, "distance_prefix", {"digits": 3, "mentee": a, "mentor": b}
    if a[:2] == b[:2]:
        return PROXIMITY_2, "distance_prefix", {"digits": 2, "mentee": a, "mentor": b}
    return 0.0, "distance_far", {"mentee": a, "mentor": b}


def score_pair(
    mentee: MenteeProfile,
    mentor: MentorProfile,
    weights: Mapping[str, float],
    working_languages: Iterable[str],
    *,
    exclusions: Iterable[Pair] = frozenset(),
    declined: Iterable[Pair] = frozenset(),
) -> PairScore:
    """Score one pair with every detail; equal, bit for bit, to :func:`score_matrix`.

    This is the definition of every score: the matrix computes the same expressions for a
    whole pool at once, and the tests hold it to these numbers on random pools.
    """
    return _score_pair(
        mentee,
        mentor,
        normalise_weights(weights),
        normalise_working_languages(working_languages),
        exclusions=exclusions,
        declined=declined,
    )


def _score_pair(
    mentee: MenteeProfile,
    mentor: MentorProfile,
    w: Mapping[str, float],
    working: tuple[str, ...],
    *,
    exclusions: Iterable[Pair] = frozenset(),
    declined: Iterable[Pair] = frozenset(),
) -> PairScore:
    """:func:`score_pair` with weights and working languages already normalised."""
    lang_fraction, lang_code, lang_params, lang_ok = _languages(mentee, mentor, working)
    parts: dict[str, tuple[float, str, dict[str, Any]]] = {
        "sector": _sector(mentee, mentor),
        "help_questions": _help(mentee, mentor),
        "languages": (lang_fraction, lang_code, lang_params),
        "availability": _availability(mentee, mentor),
        "interests": _tag_overlap("interests", mentee.interests, mentor.interests),
        "digital_skills": _digital(mentee, mentor),
        "personality": _tag_overlap("personality", mentee.personality, mentor.personality),
        "distance": _distance(mentee, mentor),
    }
    total = 0.0
    criteria = []
    for name in CRITERIA:
        if w[name] == 0:
            continue
        fraction, code, params = parts[name]
        points = w[name] * fraction
        total += points
        criteria.append(CriterionScore(name, points, w[name], code, MappingProxyType(dict(params))))
    key = (mentee.id, mentor.id)
    failed = {
        "mentee_not_eligible": not mentee.eligible,
        "mentor_not_eligible": not mentor.eligible,
        "mentor_not_trained": not mentor.trained,
        "mentor_not_free": not mentor.free,
        "no_common_language": not lang_ok,
        "declined": key in frozenset(declined),
        "excluded": key in frozenset(exclusions),
    }
    reasons = tuple(code for code in PAIR_REASONS if failed[code])
    return PairScore(mentee.id, mentor.id, total, tuple(criteria), reasons)


# --------------------------------------------------------------------------------------------
# The whole pool, vectorised
# --------------------------------------------------------------------------------------------
#
# Every criterion is computed for all pairs at once and added to the total straight away, so
# a pool needs two n x m float arrays however many criteria it weighs (the points of one
# criterion are computed again only when :attr:`ScoreMatrix.criteria` is read). Set overlaps
# are popcounts of bit sets and divisions of whole numbers; the categorical criteria
# (languages, digital skills, distance) read small tables computed with the very expressions
# of the scalar functions above; each fraction is therefore equal, bit for bit, to
# :func:`score_pair`'s.


class _CriterionPoints(Mapping[str, "np.ndarray"]):
    """Points of each enabled criterion (n x m float64), computed when first read."""

    def __init__(self, names: tuple[str, ...], compute: Callable[[str], np.ndarray]) -> None:
        self._names = names
        self._compute = compute
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._cache:
            self._cache[name] = self._compute(name)
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@dataclass(frozen=True, eq=False)
class ScoreMatrix:
    """Scores of every pair of a pool: row i = ``mentee_ids[i]``, column j = ``mentor_ids[j]``.

    ``total`` and each array in ``criteria`` (enabled criteria only, points, computed when
    read) are float64 (n_mentees, n_mentors); ``feasible`` is boolean. The reason a pair is
    infeasible is computed on demand by :meth:`reasons` from the per-constraint arrays.
    """

    mentee_ids: tuple[Hashable, ...]
    mentor_ids: tuple[Hashable, ...]
    weights: Mapping[str, float]
    working_languages: tuple[str, ...]
    total: np.ndarray
    criteria: Mapping[str, np.ndarray]
    feasible: np.ndarray
    mentee_eligible: np.ndarray
    mentor_eligible: np.ndarray
    mentor_trained: np.ndarray
    mentor_free: np.ndarray
    language_ok: np.ndarray
    declined: np.ndarray
    excluded: np.ndarray
    mentee_index: Mapping[Hashable, int]
    mentor_index: Mapping[Hashable, int]

    @property
    def shape(self) -> tuple[int, int]:
        rows, columns = self.total.shape
        return int(rows), int(columns)

    @property
    def mentor_available(self) -> np.ndarray:
        """Mentors that pass every mentor-side constraint (eligible, trained, free)."""
        return self.mentor_eligible & self.mentor_trained & self.mentor_free

    def reasons(self, i: int, j: int) -> tuple[str, ...]:
        """Hard constraints pair (i, j) violates, in :data:`PAIR_REASONS` order."""
        failed = {
            "mentee_not_eligible": not self.mentee_eligible[i],
            "mentor_not_eligible": not self.mentor_eligible[j],
            "mentor_not_trained": not self.mentor_trained[j],
            "mentor_not_free": not self.mentor_free[j],
            "no_common_language": not self.language_ok[i, j],
            "declined": bool(self.declined[i, j]),
            "excluded": bool(self.excluded[i, j]),
        }
        return tuple(code for code in PAIR_REASONS if failed[code])

    def reason(self, i: int, j: int) -> str | None:
        """The first violated hard constraint of pair (i, j), ``None`` when feasible."""
        found = self.reasons(i, j)
        return found[0] if found else None


def _onehot(
    left: Sequence[Iterable[str]], right: Sequence[Iterable[str]]
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Boolean indicator rows of both sides over their union vocabulary (and that vocabulary)."""
    import numpy as np

    vocab: dict[str, int] = {}
    left_ids = [vocab.setdefault(item, len(vocab)) for items in left for item in items]
    right_ids = [vocab.setdefault(item, len(vocab)) for items in right for item in items]
    width = max(len(vocab), 1)
    out = []
    for side, ids in ((left, left_ids), (right, right_ids)):
        sizes = np.fromiter(map(len, side), np.intp, len(side))
        hot = np.zeros((len(side), width), dtype=bool)
        hot[np.repeat(np.arange(len(side)), sizes), np.asarray(ids, dtype=np.intp)] = True
        out.append(hot)
    return out[0], out[1], vocab


def _bit_words(hot: np.ndarray) -> np.ndarray:
    """Indicator rows packed into 64-bit words (n, words)."""
    import numpy as np

    packed = np.packbits(hot, axis=1, bitorder="little")
    pad = (-packed.shape[1]) % 8
    if pad:
        packed = np.pad(packed, ((0, 0), (0, pad)))
    return np.ascontiguousarray(packed).view(np.uint64)


def _shared_counts(left: Sequence[Iterable[str]], right: Sequence[Iterable[str]]) -> np.ndarray:
    """``len(left[i] & right[j])`` for every pair, from popcounts of bit sets."""
    import numpy as np

    left_hot, right_hot, _ = _onehot(left, right)
    a, b = _bit_words(left_hot), _bit_words(right_hot)
    counts = np.bitwise_count(a[:, 0, None] & b[None, :, 0])
    if a.shape[1] > 1:
        counts = counts.astype(np.uint16)
        for word in range(1, a.shape[1]):
            counts += np.bitwise_count(a[:, word, None] & b[None, :, word])
    return counts


def _sizes(rows: Sequence[Iterable[str]]) -> np.ndarray:
    import numpy as np

    return np.fromiter(map(len, rows), dtype=np.uint16, count=len(rows))


def _unknown_rows_and_columns(out: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> None:
    """Give UNKNOWN to every pair whose row or column lacks the data."""
    out[rows, :] = UNKNOWN
    out[:, columns] = UNKNOWN


def _pair_mask(
    pairs: Iterable[Pair], rows: Mapping[Hashable, int], cols: Mapping[Hashable, int]
) -> np.ndarray:
    import numpy as np

    mask = np.zeros((len(rows), len(cols)), dtype=bool)
    for mentee_id, mentor_id in pairs:
        i, j = rows.get(mentee_id), cols.get(mentor_id)
        if i is not None and j is not None:
            mask[i, j] = True
    return mask


def _index(ids: Sequence[Hashable], what: str) -> dict[Hashable, int]:
    index: dict[Hashable, int] = {}
    for k, ident in enumerate(ids):
        if ident in index:
            raise ValueError(f"duplicate {what} id {ident!r}")
        index[ident] = k
    return index


def _postcode_codes(
    people: Sequence[MenteeProfile | MentorProfile], length: int | None, missing: int, vocab: dict
) -> np.ndarray:
    """Integer code per person for (country, postcode prefix); ``missing`` when unknown."""
    import numpy as np

    out = np.full(len(people), missing, dtype=np.int64)
    for k, person in enumerate(people):
        if person.postcode is None or not person.country:
            continue
        prefix = person.postcode if length is None else person.postcode[:length]
        out[k] = vocab.setdefault((person.country, prefix), len(vocab))
    return out


#: Language fraction by (best common working level, shares a second language): the
#: expression of :func:`_languages`, evaluated once per table cell.
def _language_table() -> list[float]:
    span = MAX_LEVEL_RANK - WORKING_LEVEL_RANK
    return [
        LANGUAGE_QUALITY_SHARE * (max(0, best - WORKING_LEVEL_RANK) / span)
        + LANGUAGE_EXTRA_SHARE * extra
        for best in range(MAX_LEVEL_RANK + 1)
        for extra in (0.0, 1.0)
    ]


class _PoolFractions:
    """A pool encoded once; :meth:`fraction` gives one criterion's n x m fractions."""

    def __init__(
        self,
        mentees: Sequence[MenteeProfile],
        mentors: Sequence[MentorProfile],
        working: tuple[str, ...],
    ) -> None:
        import numpy as np

        self.mentees, self.mentors = mentees, mentors
        n, m = len(mentees), len(mentors)
        # Best common level among the working languages (also the language constraint).
        best = np.zeros((n, m), dtype=np.uint8)
        for lang in working:
            e_rank = np.fromiter((spoken_rank(p.languages.get(lang)) for p in mentees), np.uint8, n)
            m_rank = np.fromiter((spoken_rank(p.languages.get(lang)) for p in mentors), np.uint8, m)
            np.maximum(best, np.minimum(e_rank[:, None], m_rank[None, :]), out=best)
        self.best = best
        self.language_ok = best >= WORKING_LEVEL_RANK

    def fraction(self, name: str) -> np.ndarray:
        """A new float64 (n, m) array of criterion ``name``'s fractions 0..1."""
        return getattr(self, f"_{name}")()

    def _languages(self) -> np.ndarray:
        import numpy as np

        def spoken(p: MenteeProfile | MentorProfile) -> list[str]:
            return [k for k, v in p.languages.items() if spoken_rank(v) >= WORKING_LEVEL_RANK]

        shared = _shared_counts(
            [spoken(p) for p in self.mentees], [spoken(p) for p in self.mentors]
        )
        index = self.best * np.uint8(2)
        index += shared >= 2
        return np.array(_language_table())[index]

    def _sector(self) -> np.ndarray:
        import numpy as np

        sectors = [p.sectors for p in self.mentors]
        targets = [[e.target_sector] if e.target_sector else [] for e in self.mentees]
        _, hot, vocab = _onehot(targets, sectors)
        target = np.fromiter(
            (vocab[e.target_sector] if e.target_sector else 0 for e in self.mentees),
            np.intp,
            len(self.mentees),
        )
        out = np.ascontiguousarray(hot.T)[target].astype(np.float64)
        _unknown_rows_and_columns(out, _sizes(targets) == 0, _sizes(sectors) == 0)
        return out

    def _help_questions(self) -> np.ndarray:
        import numpy as np

        asked = [e.help_questions for e in self.mentees]
        expertise = [p.expertise for p in self.mentors]
        asked_sizes = _sizes(asked)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.true_divide(_shared_counts(asked, expertise), asked_sizes[:, None])
        _unknown_rows_and_columns(out, asked_sizes == 0, _sizes(expertise) == 0)
        return out

    def _overlap(self, name: str) -> np.ndarray:
        import numpy as np

        left = [getattr(e, name) for e in self.mentees]
        right = [getattr(p, name) for p in self.mentors]
        left_sizes, right_sizes = _sizes(left), _sizes(right)
        smaller = np.minimum(left_sizes[:, None], right_sizes[None, :])
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.true_divide(_shared_counts(left, right), smaller)
        _unknown_rows_and_columns(out, left_sizes == 0, right_sizes == 0)
        return out

    def _availability(self) -> np.ndarray:
        return self._overlap("availability")

    def _interests(self) -> np.ndarray:
        return self._overlap("interests")

    def _personality(self) -> np.ndarray:
        return self._overlap("personality")

    def _digital_skills(self) -> np.ndarray:
        import numpy as np

        levels = range(DIGITAL_SKILL_MAX + 1)
        table = np.array([[min(1.0, m / max(e, DIGITAL_NEED)) for m in levels] for e in levels])
        e_level = np.fromiter((e.digital_skills for e in self.mentees), np.intp, len(self.mentees))
        m_level = np.fromiter((p.digital_skills for p in self.mentors), np.intp, len(self.mentors))
        return table[e_level][:, m_level]

    def _distance(self) -> np.ndarray:
        import numpy as np

        n, m = len(self.mentees), len(self.mentors)
        # Codes of (country, prefix) pairs: equal codes mean same country and same prefix,
        # and a longer equal prefix implies the shorter ones, so the number of equal codes
        # is the proximity level (0 far or another country, 3 the same postcode).
        level = np.zeros((n, m), dtype=np.uint8)
        equal = np.empty((n, m), dtype=bool)
        unknown = (np.zeros(n, dtype=bool), np.zeros(m, dtype=bool))
        for length in (None, 3, 2):
            vocab: dict = {}
            e_code = _postcode_codes(self.mentees, length, -1, vocab)
            m_code = _postcode_codes(self.mentors, length, -2, vocab)
            np.equal(e_code[:, None], m_code[None, :], out=equal)
            level += equal
            if length is None:
                unknown = (e_code < 0, m_code < 0)
        out = np.array([0.0, PROXIMITY_2, PROXIMITY_3, PROXIMITY_SAME])[level]
        _unknown_rows_and_columns(out, *unknown)
        return out


def score_matrix(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    weights: Mapping[str, float],
    *,
    working_languages: Iterable[str],
    exclusions: Iterable[Pair] = frozenset(),
    declined: Iterable[Pair] = frozenset(),
) -> ScoreMatrix:
    """Score every mentee-mentor pair of the pool at once (rows and columns in input order)."""
    import numpy as np

    mentees, mentors = list(mentees), list(mentors)
    w = normalise_weights(weights)
    working = normalise_working_languages(working_languages)
    rows, cols = (
        _index([e.id for e in mentees], "mentee"),
        _index([m.id for m in mentors], "mentor"),
    )
    n, m = len(mentees), len(mentors)
    pool = _PoolFractions(mentees, mentors, working)
    enabled = tuple(name for name in CRITERIA if w[name] != 0)

    # total = sum of w * fraction in CRITERIA order, as score_pair adds them.
    total = np.zeros((n, m))
    for name in enabled:
        points = pool.fraction(name)
        points *= w[name]
        total += points
        del points

    def criterion_points(name: str) -> np.ndarray:
        points = pool.fraction(name)
        points *= w[name]
        return points

    mentee_eligible = np.fromiter((e.eligible for e in mentees), bool, n)
    mentor_eligible = np.fromiter((p.eligible for p in mentors), bool, m)
    mentor_trained = np.fromiter((p.trained for p in mentors), bool, m)
    mentor_free = np.fromiter((p.free for p in mentors), bool, m)
    declined_mask = _pair_mask(declined, rows, cols)
    excluded_mask = _pair_mask(exclusions, rows, cols)
    feasible = pool.language_ok & mentee_eligible[:, None]
    feasible &= (mentor_eligible & mentor_trained & mentor_free)[None, :]
    feasible &= ~declined_mask
    feasible &= ~excluded_mask
    return ScoreMatrix(
        mentee_ids=tuple(e.id for e in mentees),
        mentor_ids=tuple(p.id for p in mentors),
        weights=MappingProxyType(w),
        working_languages=working,
        total=total,
        criteria=_CriterionPoints(enabled, criterion_points),
        feasible=feasible,
        mentee_eligible=mentee_eligible,
        mentor_eligible=mentor_eligible,
        mentor_trained=mentor_trained,
        mentor_free=mentor_free,
        language_ok=pool.language_ok,
        declined=declined_mask,
        excluded=excluded_mask,
        mentee_index=MappingProxyType(rows),
        mentor_index=MappingProxyType(cols),
    )
