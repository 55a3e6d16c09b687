"""The three files of a branch's move-in: their columns, aliases and template rows.

One template per kind, downloadable as CSV or XLSX from the move-in page: the header row
(every column, required ones first) and one example row. Dates are written ``YYYY-MM-DD``
(``DD/MM/YYYY`` and XLSX date cells are read too); lists are separated by ``;``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from duo.core.exporting import to_bytes

MENTORS, DUOS, OUTCOMES = "mentors", "duos", "outcomes"


@dataclass(frozen=True)
class Kind:
    key: str
    title: object
    required: tuple[str, ...]
    optional: tuple[str, ...]
    example: dict[str, str]
    aliases: dict[str, str]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


_PERSON_ALIASES = {
    "e-mail": "email",
    "mail": "email",
    "firstname": "first_name",
    "first": "first_name",
    "lastname": "last_name",
    "last": "last_name",
    "surname": "last_name",
    "telephone": "phone",
    "locale": "language",
    "year_of_birth": "birth_year",
    "postal_code": "postcode",
    "zip": "postcode",
    "sector": "sectors",
}

KINDS: dict[str, Kind] = {
    MENTORS: Kind(
        MENTORS,
        _l("Trained mentors"),
        ("first_name", "last_name", "email", "trained_on"),
        ("phone", "language", "birth_year", "postcode", "languages", "sectors"),
        {
            "first_name": "Jan",
            "last_name": "Peeters",
            "email": "jan.peeters@example.org",
            "trained_on": "2024-03-15",
            "phone": "",
            "language": "",
            "birth_year": "1958",
            "postcode": "1050",
            "languages": "nl:native; fr:C1",
            "sectors": "finance; administration",
        },
        {**_PERSON_ALIASES, "trained": "trained_on", "training_date": "trained_on"},
    ),
    DUOS: Kind(
        DUOS,
        _l("Duos, running and past"),
        ("mentor_email", "mentee_email", "start", "state"),
        (
            "end",
            "coordinator_email",
            "stop_reason",
            "mentee_first_name",
            "mentee_last_name",
            "mentee_language",
            "mentee_phone",
            "mentee_birth_year",
            "mentee_postcode",
            "mentee_languages",
            "mentee_sector",
        ),
        {
            "mentor_email": "jan.peeters@example.org",
            "mentee_email": "amina@example.org",
            "start": "2024-04-02",
            "state": "ended",
            "end": "2024-10-01",
            "coordinator_email": "",
            "stop_reason": "",
            "mentee_first_name": "Amina",
            "mentee_last_name": "El Idrissi",
            "mentee_language": "",
            "mentee_phone": "",
            "mentee_birth_year": "2001",
            "mentee_postcode": "1000",
            "mentee_languages": "fr:B2; ar:native",
            "mentee_sector": "healthcare",
        },
        {
            "start_date": "start",
            "end_date": "end",
            "status": "state",
            "coordinator": "coordinator_email",
        },
    ),
    OUTCOMES: Kind(
        OUTCOMES,
        _l("Outcomes of the mentees"),
        ("mentee_email", "duo_start", "months_after", "outcome"),
        ("outcome_date", "contract_type", "hours_per_week", "job_started_on", "note"),
        {
            "mentee_email": "amina@example.org",
            "duo_start": "2024-04-02",
            "months_after": "3",
            "outcome": "job",
            "outcome_date": "2025-01-10",
            "contract_type": "fixed_term",
            "hours_per_week": "38",
            "job_started_on": "2024-12-01",
            "note": "",
        },
        {
            "status": "outcome",
            "situation": "outcome",
            "contract": "contract_type",
            "hours": "hours_per_week",
        },
    ),
}

FORMATS = ("csv", "xlsx")


def template(kind: Kind, fmt: str, locale: str) -> bytes:
    """The template file: the header row and the example row (in the branch's language)."""
    example = dict(kind.example)
    for column in ("language", "mentee_language"):
        if column in example:
            example[column] = locale
    return to_bytes(fmt, kind.columns, [[example.get(c, "") for c in kind.columns]])
