"""Why a state changed, stored language-neutral and shown in the reader's language.

A coordinator's own words (an override's justification, a withdrawal reason) are kept
verbatim. A change the platform makes on its own (intake recorded, rules decided, import)
is stored as a code, ``duo:<code>``, optionally followed by a newline and the human text
it belongs to, so that a French coordinator and a Dutch one both read it in their language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, select

from duo.core.auth.models import User
from duo.core.i18n import sentences
from duo.core.tenancy.scoping import BranchRead
from duo.people.models import Person, StateChange

PREFIX = sentences.PREFIX

INTAKE = sentences.register("intake", _l("Intake interview recorded"))
RULES = sentences.register("eligibility.rules", _l("Decided by the eligibility rules"))
REEVALUATED = sentences.register(
    "eligibility.reevaluated", _l("Evaluated again under the current rules")
)
OVERRIDE = sentences.register("eligibility.override", _l("Eligibility decided by a coordinator"))
IMPORTED = sentences.register("import", _l("Imported from a spreadsheet"))
WITHDRAWN = sentences.register("withdrawn", _l("Withdrawn by a coordinator"))
REINSTATED = sentences.register("reinstated", _l("Back in the programme"))


def reason(code: str, detail: str | None = None, **params: object) -> str:
    """The stored form of a platform reason (and the human text that goes with it)."""
    return sentences.encode(code, detail, **params)


def describe(stored: str | None) -> tuple[str | None, str | None]:
    """(label in the reader's language, verbatim detail); free text is the detail."""
    return sentences.render(stored)


@dataclass(frozen=True)
class HistoryEntry:
    from_state: str | None
    to_state: str
    at: datetime
    by_name: str | None
    label: str | None
    detail: str | None


def _history() -> Select:
    return (
        select(
            StateChange.from_state,
            StateChange.to_state,
            StateChange.at,
            StateChange.reason,
            User.name,
        )
        .outerjoin(User, User.id == StateChange.by_user_id)
        .where(StateChange.person_id == bindparam("person_id", type_=StateChange.person_id.type))
        .order_by(StateChange.at.desc(), StateChange.id)
    )


#: The person page asks on every visit: built once per branch.
_HISTORY = BranchRead(_history)


def history_of(person: Person) -> list[HistoryEntry]:
    """The person's state changes, newest first, with the staff member's name (one query)."""
    entries = []
    for from_state, to_state, at, reason, name in _HISTORY(person_id=person.id):
        label, detail = describe(reason)
        entries.append(HistoryEntry(from_state, to_state, at, name, label, detail))
    return entries
