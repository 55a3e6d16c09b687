"""What needs doing next in a branch: each capability contributes its own items.

A provider is a plain function ``(tenant) -> list[Todo]``, listed in its package's
``plugin.py`` (``todos=[...]``); the dashboard shows the items with a count and a link,
most urgent first, so a coordinator with 200 candidates sees the next thing to do rather
than a list of records. The overview's headline figures are :class:`Card` providers
(``providers=[(CARDS, func)]``).

The label is a whole sentence that already contains the number, produced by ``ngettext``
with ``%(num)d`` so that singular and plural are right in every language, e.g.
``ngettext("%(num)d duo proposed ...", "%(num)d duos proposed ...", n)``. ``count`` is kept
for filtering and sorting; the dashboard shows the number in bold (see :attr:`Todo.parts`).
"""

from __future__ import annotations

from duo.core.plugins import CARDS, TODOS, Card, Todo
from duo.core.tenancy.models import Tenant

__all__ = ["CARDS", "TODOS", "Card", "Todo", "cards", "todos_for"]


def todos_for(tenant: Tenant) -> list[Todo]:
    items = [todo for func in TODOS.items() for todo in func(tenant) if todo.count]
    return sorted(items, key=lambda t: (t.urgency, -t.count))


def cards() -> list[Card]:
    return [card for func in CARDS.items() for card in func()]
