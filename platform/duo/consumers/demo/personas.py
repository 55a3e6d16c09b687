"""What a demo person and a demo branch are, as plain values (no database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Persona:
    """One demo person: who they are, what the intake will record, their part in the story."""

    number: int  # 0-based position in the branch's cast
    part: str
    rank: int  # how many of this part came before (spreads their dates)
    role: str
    first_name: str
    last_name: str
    email: str
    phone: str
    locale: str
    birth_date: date
    heard_from: str
    answers: dict[str, Any] = field(default_factory=dict)
    #: Consent to record migration background and residence status (mentees).
    consent: bool = True

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Branch:
    """What the cast needs to know of a branch (plain values, so tests need no database)."""

    slug: str
    country: str
    locales: tuple[str, ...]
    working_languages: tuple[str, ...]
    #: The branch accepts "other barriers" instead of a migration background (some French
    #: branches): one pool mentee then shows it.
    accepts_other_barriers: bool = False
    duration_months: int = 6

    @classmethod
    def of(cls, tenant: Any) -> Branch:
        config = tenant.config or {}
        mentee_rules = (config.get("eligibility") or {}).get("mentee") or []
        other_barriers = any(
            rule.get("kind") == "any_of"
            and any(sub.get("fact") == "other_barriers" for sub in rule.get("rules") or [])
            for rule in mentee_rules
            if rule.get("enabled", True)
        )
        return cls(
            slug=tenant.slug,
            country=tenant.country,
            locales=tuple(tenant.locales),
            working_languages=tuple(config.get("working_languages") or tenant.locales),
            accepts_other_barriers=other_barriers,
            duration_months=int((config.get("programme") or {}).get("duration_months", 6)),
        )

    @property
    def language(self) -> str:
        """The branch's first language: tags, notes and occupations are written in it."""
        return self.locales[0]
