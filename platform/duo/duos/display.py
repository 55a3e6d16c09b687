"""Dates and times of a duo as a person reads them: their language, the branch's zone.

Mails and the PDF are rendered by jobs, outside any request (where the ``datetime``
filter would not know the branch), so they format through here with the branch
explicitly: its country picks the regional variant (English in a Belgian branch is
``en_BE``, never US English) and times show no seconds, as on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from duo.core.i18n import formatting
from duo.core.tenancy.models import Tenant


def formatter(tenant: Tenant, locale: str) -> Callable[..., str]:
    """``local(value, fmt="medium")`` for templates: a date or a moment, in the branch."""
    place = {"locale": locale, "country": tenant.country, "zone": tenant.timezone}

    def local(value: date | datetime | None, fmt: str = "medium") -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return formatting.format_datetime(value, fmt, **place)
        return formatting.format_date(value, fmt, **place)

    return local
