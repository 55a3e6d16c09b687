"""CEFR language levels: their order, their spelling and their rank.

Ranks start at 1 for A1 and end at 7 for "native" (ranked above C2); :data:`NOT_SPOKEN`
(0) is the rank of a language a person does not speak at all. Zero is kept for "not spoken"
so that matching can take the lower of two people's levels of a language without mistaking
a beginner for someone who does not speak it. Eligibility thresholds only compare ranks
with each other ("at least B1"), so they mean the same whatever the first rank is.

Levels are read case-insensitively ("b1" is "B1", "Native" is "native") because people and
TOML files write them both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

#: CEFR levels from lowest to highest; "native" ranks above C2.
CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2", "native")

#: The rank of a language that is not spoken at all (below A1).
NOT_SPOKEN = 0

#: level -> rank, 1 (A1) .. 7 (native).
CEFR_RANK: Mapping[str, int] = MappingProxyType(
    {level: rank for rank, level in enumerate(CEFR_LEVELS, start=1)}
)

#: The rank of the highest level.
MAX_LEVEL_RANK = CEFR_RANK["native"]


def normalise_level(value: Any) -> str | None:
    """The canonical spelling of a CEFR level ("b2" -> "B2"), or None if it is not one."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower() == "native":
        return "native"
    text = text.upper()
    return text if text in CEFR_RANK else None


def parse_level(value: Any) -> str:
    """Like :func:`normalise_level`, but a value that is not a level is a ``ValueError``."""
    level = normalise_level(value)
    if level is None:
        raise ValueError(f"unknown CEFR level {value!r}; expected one of {', '.join(CEFR_LEVELS)}")
    return level


def level_rank(value: Any) -> int | None:
    """Rank of a CEFR level (A1 = 1 ... native = 7), or None for anything that is not one."""
    level = normalise_level(value)
    return None if level is None else CEFR_RANK[level]


def spoken_rank(value: Any) -> int:
    """Rank of a level, :data:`NOT_SPOKEN` (0) when there is none (the language is not spoken).

    Matching scores thousands of pairs with this, so a canonical spelling is looked up first.
    """
    if value is None:
        return NOT_SPOKEN
    if isinstance(value, str) and value in CEFR_RANK:
        return CEFR_RANK[value]
    rank = level_rank(value)
    return NOT_SPOKEN if rank is None else rank
