"""The branch navigation, filled by packages rather than hard-coded in the layout.

A package lists its entries in its ``plugin.py`` (``navigation=[NavItem(...)]``) with an
endpoint, a lazily translated label and an order number of its own: the factory refuses two
entries with the same number, so the menu's order is written down, not an accident of
import order. The layout shows the entries of the current branch in that order.
"""

from __future__ import annotations

from flask import current_app, g, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from duo.core.plugins import NAVIGATION, NavItem

OVERVIEW = NavItem("dashboard.index", _l("Overview"), 0)


def navigation_for() -> list[tuple[str, str, bool]]:
    """(url, label, is_current) for the current branch, or HQ links for HQ staff."""
    if g.get("tenant") is not None and current_user.is_authenticated:
        if not current_user.coordinates(g.tenant.id):
            return []
        return [
            (url, label, request.endpoint == endpoint)
            for endpoint, url, label in _branch_entries(g.tenant.slug)
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


#: Where an app keeps each branch's menu: (branch, language, script root) -> its entries.
_CACHE = "duo.navigation"


def _branch_entries(slug: str) -> list[tuple[str, str, str]]:
    """(endpoint, url, label) of a branch's menu, worked out once per branch and language.

    The same on every page of a branch: building its URLs and labels afresh cost about half
    a millisecond of every page.
    """
    key = (slug, str(get_locale()), request.script_root)
    built = current_app.extensions.setdefault(_CACHE, {})
    found = built.get(key)
    if found is None:
        found = built[key] = [
            (i.endpoint, url_for(i.endpoint), str(i.label))
            for i in sorted(NAVIGATION.items(), key=lambda i: i.order)
        ]
    return found
