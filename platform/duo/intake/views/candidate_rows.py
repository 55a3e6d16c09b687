"""The candidates list's rows as the page shows them: every word worked out in Python.

The list shows fifty people, each with a link, a role, a step, a date and a few languages
and sectors named in the page's language. Asked for from the template, each of those was a
call through Jinja's context and Flask-Babel's locale lookup, and each link a ``url_for``:
most of the page's time. Here each label is looked up once per page and each link is the
same URL with the person's id put in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import get_locale
from flask_babel import gettext as _

from duo.core.i18n import formatting
from duo.core.urls import row_link
from duo.intake.views.blueprint import people_label, people_labels
from duo.people import list_pages, vocab
from duo.people.models import MENTEE


@dataclass(frozen=True)
class CandidateRow:
    url: str
    name: str
    role: str
    step: str
    since: str
    #: (code, level, the language's name) per language the person speaks, by code.
    languages: list[tuple[str, str, str]]
    sectors: str
    email: str


def candidate_rows(rows: Iterable[list_pages.Row]) -> list[CandidateRow]:
    label = people_labels()
    link = row_link("people.person", "person_id")
    locale, zone = formatting.page_locale_and_zone()
    shown = []
    for row in rows:
        person = row.person
        if person.role == MENTEE:
            sectors = label("sector", row.target_sector) if row.target_sector else ""
        else:
            sectors = ", ".join(label("sector", key) for key in row.sectors)
        day = formatting.format_date(person.state_changed_at, "short", locale=locale, zone=zone)
        shown.append(
            CandidateRow(
                url=link(person.id),
                name=f"{person.last_name}, {person.first_name}",
                role=label("role", person.role),
                step=label("state", person.state),
                since=_("since %(date)s", date=day),
                languages=[
                    (code, level, label("language", code))
                    for code, level in sorted(row.languages.items())
                ],
                sectors=sectors,
                email=person.email,
            )
        )
    return shown


def language_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) of every language of the search form, by name in the page's language."""
    return _language_choices(str(get_locale() or "en"))


@lru_cache(maxsize=16)
def _language_choices(_language: str) -> tuple[tuple[str, str], ...]:
    named = [(code, people_label("language", code)) for code in vocab.LANGUAGES]
    return tuple(
        (code, name.capitalize()) for code, name in sorted(named, key=lambda c: c[1].lower())
    )
