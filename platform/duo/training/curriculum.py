"""A branch's curriculum, read from its config, in the reader's language.

``tenant.config["training"]`` holds ``modules`` (the initial mentor training, in order)
and ``recurring`` (workshops alongside the accompaniment: intervision for mentors,
job-application training for mentees). Each item has a ``key``, a ``title`` and a
``description`` per locale, ``duration_minutes``, an ``audience`` (mentors | mentees |
duos) and ``required``.

Only **modules** marked ``required`` count towards being trained; a recurring workshop
never does, even if its config says ``required`` (intervision accompanies a duo, it does
not gate the matching). A module for ``duos`` is required of both mentors and mentees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from duo.core.vocab.audiences import DUOS, MENTEE, MENTEES, MENTOR, MENTORS

AUDIENCE_LABELS = {
    MENTORS: _l("Mentors"),
    MENTEES: _l("Mentees"),
    DUOS: _l("Mentors and mentees"),
}

#: Which module audiences concern a person of each role.
_AUDIENCES_OF_ROLE = {MENTOR: (MENTORS, DUOS), MENTEE: (MENTEES, DUOS)}


def localized(texts: Mapping[str, str] | str | None, locale: str, fallbacks: tuple = ()) -> str:
    """The text in ``locale``, else the first fallback that exists, else any."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    for code in (locale, *fallbacks, "en"):
        if code and texts.get(code):
            return texts[code]
    return next(iter(texts.values()))


@dataclass(frozen=True)
class Item:
    """One module or recurring workshop of the curriculum."""

    key: str
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    duration_minutes: int
    audience: str
    required: bool
    recurring: bool
    every_weeks: int | None = None

    def title(self, locale: str, fallbacks: tuple = ()) -> str:
        return localized(self.titles, locale, fallbacks)

    def description(self, locale: str, fallbacks: tuple = ()) -> str:
        return localized(self.descriptions, locale, fallbacks)

    def concerns(self, role: str) -> bool:
        return self.audience in _AUDIENCES_OF_ROLE.get(role, ())

    @property
    def counts_for_training(self) -> bool:
        return self.required and not self.recurring


def _item(data: Mapping[str, Any], recurring: bool) -> Item:
    return Item(
        key=str(data["key"]),
        titles=dict(data.get("title") or {}),
        descriptions=dict(data.get("description") or {}),
        duration_minutes=int(data.get("duration_minutes") or 0),
        audience=str(data.get("audience") or MENTORS),
        required=bool(data.get("required", not recurring)),
        recurring=recurring,
        every_weeks=data.get("every_weeks"),
    )


def _training(config: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return (config or {}).get("training") or {}


def modules(config: Mapping[str, Any] | None) -> list[Item]:
    """The initial training's modules, in curriculum order."""
    return [_item(m, False) for m in _training(config).get("modules", [])]


def workshops(config: Mapping[str, Any] | None) -> list[Item]:
    """The recurring workshops."""
    return [_item(m, True) for m in _training(config).get("recurring", [])]


def items(config: Mapping[str, Any] | None) -> dict[str, Item]:
    """Every module and workshop by key (keys are unique across both: the config says so)."""
    return {item.key: item for item in (*modules(config), *workshops(config))}


def required_keys(config: Mapping[str, Any] | None, role: str = MENTOR) -> list[str]:
    """The module keys a person of ``role`` must attend to be trained, in order."""
    return [m.key for m in modules(config) if m.counts_for_training and m.concerns(role)]
