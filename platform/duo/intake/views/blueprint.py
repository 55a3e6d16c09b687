"""The candidates blueprint (``people``, so endpoint names stay ``people.<view>``) and
what its pages share: labels of the programme's vocabulary for templates, a candidate of
the branch or 404, the branch's rules and today.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from flask import Blueprint, abort, g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from duo.core.i18n import locale_memo
from duo.core.tenancy.scoping import BranchLoad
from duo.eligibility import reasons
from duo.eligibility.decisions import local_today, rules_for
from duo.people import states, vocab
from duo.people.models import MENTEE, MENTOR, Person

bp = Blueprint("people", __name__, url_prefix="/<tenant>/people", template_folder="../templates")

ROLE_LABELS = {MENTOR: _l("Mentors"), MENTEE: _l("Mentees")}
ROLE_LABEL = {MENTOR: _l("mentor"), MENTEE: _l("mentee")}
#: The pipeline in the programme's order (columns of the counts table).
PIPELINE = [s for s in states.STATES if s != states.WITHDRAWN] + [states.WITHDRAWN]


_LABEL_TABLES = {
    "sector": vocab.SECTOR_LABELS,
    "help": vocab.HELP_LABELS,
    "slot_day": vocab.DAY_LABELS,
    "slot_part": vocab.PART_LABELS,
    "level": vocab.LEVEL_LABELS,
    "education": vocab.EDUCATION_LABELS,
    "working": vocab.WORKING_STATUS_LABELS,
    "digital": vocab.DIGITAL_SKILL_LABELS,
    "migration": vocab.MIGRATION_BACKGROUND_LABELS,
    "state": states.LABELS,
    "role": ROLE_LABEL,
}


@bp.app_template_global("people_label")
def people_label(kind: str, key: Any) -> str:
    """A code of the programme's vocabulary as words, in the page's language.

    Remembered per language, across requests, and within a request without asking for the
    language again (:func:`~duo.core.i18n.locale_memo`): the candidates list asks for a few
    labels on each of its rows (role, step, every language and sector), each a catalogue or
    CLDR lookup otherwise.
    """
    return people_labels()(kind, key)


def people_labels() -> Callable[[str, Any], str]:
    """:func:`people_label` for a page asking for many labels (a list's rows): the page's
    memo is looked up once, not on every label (the language only when a label is new)."""
    labels = locale_memo("people_label")

    def label(kind: str, key: Any) -> str:
        if not isinstance(key, str | int | None):
            return _label(kind, key)
        if labels is None:
            return _remembered_label(kind, key, str(get_locale() or "en"))
        found = labels.get((kind, key))
        if found is None:
            found = labels[kind, key] = _remembered_label(kind, key, str(get_locale() or "en"))
        return found

    return label


@lru_cache(maxsize=4096)
def _remembered_label(kind: str, key: Any, _language: str) -> str:
    return _label(kind, key)  # worked out in ``_language``, the page's language right now


def _label(kind: str, key: Any) -> str:
    if kind == "level_short":
        return reasons.level_label(key)
    if kind == "language":
        return reasons.language_name(str(key), get_locale() or "en")
    return vocab.label(_LABEL_TABLES[kind], key)


bp.add_app_template_global(reasons.describe, "eligibility_reason")
bp.add_app_template_global(reasons.describe_outcome, "eligibility_outcome")


@bp.app_template_global("field_messages")
def _field_messages(field: Any) -> list[str]:
    """A field's own messages as text (a FieldList also lists its rows' errors: skipped)."""
    return [str(m) for m in (field.errors or []) if not isinstance(m, dict | list | tuple)]


#: Every candidate page starts here: built once per branch.
_PERSON = BranchLoad(
    lambda: select(Person).where(Person.id == bindparam("person_id", type_=Person.id.type))
)


def person_or_404(person_id: uuid.UUID) -> Person:
    person = _PERSON(person_id=person_id).scalar_one_or_none()
    if person is None:
        abort(404)
    return person


def rules_of(person: Person) -> list[dict[str, Any]]:
    return rules_for(g.tenant.config, person.role)


def branch_today() -> Any:
    return local_today(g.tenant.timezone)
