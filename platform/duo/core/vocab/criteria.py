"""The matching criteria: what a branch weighs (its config's ``matching.weights``) and what
matching scores, sums and shows, in that order."""

from __future__ import annotations

CRITERIA: tuple[str, ...] = (
    "sector",
    "help_questions",
    "languages",
    "availability",
    "interests",
    "digital_skills",
    "personality",
    "distance",
)
