"""The words a tenant config file may use: locales, audiences, rule kinds, levels, weights.

Kept apart from the validators and schemas so that code reading a merged config (the
eligibility engine, matching) can name the same terms without loading marshmallow schemas.
"""

from __future__ import annotations

# The programme's shared words come from the core vocabulary, under the names a config
# file's sections use.
from duo.core.vocab.audiences import MENTEE, MENTOR
from duo.core.vocab.audiences import MODULE_AUDIENCES as AUDIENCES
from duo.core.vocab.criteria import CRITERIA
from duo.core.vocab.levels import CEFR_LEVELS, normalise_level
from duo.core.vocab.locales import LOCALES as SUPPORTED_LOCALES

__all__ = [
    "AUDIENCES",
    "CEFR_LEVELS",
    "ELIGIBILITY_AUDIENCES",
    "MAX_AGE_BOUND",
    "RESERVED_SLUGS",
    "RULE_KINDS",
    "RULE_KIND_PARAMS",
    "SUPPORTED_LOCALES",
    "WEIGHT_KEYS",
    "normalise_level",
]

#: The two eligibility audiences (a country's rules exist for both), mentee first.
ELIGIBILITY_AUDIENCES: tuple[str, ...] = (MENTEE, MENTOR)

#: Matching criteria that carry a weight (points at a perfect fit; 0 disables one).
WEIGHT_KEYS: tuple[str, ...] = CRITERIA

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
