"""The configuration a branch runs on (:class:`BranchConfig`) and its digest.

The digest is the SHA-256 of the canonical JSON of :meth:`BranchConfig.as_dict` (sorted
keys, no whitespace, UTF-8): equal content gives an equal digest, wherever the file lives
and however it is laid out.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duo.core.tenancy.config.vocabulary import ELIGIBILITY_AUDIENCES


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON-able: {value!r}")


def name_in(names: Mapping[str, str], locale: str | None, default_locale: str) -> str:
    """A branch's name in ``locale``, else in its default locale, else in any it has."""
    if locale and locale in names:
        return names[locale]
    return names.get(default_locale) or next(iter(names.values()))


@dataclass(frozen=True)
class BranchConfig:
    """A branch's configuration after merging with its country; what the platform runs on.

    ``eligibility`` maps ``mentee`` / ``mentor`` to their enabled rules, in order;
    ``training`` holds ``modules`` (initial mentor training) and ``recurring`` (workshops
    during the accompaniment), enabled only, each with an explicit ``required``.
    """

    slug: str
    country: str
    name: dict[str, str]
    locales: tuple[str, ...]
    timezone: str
    contact_email: str
    holidays_country: str
    holidays_subdivision: str | None
    closed_days: tuple[dt.date, ...]
    working_languages: tuple[str, ...]
    programme: dict[str, Any]
    eligibility: dict[str, list[dict[str, Any]]]
    training: dict[str, list[dict[str, Any]]]
    matching: dict[str, Any]
    #: Country lists a branch may narrow (``employment_services``: proper names).
    choices: dict[str, Any] = field(default_factory=dict)
    #: Steps 5-7 (links, first meeting, agreement and charter texts, check-in topics...).
    duos: dict[str, Any] = field(default_factory=dict)
    #: Step 8 (survey questions, outcome follow-up).
    evaluation: dict[str, Any] = field(default_factory=dict)
    #: Personal data: consent purposes and their text versions, retention periods.
    privacy: dict[str, Any] = field(default_factory=dict)
    #: The country's variants of the indicator definitions (stable job, threshold...).
    reporting: dict[str, Any] = field(default_factory=dict)
    source: Path = field(default=Path(), compare=False)
    digest: str = ""

    def __post_init__(self) -> None:
        if not self.digest:
            canonical = json.dumps(
                self.as_dict(),
                sort_keys=True,
                separators=(",", ":"),
                ensure_ascii=False,
                default=_json_default,
            )
            object.__setattr__(self, "digest", hashlib.sha256(canonical.encode()).hexdigest())

    def __hash__(self) -> int:
        return hash((self.slug, self.digest))

    @property
    def default_locale(self) -> str:
        return self.locales[0]

    def display_name(self, locale: str | None = None) -> str:
        """The branch's name in ``locale``, else in its default locale."""
        return name_in(self.name, locale, self.default_locale)

    def as_dict(self) -> dict[str, Any]:
        """The merged config as JSON-able data (dates as ISO strings); what the digest covers."""
        return {
            "slug": self.slug,
            "country": self.country,
            "name": copy.deepcopy(self.name),
            "locales": list(self.locales),
            "timezone": self.timezone,
            "contact_email": self.contact_email,
            "holidays": {
                "country": self.holidays_country,
                "subdivision": self.holidays_subdivision,
            },
            "closed_days": [day.isoformat() for day in self.closed_days],
            "working_languages": list(self.working_languages),
            "programme": copy.deepcopy(self.programme),
            "eligibility": copy.deepcopy(self.eligibility),
            "training": copy.deepcopy(self.training),
            "matching": copy.deepcopy(self.matching),
            "choices": copy.deepcopy(self.choices),
            "duos": copy.deepcopy(self.duos),
            "evaluation": copy.deepcopy(self.evaluation),
            "privacy": copy.deepcopy(self.privacy),
            "reporting": copy.deepcopy(self.reporting),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: Path | None = None) -> BranchConfig:
        """Rebuild from :meth:`as_dict` output (e.g. the copy stored in the database)."""
        return cls(
            slug=data["slug"],
            country=data["country"],
            name=dict(data["name"]),
            locales=tuple(data["locales"]),
            timezone=data["timezone"],
            contact_email=data["contact_email"],
            holidays_country=data["holidays"]["country"],
            holidays_subdivision=data["holidays"].get("subdivision"),
            closed_days=tuple(dt.date.fromisoformat(day) for day in data["closed_days"]),
            working_languages=tuple(data["working_languages"]),
            programme=copy.deepcopy(dict(data["programme"])),
            eligibility=copy.deepcopy(dict(data["eligibility"])),
            training=copy.deepcopy(dict(data["training"])),
            matching=copy.deepcopy(dict(data["matching"])),
            choices=copy.deepcopy(dict(data.get("choices") or {})),
            duos=copy.deepcopy(dict(data.get("duos", {}))),
            evaluation=copy.deepcopy(dict(data.get("evaluation", {}))),
            privacy=copy.deepcopy(dict(data.get("privacy", {}))),
            reporting=copy.deepcopy(dict(data.get("reporting") or {})),
            source=source or Path(),
        )


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _enabled(items: Iterable[dict], **defaults: Any) -> list[dict]:
    return [
        {**defaults, **{key: value for key, value in item.items() if key != "enabled"}}
        for item in items
        if item.get("enabled", True) is not False
    ]


def build_config(merged: dict, source: Path) -> BranchConfig:
    training = merged["training"]
    return BranchConfig(
        slug=merged["slug"],
        country=merged["country"],
        name=merged["name"],
        locales=tuple(merged["locales"]),
        timezone=merged["timezone"],
        contact_email=merged["contact_email"],
        holidays_country=merged["holidays"]["country"],
        holidays_subdivision=merged["holidays"].get("subdivision"),
        closed_days=tuple(sorted({_as_date(day) for day in merged["closed_days"]})),
        working_languages=tuple(merged["working_languages"]),
        programme=merged["programme"],
        eligibility={
            audience: _enabled(merged["eligibility"][audience]["rules"])
            for audience in ELIGIBILITY_AUDIENCES
        },
        training={
            "modules": _enabled(training.get("modules", []), required=True),
            "recurring": _enabled(training.get("recurring", []), required=False),
        },
        matching=merged["matching"],
        choices=merged["choices"],
        duos=merged["duos"],
        evaluation=merged["evaluation"],
        privacy=merged["privacy"],
        reporting=merged.get("reporting") or {},
        source=source,
    )
