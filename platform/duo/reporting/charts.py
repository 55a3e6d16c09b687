"""Charts drawn on the server as SVG: no JavaScript, readable by screen readers.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says in words
what it shows; the page puts the same figures in a table beside it. A hidden (suppressed)
cell is drawn as an empty outline labelled "<10", never as a bar of its true length.
"""

from __future__ import annotations

import uuid

from markupsafe import Markup, escape

from duo.reporting.tables import Cell, Table

BAR_H = 22
GAP = 6
LABEL_W = 210
WIDTH = 640


def _id() -> str:
    return "c" + uuid.uuid4().hex[:8]


def _opening(height: int, title: str, desc: str) -> list[str]:
    """A chart's box, with the title and description a screen reader says for it."""
    ident = _id()
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
    ]


def bars(table: Table, column: int = 0, title: str | None = None, desc: str = "") -> Markup:
    """Horizontal bars, one per row of ``table`` (its ``column``-th figure)."""
    rows = [(label, cells[column]) for label, cells in table.rows]
    peak = max(((c.value or 0) for _, c in rows if not c.suppressed), default=0) or 1
    height = len(rows) * (BAR_H + GAP) + GAP
    parts = _opening(height, title or table.title, desc)
    span = WIDTH - LABEL_W - 70
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR_H + GAP)
        # A label longer than its room is narrowed to fit (never runs off the chart's left
        # edge on a phone); the table beside the chart keeps it whole.
        fit = (
            f' textLength="{LABEL_W - 12}" lengthAdjust="spacingAndGlyphs"'
            if len(str(label)) * 7 > LABEL_W - 12
            else ""
        )
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + BAR_H * 0.7:.1f}" text-anchor="end"{fit} '
            f'class="chart-label">{escape(label)}</text>'
        )
        parts.append(_bar(value, LABEL_W, y, span, peak))
    parts.append("</svg>")
    return Markup("".join(parts))


def _bar(value: Cell, x: int, y: int, span: int, peak: float) -> str:
    if value.suppressed or value.value is None:
        return (
            f'<rect x="{x}" y="{y}" width="{span * 0.05:.1f}" height="{BAR_H}" '
            f'class="chart-hidden"/><text x="{x + span * 0.05 + 6:.1f}" '
            f'y="{y + BAR_H * 0.7:.1f}" class="chart-value">{escape(value.text())}</text>'
        )
    width = max(1.0, span * (value.value / peak))
    return (
        f'<rect x="{x}" y="{y}" width="{width:.1f}" height="{BAR_H}" class="chart-bar"/>'
        f'<text x="{x + width + 6:.1f}" y="{y + BAR_H * 0.7:.1f}" class="chart-value">'
        f"{escape(value.text())}</text>"
    )


def columns(
    table: Table, column: int = 0, title: str | None = None, desc: str = "", skip_last: bool = True
) -> Markup:
    """Vertical columns over time (the rows of ``table``, without its total row)."""
    rows = [(label, cells[column]) for label, cells in table.rows]
    if skip_last:
        rows = rows[:-1]
    peak = max(((c.value or 0) for _, c in rows if not c.suppressed), default=0) or 1
    height, base, top = 240, 200, 20
    step = (WIDTH - 40) / max(1, len(rows))
    parts = [
        *_opening(height, title or table.title, desc),
        f'<line x1="20" y1="{base}" x2="{WIDTH - 20}" y2="{base}" class="chart-axis"/>',
    ]
    for i, (label, value) in enumerate(rows):
        x = 20 + i * step + step * 0.15
        w = step * 0.7
        if value.suppressed or value.value is None:
            parts.append(
                f'<rect x="{x:.1f}" y="{base - 8}" width="{w:.1f}" height="8" '
                f'class="chart-hidden"/>'
            )
            shown_y = base - 12
        else:
            h = (base - top) * (value.value / peak)
            parts.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'class="chart-bar"/>'
            )
            shown_y = base - h - 4
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{shown_y:.1f}" text-anchor="middle" '
            f'class="chart-value">{escape(value.text())}</text>'
        )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{base + 16}" text-anchor="middle" '
            f'class="chart-label">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def describe(table: Table, column: int = 0) -> str:
    """The chart in one sentence per row, for ``<desc>``."""
    return "; ".join(f"{label}: {cells[column].text()}" for label, cells in table.rows)
