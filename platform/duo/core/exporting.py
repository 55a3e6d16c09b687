"""A list a coordinator sees, as a CSV or XLSX file, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken for
a formula by Excel and LibreOffice (CSV injection): a candidate typing ``=HYPERLINK(...)``
as a name must not run when a coordinator opens the export. Such text gets a leading
apostrophe, the spreadsheets' own "this is text" mark; numbers stay numbers.

:func:`download` is what a list page's export route returns: the file, named after the
branch and the list, with an audit entry (who exported what, how many rows, which
filters) written in the request's transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import Response, abort

from duo.core import audit

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The cell as text that no spreadsheet evaluates (numbers and dates untouched)."""
    if value is None:
        return ""
    if isinstance(value, (int, float, date, datetime)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_bytes(fmt: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The file's bytes: CSV (UTF-8 with BOM, for Excel) or XLSX."""
    cleaned = ([neutralise(cell) for cell in row] for row in rows)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([neutralise(h) for h in headers])
        for row in cleaned:
            writer.writerow(["" if c is None else c for c in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook  # large (and pulls numpy): loaded for an export

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append([neutralise(h) for h in headers])
        for row in cleaned:
            sheet.append([c.replace(tzinfo=None) if isinstance(c, datetime) else c for c in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise ValueError(fmt)


def download(
    fmt: str,
    name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    actor: object,
    filters: dict | None = None,
) -> Response:
    """The export ``name`` (e.g. ``"brussels-duos"``) as a download, audited.

    An unknown format is a 404. The audit entry's object is ``"<list>.<fmt>"`` where the
    list is ``name`` without the branch (the part before the first hyphen).
    """
    if fmt not in FORMATS:
        abort(404)
    materialised = [list(row) for row in rows]
    body = to_bytes(fmt, headers, materialised)
    what = name.split("-", 1)[1] if "-" in name else name
    audit.record(
        "export",
        f"{what}.{fmt}",
        actor=actor,
        details={"rows": len(materialised), "filters": filters or {}},
    )
    return Response(
        body,
        mimetype=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
