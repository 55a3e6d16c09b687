"""The profile vocabulary shared by intake forms, eligibility, import and matching.

Keys are stable (they are stored in profiles and compared by matching); labels are lazily
translated and written for *forms* (standalone, capitalised: "Public sector"). Matching's
in-sentence labels ("worked 20 years in the public sector") live in
:mod:`duo.matching.explain` and use the same keys (a test checks they stay in step).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

# --------------------------------------------------------------------------- sectors

SECTOR_LABELS: Mapping[str, Any] = {
    "administration": _l("Administration"),
    "logistics": _l("Logistics"),
    "construction": _l("Construction"),
    "it": _l("IT"),
    "healthcare": _l("Healthcare"),
    "education": _l("Education"),
    "hospitality": _l("Hospitality"),
    "retail": _l("Retail"),
    "finance": _l("Finance"),
    "engineering": _l("Engineering"),
    "manufacturing": _l("Manufacturing"),
    "marketing": _l("Marketing"),
    "legal": _l("Legal services"),
    "social_work": _l("Social work"),
    "culture": _l("Culture"),
    "transport": _l("Transport"),
    "agriculture": _l("Agriculture"),
    "public_sector": _l("Public sector"),
    "other": _l("Other sector"),
}
SECTORS: tuple[str, ...] = tuple(SECTOR_LABELS)

# --------------------------------------------------------------------------- help questions

HELP_LABELS: Mapping[str, Any] = {
    "cv": _l("CV"),
    "cover_letter": _l("Cover letter"),
    "interview": _l("Job interviews"),
    "network": _l("Professional network"),
    "orientation": _l("Career orientation"),
    "language": _l("Language"),
    "digital": _l("Digital skills"),
    "job_search": _l("Job search"),
    "self_confidence": _l("Self-confidence"),
    "entrepreneurship": _l("Entrepreneurship"),
}
HELP_QUESTIONS: tuple[str, ...] = tuple(HELP_LABELS)

# --------------------------------------------------------------------------- availability

DAY_LABELS: Mapping[str, Any] = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
PART_LABELS: Mapping[str, Any] = {
    "morning": _l("Morning"),
    "afternoon": _l("Afternoon"),
    "evening": _l("Evening"),
}
DAYS: tuple[str, ...] = tuple(DAY_LABELS)
PARTS: tuple[str, ...] = tuple(PART_LABELS)
#: "<day>-<part>", e.g. "tue-evening", in week order.
SLOTS: tuple[str, ...] = tuple(f"{day}-{part}" for day in DAYS for part in PARTS)

# --------------------------------------------------------------------------- languages

#: Form labels of the CEFR levels (:data:`duo.core.vocab.levels.CEFR_LEVELS`).
LEVEL_LABELS: Mapping[str, Any] = {
    "A1": _l("A1 (beginner)"),
    "A2": _l("A2 (elementary)"),
    "B1": _l("B1 (intermediate)"),
    "B2": _l("B2 (upper intermediate)"),
    "C1": _l("C1 (advanced)"),
    "C2": _l("C2 (proficient)"),
    "native": _l("Native speaker"),
}

#: Languages offered in the intake form (ISO 639-1), the programme's working languages first
#: and then those most spoken by candidates. Names come from CLDR in the reader's language.
LANGUAGES: tuple[str, ...] = (
    "fr",
    "nl",
    "en",
    "de",
    "ar",
    "tr",
    "es",
    "it",
    "pt",
    "pl",
    "ro",
    "bg",
    "ru",
    "uk",
    "fa",
    "ps",
    "ur",
    "hi",
    "bn",
    "zh",
    "ti",
    "am",
    "so",
    "sw",
    "ln",
    "wo",
    "ku",
    "sq",
    "sr",
    "hr",
    "bs",
    "el",
    "hy",
    "ka",
    "vi",
    "ta",
)

# --------------------------------------------------------------------------- eligibility facts

#: Values of the sensitive fact ``migration_background`` (the rules' ``one_of`` values + none).
MIGRATION_BACKGROUND_LABELS: Mapping[str, Any] = {
    "non_eu_nationality": _l("Non-EU nationality"),
    "parent_born_outside_eu": _l("A parent born outside the EU"),
    "grandparent_born_outside_eu": _l("A grandparent born outside the EU"),
    "none": _l("None of these"),
}
MIGRATION_BACKGROUND: tuple[str, ...] = tuple(MIGRATION_BACKGROUND_LABELS)

#: Facts recorded only with the candidate's consent (``duo.privacy.consent.SENSITIVE_FACTS``).
SENSITIVE_FACTS: tuple[str, ...] = ("migration_background", "allowed_to_work")

#: Yes/no facts the rules may ask for, per audience (``None`` in a profile = not known).
MENTEE_FLAGS: tuple[str, ...] = (
    "seeking_job_study_or_internship",
    "allowed_to_work",
    "registered_jobseeker",
    "other_barriers",
)
MENTOR_FLAGS: tuple[str, ...] = ("volunteer", "available_six_months")

# --------------------------------------------------------------------------- other profile keys

EDUCATION_LABELS: Mapping[str, Any] = {
    "none": _l("No diploma"),
    "primary": _l("Primary school"),
    "lower_secondary": _l("Lower secondary school"),
    "upper_secondary": _l("Upper secondary school"),
    "vocational": _l("Vocational training"),
    "bachelor": _l("Bachelor's degree or equivalent"),
    "master": _l("Master's degree or higher"),
}
EDUCATION_LEVELS: tuple[str, ...] = tuple(EDUCATION_LABELS)

WORKING_STATUS_LABELS: Mapping[str, Any] = {
    "working": _l("Working"),
    "retired": _l("Retired"),
}
WORKING_STATUSES: tuple[str, ...] = tuple(WORKING_STATUS_LABELS)

DIGITAL_SKILL_LABELS: Mapping[int, Any] = {
    0: _l("None"),
    1: _l("Basic (e-mail, smartphone)"),
    2: _l("Comfortable (office software, online forms)"),
    3: _l("Advanced"),
}
DIGITAL_SKILL_MAX = 3

# --------------------------------------------------------------------------- helpers

_TAG_SPLIT = re.compile(r"[,;\n]+")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
MAX_TAG_LENGTH = 40
MAX_TAGS = 20


def parse_tags(text: str | Iterable[str] | None) -> list[str]:
    """Free tags ("Cooking, football; music") as lower-case, unique, in the order given."""
    if text is None:
        return []
    parts = _TAG_SPLIT.split(text) if isinstance(text, str) else list(text)
    tags: list[str] = []
    for part in parts:
        tag = " ".join(str(part).split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def is_language_code(code: object) -> bool:
    return isinstance(code, str) and bool(_LANGUAGE_CODE.match(code))


def label(labels: Mapping[Any, Any], key: Any) -> str:
    """The translated label of ``key``, or the key itself for a value we no longer know."""
    found = labels.get(key)
    return str(found) if found is not None else str(key)
