"""What needs doing next in a branch: each capability contributes its own items.

A provider is a plain function ``(tenant) -> list[Todo]``; the dashboard shows the items
with a count and a link, most urgent first, so a coordinator with 200 candidates sees the
next thing to do rather than a list of records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from duo.tenancy.models import Tenant


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str | None = None
    urgency: int = 50  # 0 = most urgent


Provider = Callable[[Tenant], list[Todo]]
_providers: list[Provider] = []


def provider(func: Provider) -> Provider:
    _providers.append(func)
    return func


def todos_for(tenant: Tenant) -> list[Todo]:
    items = [todo for func in _providers for todo in func(tenant) if todo.count]
    return sorted(items, key=lambda t: (t.urgency, -t.count))
