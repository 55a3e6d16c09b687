"""CSV and XLSX of any reporting table, safe to open in a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would be
run as a formula by Excel or LibreOffice; it is written with a leading apostrophe instead.
Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

from duo.reporting.tables import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _lines(table: Table) -> list[list[object]]:
    return [
        [neutralise(c) for c in table.columns],
        *([neutralise(c) for c in row] for row in table.as_rows()),
    ]


def to_csv(tables: Iterable[Table], about: str | None = None) -> str:
    """Every table under its title, one blank line between two; ``about`` (what the file
    holds: the year, the place, when it was made) on the first line."""
    out = io.StringIO()
    writer = csv.writer(out)
    if about:
        writer.writerow([neutralise(about)])
        writer.writerow([])
    for i, table in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerow([neutralise(table.title)])
        writer.writerows(_lines(table))
    return out.getvalue()


def to_xlsx(tables: Iterable[Table], about: str | None = None) -> bytes:
    """A sheet per table (named by its key, the same in every language), its title on the
    first row, ``about`` above it."""
    from openpyxl import Workbook  # large (and pulls numpy): loaded for an export

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        name = table.key[:31]
        while name in used:
            name = name[:28] + str(len(used))
        used.add(name)
        sheet = book.create_sheet(name)
        if about:
            sheet.append([neutralise(about)])
        sheet.append([neutralise(table.title)])
        for line in _lines(table):
            sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(tables: list[Table], fmt: str, name: str, about: str | None = None) -> Response:
    """The tables as a CSV or XLSX attachment named ``name.<fmt>`` (HQ's and a branch's)."""
    body = to_csv(tables, about) if fmt == "csv" else to_xlsx(tables, about)
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
