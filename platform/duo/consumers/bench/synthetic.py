"""Seeded synthetic matching pools, shaped like a busy Belgian branch.

Benchmarks need data that looks like the real thing without being anyone's personal data:
mentees with a home language besides the working ones, mentors who mostly speak French or
Dutch natively, postcodes around Brussels, a few untrained or busy mentors, a few declined
pairs. The same seed always gives the same pool.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from duo.core.vocab.levels import CEFR_LEVELS
from duo.matching.profiles import MenteeProfile, MentorProfile

SECTORS = (
    "administration",
    "logistics",
    "construction",
    "it",
    "healthcare",
    "education",
    "hospitality",
    "retail",
    "finance",
    "engineering",
    "manufacturing",
    "marketing",
    "legal",
    "social_work",
    "culture",
    "transport",
    "agriculture",
    "public_sector",
    "other",
)
HELP_QUESTIONS = (
    "cv",
    "cover_letter",
    "interview",
    "network",
    "orientation",
    "language",
    "digital",
    "job_search",
    "self_confidence",
    "entrepreneurship",
)
SLOTS = tuple(
    f"{day}-{part}"
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for part in ("morning", "afternoon", "evening")
)
INTERESTS = (
    "football",
    "cooking",
    "music",
    "reading",
    "hiking",
    "cinema",
    "photography",
    "gardening",
    "chess",
    "travel",
    "painting",
    "cycling",
    "theatre",
    "history",
    "volunteering",
    "dance",
    "technology",
    "fashion",
    "basketball",
    "yoga",
    "writing",
    "languages",
    "board-games",
    "running",
)
PERSONALITY = (
    "calm",
    "structured",
    "outgoing",
    "patient",
    "direct",
    "creative",
    "shy",
    "humorous",
    "pragmatic",
    "empathetic",
)
HOME_LANGUAGES = ("ar", "tr", "es", "ro", "ps", "so", "ti", "ln", "ru", "pt", "fa", "uk")
POSTCODES = tuple(
    str(code)
    for code in (
        *range(1000, 1220, 10),
        1300,
        1340,
        1348,
        1400,
        1410,
        1420,
        1500,
        1600,
        1700,
        1800,
        1830,
        1930,
        2000,
        2018,
        2060,
        9000,
    )
)
WORKING_LANGUAGES = ("fr", "nl", "en")
WEIGHTS = {
    "sector": 30,
    "help_questions": 15,
    "languages": 15,
    "availability": 15,
    "interests": 10,
    "digital_skills": 5,
    "personality": 5,
    "distance": 5,
}
TODAY = date(2026, 3, 2)


@dataclass(frozen=True)
class Pool:
    """A synthetic pool and the settings a matching session would run it with."""

    mentees: tuple[MenteeProfile, ...]
    mentors: tuple[MentorProfile, ...]
    declined: frozenset[tuple[str, str]]
    weights: dict[str, float]
    working_languages: tuple[str, ...]
    today: date


def _some(rng: random.Random, items: tuple[str, ...], low: int, high: int) -> frozenset[str]:
    return frozenset(rng.sample(items, rng.randint(low, high)))


def _postcode(rng: random.Random) -> str | None:
    return None if rng.random() < 0.1 else rng.choice(POSTCODES)


def make_pool(n_mentees: int, n_mentors: int, seed: int = 2026) -> Pool:
    """A reproducible pool of ``n_mentees`` mentees and ``n_mentors`` mentors."""
    rng = random.Random(seed)
    levels = CEFR_LEVELS[1:]  # A2 .. native
    mentees = []
    for k in range(n_mentees):
        languages = {rng.choice(HOME_LANGUAGES): "native"}
        for lang in rng.sample(WORKING_LANGUAGES, rng.randint(1, 2)):
            languages[lang] = rng.choice(levels)
        mentees.append(
            MenteeProfile(
                id=f"mentee-{k:05d}",
                target_sector=None if rng.random() < 0.15 else rng.choice(SECTORS),
                help_questions=_some(rng, HELP_QUESTIONS, 1, 4),
                languages=languages,
                availability=_some(rng, SLOTS, 2, 8),
                interests=_some(rng, INTERESTS, 0, 4),
                digital_skills=rng.randint(0, 3),
                personality=_some(rng, PERSONALITY, 0, 3),
                postcode=_postcode(rng),
                country="be",
                waiting_since=TODAY - timedelta(days=rng.randint(0, 300)),
                eligible=rng.random() < 0.95,
            )
        )
    mentors = []
    for k in range(n_mentors):
        native = rng.choice(("fr", "nl"))
        languages = {native: "native"}
        for lang in rng.sample([w for w in WORKING_LANGUAGES if w != native], rng.randint(0, 2)):
            languages[lang] = rng.choice(CEFR_LEVELS[2:6])
        if rng.random() < 0.1:
            languages[rng.choice(HOME_LANGUAGES)] = rng.choice(CEFR_LEVELS[1:])
        mentors.append(
            MentorProfile(
                id=f"mentor-{k:05d}",
                sectors=_some(rng, SECTORS, 1, 3),
                years_experience=rng.randint(5, 40),
                expertise=_some(rng, HELP_QUESTIONS, 2, 6),
                languages=languages,
                availability=_some(rng, SLOTS, 2, 10),
                interests=_some(rng, INTERESTS, 0, 5),
                digital_skills=rng.randint(0, 3),
                personality=_some(rng, PERSONALITY, 0, 3),
                postcode=_postcode(rng),
                country="be",
                trained=rng.random() < 0.85,
                free=rng.random() < 0.9,
                eligible=rng.random() < 0.95,
            )
        )
    declined = frozenset(
        (rng.choice(mentees).id, rng.choice(mentors).id)
        for _ in range(n_mentees // 20)
        if mentees and mentors
    )
    return Pool(
        mentees=tuple(mentees),
        mentors=tuple(mentors),
        declined=declined,
        weights=dict(WEIGHTS),
        working_languages=WORKING_LANGUAGES,
        today=TODAY,
    )
