"""Dates and times of a duo as a person reads them: their language, the branch's zone.

Mails and the PDF are rendered by jobs, outside any request (where the ``datetime``
filter would fall back to UTC), so they format through here with the branch explicitly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from duo.core.tenancy.models import Tenant


def formatter(tenant: Tenant, locale: str) -> Callable[..., str]:
    """``local(value, fmt="medium")`` for templates: a date or a moment, in the branch."""
    zone = ZoneInfo(tenant.timezone)

    def local(value: date | datetime | None, fmt: str = "medium") -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return format_datetime(value, fmt, tzinfo=zone, locale=locale)
        return format_date(value, fmt, locale=locale)

    return local
