"""The profiles a matching session works on: what intake captured about each person.

These are plain frozen values, built by whoever reads the database (the lead's models) or by
tests and benchmarks. They hold *facts*, never derived scores, so that the same profile can be
scored against any branch's weights. Constructors normalise the input (sets become frozensets,
language codes lower-case, CEFR levels canonical, postcodes stripped) so that scoring can trust
what it gets and two profiles built from differently spelled input score the same.

Vocabulary (see the shared spec): languages are ISO 639-1 codes mapped to a CEFR level
(A1 A2 B1 B2 C1 C2, or "native", ranked above C2); availability slots are "<day>-<part>"
(e.g. "tue-evening"); sectors and help questions use fixed keys; interests and personality
notes are free lower-case tags; digital skills run from 0 (none) to 3 (advanced).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from duo.core.vocab.levels import CEFR_RANK, parse_level

#: The rank a working language needs on both sides (B1) for a duo to be possible.
WORKING_LEVEL_RANK = CEFR_RANK["B1"]

DIGITAL_SKILL_MAX = 3

_POSTCODE_JUNK = re.compile(r"[\s\-.]")


def normalise_postcode(postcode: str | None) -> str | None:
    """Postcode without spaces, dashes or dots, upper-case; ``None`` when empty.

    Dutch postcodes ("3011 AB") and French or Belgian ones ("75011", "1000") then compare by
    leading characters, which is all the proximity proxy needs.
    """
    if postcode is None:
        return None
    text = _POSTCODE_JUNK.sub("", str(postcode)).upper()
    return text or None


def _tags(values: Iterable[str]) -> frozenset[str]:
    # Each value is stripped once (a non-empty tag stays non-empty in lower case): a pool's
    # profiles normalise some fifteen thousand tags per page.
    return frozenset(tag for tag in (str(v).strip().lower() for v in values) if tag)


def _keys(values: Iterable[str]) -> frozenset[str]:
    return frozenset(key for key in (str(v).strip() for v in values) if key)


def _languages(values: Mapping[str, str]) -> Mapping[str, str]:
    out: dict[str, str] = {}
    for code, level in dict(values).items():
        key = str(code).strip().lower()
        lvl = parse_level(level)
        # Keep the better level if the same language was given twice ("FR" and "fr").
        if key not in out or CEFR_RANK[lvl] > CEFR_RANK[out[key]]:
            out[key] = lvl
    return MappingProxyType(dict(sorted(out.items())))


def _digital(value: int) -> int:
    number = int(value)
    if not 0 <= number <= DIGITAL_SKILL_MAX:
        raise ValueError(f"digital_skills must be 0..{DIGITAL_SKILL_MAX}, got {value!r}")
    return number


@dataclass(frozen=True, kw_only=True, eq=True)
class _Profile:
    """What intake captured about either side, normalised once at construction (frozen
    dataclasses need ``object.__setattr__``)."""

    id: Hashable
    languages: Mapping[str, str] = field(default_factory=dict)
    availability: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    digital_skills: int = 0
    personality: frozenset[str] = frozenset()
    postcode: str | None = None
    country: str
    eligible: bool

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def _normalise_common(self) -> None:
        self._set("languages", _languages(self.languages))
        self._set("availability", _tags(self.availability))
        self._set("interests", _tags(self.interests))
        self._set("personality", _tags(self.personality))
        self._set("digital_skills", _digital(self.digital_skills))
        self._set("postcode", normalise_postcode(self.postcode))
        self._set("country", str(self.country or "").strip().lower())
        self._set("eligible", bool(self.eligible))

    def __hash__(self) -> int:
        # Profiles are identified by their id; the language mapping is not hashable itself.
        return hash((type(self).__name__, self.id))


@dataclass(frozen=True, kw_only=True, eq=True)
class MentorProfile(_Profile):
    """A mentor as the matching session sees them.

    ``trained`` (required training modules attended), ``free`` (not in a running duo: one
    mentee at a time) and ``eligible`` (the eligibility decision) are hard constraints.
    """

    sectors: frozenset[str] = frozenset()
    years_experience: int = 0
    expertise: frozenset[str] = frozenset()
    trained: bool
    free: bool

    def __post_init__(self) -> None:
        self._normalise_common()
        self._set("sectors", _keys(self.sectors))
        self._set("expertise", _keys(self.expertise))
        self._set("years_experience", max(0, int(self.years_experience)))
        self._set("trained", bool(self.trained))
        self._set("free", bool(self.free))

    __hash__ = _Profile.__hash__


@dataclass(frozen=True, kw_only=True, eq=True)
class MenteeProfile(_Profile):
    """A mentee as the matching session sees them.

    ``target_sector`` is the sector the mentee aims at (their ambition), ``None`` while they
    have not chosen yet. ``waiting_since`` is the day they entered the pool (usually the
    eligibility decision); the solver turns it into a fairness bonus.
    """

    target_sector: str | None = None
    help_questions: frozenset[str] = frozenset()
    waiting_since: date

    def __post_init__(self) -> None:
        self._normalise_common()
        target = (self.target_sector or "").strip() or None
        self._set("target_sector", target)
        self._set("help_questions", _keys(self.help_questions))

    __hash__ = _Profile.__hash__
