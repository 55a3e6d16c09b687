"""The words a tenant config file may use: locales, audiences, rule kinds, levels, weights.

Kept apart from the validators and schemas so that code reading a merged config (the
eligibility engine, matching) can name the same terms without loading marshmallow schemas.
"""

from __future__ import annotations

from typing import Any

#: The interface languages the platform is translated into; a branch's locales are a subset.
SUPPORTED_LOCALES: tuple[str, ...] = ("en", "fr", "nl")

#: Who a training module or recurring workshop is for.
AUDIENCES: tuple[str, ...] = ("mentors", "mentees", "duos")

#: The two eligibility audiences (a country's rules exist for both).
ELIGIBILITY_AUDIENCES: tuple[str, ...] = ("mentee", "mentor")

#: Matching criteria that carry a weight (points at a perfect fit; 0 disables one).
WEIGHT_KEYS: tuple[str, ...] = (
    "sector",
    "help_questions",
    "languages",
    "availability",
    "interests",
    "digital_skills",
    "personality",
    "distance",
)

#: CEFR levels, lowest first; "native" ranks above C2.
CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2", "native")

#: Parameters each rule kind takes besides ``id``, ``kind`` and ``enabled``.
RULE_KIND_PARAMS: dict[str, frozenset[str]] = {
    "age_range": frozenset({"fact", "min", "max"}),
    "required_fact": frozenset({"fact"}),
    "one_of": frozenset({"fact", "values"}),
    "any_language_of": frozenset({"fact", "languages", "min_level"}),
    "min_value": frozenset({"fact", "min"}),
    "any_of": frozenset({"rules"}),
}
RULE_KINDS: tuple[str, ...] = tuple(RULE_KIND_PARAMS)

#: An age bound beyond this is a typo, not a policy.
MAX_AGE_BOUND = 130

#: First path segments the platform itself uses: a branch cannot be called like them.
RESERVED_SLUGS = frozenset(
    {"hq", "api", "static", "login", "logout", "branches", "language", "healthz", "admin", "dev"}
)


def normalize_level(value: Any) -> str | None:
    """The canonical CEFR level for ``value`` ("b2" -> "B2"), or None (as the engine reads it)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower() == "native":
        return "native"
    return text.upper() if text.upper() in CEFR_LEVELS else None
