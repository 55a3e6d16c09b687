"""The shared vocabulary (``duo.core.vocab``): one meaning of a language level everywhere.

Eligibility used to rank A1 as 0 and matching as 1. The right rank is 1: matching needs 0
for "does not speak the language", and eligibility thresholds only compare ranks with
each other, so "at least B1" keeps its meaning with ranks that start at 1.
"""

from __future__ import annotations

import pytest

from duo.core.vocab import audiences, levels, locales
from duo.eligibility.engine import Outcome, evaluate
from duo.matching import scoring
from duo.matching.profiles import WORKING_LEVEL_RANK
from support import today

TODAY = today()  # a parameter of the engine: any day will do


def language_rule(min_level: str | None) -> list[dict[str, object]]:
    rule: dict[str, object] = {"id": "l", "kind": "any_language_of", "fact": "languages"}
    rule["languages"] = ["fr"]
    if min_level is not None:
        rule["min_level"] = min_level
    return [rule]


def test_a1_ranks_one_and_not_spoken_ranks_zero() -> None:
    assert levels.level_rank("A1") == 1
    assert levels.level_rank("a1") == 1
    assert levels.level_rank("native") == levels.MAX_LEVEL_RANK == 7
    assert levels.spoken_rank(None) == levels.NOT_SPOKEN == 0
    assert levels.spoken_rank("A1") > levels.spoken_rank(None)
    assert levels.level_rank("fluent") is None
    assert [levels.level_rank(level) for level in levels.CEFR_LEVELS] == list(range(1, 8))


def test_eligibility_and_matching_rank_alike() -> None:
    """Both capabilities read the one table: B1 is the same number on both sides."""
    assert scoring.spoken_rank is levels.spoken_rank
    assert WORKING_LEVEL_RANK == levels.level_rank("B1") == 3


@pytest.mark.parametrize(
    ("spoken", "min_level", "outcome"),
    [
        ("A1", None, Outcome.ELIGIBLE),  # the default minimum is A1: a beginner passes
        ("A1", "A1", Outcome.ELIGIBLE),
        ("A2", "B1", Outcome.NOT_ELIGIBLE),
        ("B1", "B1", Outcome.ELIGIBLE),
        ("b2", "B1", Outcome.ELIGIBLE),
        ("C2", "native", Outcome.NOT_ELIGIBLE),
        ("Native", "C2", Outcome.ELIGIBLE),
    ],
)
def test_eligibility_thresholds_keep_their_meaning(
    spoken: str, min_level: str | None, outcome: Outcome
) -> None:
    result = evaluate(language_rule(min_level), {"languages": {"fr": spoken}}, TODAY).results[0]
    assert result.outcome == outcome
    if outcome == Outcome.ELIGIBLE:
        assert result.params["level"] == levels.normalise_level(spoken)


def test_parse_level_refuses_what_is_not_a_level() -> None:
    assert levels.parse_level(" c1 ") == "C1"
    with pytest.raises(ValueError, match="fluent"):
        levels.parse_level("fluent")


def test_locales_and_audiences_are_the_platforms() -> None:
    assert locales.LOCALES == ("en", "fr", "nl")
    assert audiences.ROLES == ("mentor", "mentee")
    assert audiences.group_of(audiences.MENTOR) == audiences.MENTORS
    assert audiences.group_of(audiences.MENTEE) == audiences.MENTEES
    assert set(audiences.SESSION_AUDIENCES) & set(audiences.MODULE_AUDIENCES) == {
        audiences.MENTORS,
        audiences.MENTEES,
    }
