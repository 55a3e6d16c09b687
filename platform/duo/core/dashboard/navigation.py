"""The branch navigation, filled by capabilities rather than hard-coded in the layout.

A capability calls :func:`register` at import time with an endpoint and a lazily
translated label; the layout shows the entries of the current branch in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    order: int


_items: list[NavItem] = []


def register(endpoint: str, label: object, order: int = 100) -> None:
    if all(i.endpoint != endpoint for i in _items):
        _items.append(NavItem(endpoint, label, order))


register("dashboard.index", _l("Overview"), 0)


def navigation_for() -> list[tuple[str, str, bool]]:
    """(url, label, is_current) for the current branch, or HQ links for HQ staff."""
    from flask import request

    if g.get("tenant") is not None and current_user.is_authenticated:
        if not current_user.coordinates(g.tenant.id):
            return []
        return [
            (url_for(i.endpoint), str(i.label), request.endpoint == i.endpoint)
            for i in sorted(_items, key=lambda i: i.order)
        ]
    if current_user.is_authenticated and current_user.is_hq:
        return [
            (url_for(endpoint), str(label), request.endpoint == endpoint)
            for endpoint, label in (
                ("hq.index", _l("Figures")),
                ("hq.fairness", _l("Who the programme serves")),
                ("hq.definitions", _l("Definitions")),
            )
        ]
    return []
