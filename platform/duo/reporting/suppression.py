"""Small cells hidden, and the cells that would give them away hidden too.

A cell that counts fewer than the threshold of people (``DUO_SUPPRESSION_THRESHOLD``,
default 10; zero is shown) is *primarily* suppressed. Then, wherever cells add up to a
total (branches to their country, countries to the whole organisation, months to their
quarter and year), a group with exactly one hidden cell would let anyone recover it by
subtraction: the smallest visible cell of that group is hidden as well (*secondary*
suppression), and so on until no group has a lone hidden cell. Rates, means and medians
are judged by the people they are computed over (their denominator), which add up the
same way.

The groups are those of the whole cube of an indicator and year (every branch, country,
month, quarter), not only of the table on screen, so that every page, export and API answer
hides the same cells and two of them cannot be combined to undo the suppression.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

DEFAULT_THRESHOLD = 10


@dataclass
class Value:
    """A figure with the number of people it was computed over."""

    value: float | None
    n: int
    numerator: float | None = None
    suppressed: bool = False

    @property
    def shown(self) -> float | None:
        return None if self.suppressed else self.value


Group = tuple[list[Hashable], Hashable]


def suppress(
    cells: dict[Hashable, Value],
    groups: Iterable[Group],
    threshold: int | Callable[[Hashable], int],
) -> None:
    """Mark primary and secondary suppression in place.

    ``threshold`` is one number, or a function giving each cell's (a country may ask for a
    higher one than the platform's: :func:`duo.reporting.query.cell_thresholds`).
    """
    limit = threshold if callable(threshold) else (lambda _key: threshold)
    for key, cell in cells.items():
        if 0 < cell.n < limit(key):
            cell.suppressed = True
    groups = [
        ([p for p in parts if p in cells], total) for parts, total in groups if total in cells
    ]
    changed = True
    while changed:
        changed = False
        for parts, total in groups:
            members = [*parts, total]
            hidden = [key for key in members if cells[key].suppressed]
            if len(hidden) != 1:
                continue
            visible = [p for p in parts if not cells[p].suppressed and cells[p].n > 0]
            if not visible:
                visible = [p for p in parts if not cells[p].suppressed]
            if visible:
                cells[min(visible, key=lambda p: (cells[p].n, str(p)))].suppressed = True
            elif not cells[total].suppressed:
                cells[total].suppressed = True
            else:  # pragma: no cover - a lone hidden total with no parts is not a leak
                continue
            changed = True
