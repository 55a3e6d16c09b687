"""Reading an uploaded candidates spreadsheet (CSV in UTF-8, or XLSX) into rows of text.

:func:`parse_upload` turns the bytes into text cells keyed by column name, or raises
:class:`ImportFileError` with a message for the coordinator (not a spreadsheet, wrong
encoding, missing columns, too large, empty). CSV must be UTF-8 (with or without BOM;
Excel's "CSV UTF-8"), the delimiter is ``,``, ``;`` or tab (European spreadsheets use
``;``), headers are matched case-insensitively with a few aliases (``e-mail``,
``first name``...), unknown columns are shown and ignored, blank lines are skipped, and
line numbers are the spreadsheet's (the header is line 1).

The same reader serves other imports (the branch move-in of :mod:`duo.moving_in`): they
pass their own ``columns``, ``required`` and ``aliases``. A formula is never evaluated nor
imported: an XLSX cell is read as written (``=SUM(A1:A3)``, not its last result), and
:func:`formula_errors` refuses a cell that a spreadsheet would run as a formula (the cells
:mod:`duo.core.exporting` neutralises on the way out), so a row holding one is an error.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext, ngettext

from duo.people.schemas import COLUMNS, REQUIRED_COLUMNS

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

_ALIASES = {
    "e-mail": "email",
    "e_mail": "email",
    "mail": "email",
    "email_address": "email",
    "firstname": "first_name",
    "first": "first_name",
    "given_name": "first_name",
    "lastname": "last_name",
    "last": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "telephone": "phone",
    "phone_number": "phone",
    "locale": "language",
    "year_of_birth": "birth_year",
    "postal_code": "postcode",
    "zip": "postcode",
    "zip_code": "postcode",
    "sector": "sectors",
    "audience": "role",
}


#: A phone number or a number: ``+32 470 12 34 56``, ``-3``; a sign followed by anything
#: else (``+cmd|...``, ``-2+3``) is read as a formula by spreadsheets.
_SIGNED_NUMBER = re.compile(r"^[+-][\d\s./()-]*$")


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would evaluate this cell (CSV injection): refused at import.

    The export neutralises such cells (:mod:`duo.core.exporting`); the import refuses them,
    so a formula never enters the register through a file.
    """
    text = str(text or "")
    if not text:
        return False
    if text[0] in "=@\t\r":
        return True
    return text[0] in "+-" and not _SIGNED_NUMBER.match(text)


def formula_errors(cells: Mapping[str, str]) -> dict[str, list[str]]:
    """``{column: [message]}`` for the row's cells that hold a formula."""
    return {
        column: [gettext("A formula is not accepted here: type the value itself.")]
        for column, value in cells.items()
        if is_formula(value)
    }


class ImportFileError(ValueError):
    """The file cannot be read as a candidates spreadsheet; ``str(err)`` is the message."""


@dataclass(frozen=True)
class ParsedFile:
    columns: list[str]
    ignored_columns: list[str]
    rows: list[dict[str, Any]]  # {"line": 2, "cells": {"email": "..."}}


def _column_key(header: Any, aliases: Mapping[str, str] | None = None) -> str:
    aliases = _ALIASES if aliases is None else aliases
    text = str(header or "").replace("\ufeff", "").strip().lower()
    if text in aliases:
        return aliases[text]
    text = "_".join(text.replace("-", "_").split())
    return aliases.get(text, text)


def _is_xlsx(filename: str, data: bytes) -> bool:
    return filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if not isinstance(value, str | int | float | bool):
        return "=" + str(getattr(value, "text", value))  # an array formula: still a formula
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data:
        raise ImportFileError(gettext("This is not a CSV file. Upload a CSV or XLSX file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            gettext(
                "The file is not encoded in UTF-8. In your spreadsheet, save it as "
                "“CSV UTF-8” and upload it again."
            )
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise ImportFileError(
            gettext("This CSV file cannot be read: %(error)s", error=exc)
        ) from exc


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # (a large package: loaded when an XLSX arrives)

    try:
        # data_only=False: a formula cell reads as its formula ("=..."), which the import
        # refuses, rather than as the value it last computed.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportFileError(
            gettext("This file is not a readable XLSX spreadsheet. Upload a CSV or XLSX file.")
        ) from exc
    except Exception as exc:
        raise ImportFileError(
            gettext("This file is not a readable XLSX spreadsheet. Upload a CSV or XLSX file.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def parse_upload(
    filename: str,
    data: bytes,
    *,
    columns: tuple[str, ...] = COLUMNS,
    required: tuple[str, ...] = REQUIRED_COLUMNS,
    aliases: Mapping[str, str] | None = None,
) -> ParsedFile:
    """The file's rows as text cells keyed by (normalised) column name.

    ``columns``, ``required`` and ``aliases`` default to the candidates import's.
    """
    name = (filename or "").lower()
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            gettext("The file is too large (at most %(size)s MB).", size=MAX_BYTES // 2**20)
        )
    if not data.strip():
        raise ImportFileError(gettext("The file is empty."))
    if name.endswith((".xls", ".ods", ".numbers")):
        raise ImportFileError(
            gettext("This spreadsheet format is not supported: save it as XLSX or CSV.")
        )
    if _is_xlsx(name, data):
        table = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")) or "." not in name:
        table = _read_csv(data)
    else:
        raise ImportFileError(gettext("Upload a CSV or XLSX file."))

    while table and not any(cell.strip() for cell in table[0]):
        table.pop(0)  # blank lines above the header
    if not table:
        raise ImportFileError(gettext("The file is empty."))
    header = [_column_key(cell, aliases) for cell in table[0]]
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFileError(
            ngettext(
                "The column %(columns)s is missing. Start from the template.",
                "The columns %(columns)s are missing. Start from the template.",
                len(missing),
                columns=", ".join(missing),
            )
        )
    known = [c for c in header if c in columns]
    ignored = [
        str(cell).strip()
        for cell, c in zip(table[0], header, strict=True)
        if c not in columns and str(cell).strip()
    ]
    rows = []
    for offset, cells in enumerate(table[1:], start=2):
        if not any(str(cell).strip() for cell in cells):
            continue
        values: dict[str, str] = {}
        for column, cell in zip(header, cells, strict=False):
            if column in columns and column not in values:
                values[column] = str(cell).strip()
        rows.append({"line": offset, "cells": values})
    if not rows:
        raise ImportFileError(gettext("The file has no rows under its header."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            gettext("The file has more than %(max)s rows; split it.", max=MAX_ROWS)
        )
    return ParsedFile(columns=list(dict.fromkeys(known)), ignored_columns=ignored, rows=rows)
