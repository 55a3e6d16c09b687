"""What needs doing next in a branch: each capability contributes its own items.

A provider is a plain function ``(tenant) -> list[Todo]``; the dashboard shows the items
with a count and a link, most urgent first, so a coordinator with 200 candidates sees the
next thing to do rather than a list of records.

The label is a whole sentence that already contains the number, produced by ``ngettext``
with ``%(num)d`` so that singular and plural are right in every language, e.g.
``ngettext("%(num)d duo proposed ...", "%(num)d duos proposed ...", n)``. ``count`` is kept
for filtering and sorting; the dashboard shows the number in bold (see :attr:`Todo.parts`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from duo.core.tenancy.models import Tenant


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str | None = None
    urgency: int = 50  # 0 = most urgent

    @property
    def parts(self) -> tuple[str, str, str]:
        """The label split around its count: (before, number, after), to show it in bold.

        When the label does not contain the count, the whole label is in ``before``.
        """
        label = str(self.label)
        match = re.search(rf"(?<!\d){self.count}(?!\d)", label)
        if match is None:
            return label, "", ""
        return label[: match.start()], match.group(), label[match.end() :]


Provider = Callable[[Tenant], list[Todo]]
_providers: list[Provider] = []


def provider(func: Provider) -> Provider:
    _providers.append(func)
    return func


def todos_for(tenant: Tenant) -> list[Todo]:
    items = [todo for func in _providers for todo in func(tenant) if todo.count]
    return sorted(items, key=lambda t: (t.urgency, -t.count))
