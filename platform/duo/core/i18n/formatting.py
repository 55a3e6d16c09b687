"""Dates and times as a person of the branch reads them: the one place that formats them.

Three choices, made here once:

- **Times never show seconds.** Nobody plans a meeting to the second; Babel's "medium"
  datetime does ("14:00:00"), so a datetime is always the date at the asked width joined
  with the *short* time, by the locale's own pattern.
- **The branch's country picks the regional variant.** French in Brussels is ``fr_BE``,
  Dutch in Antwerp ``nl_BE``; English in a Belgian, Dutch or French branch is ``en_BE``,
  ``en_NL``, ``en_FR`` (European day-month order, 24-hour clock), never US English. Where
  CLDR has no such variant, ``en_GB``. Outside a branch (HQ, the home page) English is
  ``en_GB`` too: every branch is in Europe.
- **The branch's zone.** Values are UTC in the database and shown in the branch's zone
  (or the zone passed by the caller, e.g. a job writing an e-mail).

Jinja's ``|datetime``, ``|date`` and ``|time`` filters, e-mails and stored history
sentences all come through here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from flask import g, has_app_context, has_request_context
from flask_babel import get_locale

#: English for a country without its own CLDR English: day-month order, 24-hour clock.
EUROPEAN_ENGLISH = "en_GB"

_WIDTHS = ("short", "medium", "long", "full")


@lru_cache(maxsize=64)
def regional_locale(language: str, country: str | None = None) -> Locale:
    """``language`` as spoken in ``country``: ("en", "be") -> en_BE, ("fr", None) -> fr.

    English never falls back to US English: without a regional variant it is en_GB.
    """
    base = (language or "en").replace("-", "_").split("_", 1)[0].lower()
    if country:
        try:
            return Locale.parse(f"{base}_{country.upper()}")
        except (UnknownLocaleError, ValueError):
            pass
    if base == "en":
        return Locale.parse(EUROPEAN_ENGLISH)
    try:
        return Locale.parse(base)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(EUROPEAN_ENGLISH)


def _current_language() -> str:
    if not has_request_context():
        # A command or a job writing in a reader's language (``force_locale``), else the
        # command line's language.
        forced = getattr(g.get("_flask_babel"), "babel_locale", None) if has_app_context() else None
        if forced is not None:
            return str(forced)
        from duo.core.i18n import cli_locale  # the package imports this module first

        return cli_locale()
    return str(get_locale() or "en")


def _current_country() -> str | None:
    tenant = g.get("tenant") if has_request_context() else None
    return getattr(tenant, "country", None)


def _current_zone() -> str:
    from duo.core.i18n import select_timezone  # the package imports this module first

    return select_timezone()


def _resolve(
    locale: Locale | str | None, country: str | None, zone: str | ZoneInfo | None
) -> tuple[Locale, ZoneInfo]:
    if locale is None and country is None and zone is None and has_request_context():
        return _page_default()
    if not isinstance(locale, Locale):
        locale = regional_locale(str(locale or _current_language()), country or _current_country())
    if not isinstance(zone, ZoneInfo):
        zone = ZoneInfo(zone or _current_zone())
    return locale, zone


def _page_default() -> tuple[Locale, ZoneInfo]:
    """The page's locale and zone, worked out once per page (per language and branch).

    A list page formats a hundred dates; looking up the language, the branch's country and
    its zone for each (request-local lookups all) cost more than formatting the date.
    """
    from duo.core.i18n import locale_memo  # the package imports this module first

    tenant = g.get("tenant")
    key = (getattr(tenant, "country", None), getattr(tenant, "timezone", None))
    memo = locale_memo("formatting")
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = (
            regional_locale(_current_language(), _current_country()),
            ZoneInfo(_current_zone()),
        )
        if memo is not None:
            memo[key] = found
    return found


def page_locale_and_zone() -> tuple[Locale, ZoneInfo]:
    """The locale and zone of the current page (or job): for a list formatting many values,
    which passes them to every call rather than having each call look them up again."""
    return _resolve(None, None, None)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def format_date(
    value: date | datetime | None,
    width: str = "medium",
    *,
    locale: Locale | str | None = None,
    country: str | None = None,
    zone: str | ZoneInfo | None = None,
) -> str:
    """A calendar day ("1 Dec 2026", "1 déc. 2026"); a datetime is first put in the zone."""
    if value is None:
        return ""
    loc, tz = _resolve(locale, country, zone)
    if isinstance(value, datetime):
        value = _aware(value).astimezone(tz).date()
    return _day_text(value, width, loc)


@lru_cache(maxsize=4096)
def _hour_text(hour: int, minute: int, locale: Locale) -> str:
    """A time of day, hours and minutes (what :func:`format_time` shows), as :func:`_day_text`."""
    return babel_dates.format_time(time(hour, minute), "short", locale=locale)


@lru_cache(maxsize=8192)
def _day_text(day: date, width: str, locale: Locale) -> str:
    """A day as text depends on the day, the width and the locale alone: a list page shows
    a hundred dates, and Babel works each out from its pattern anew (most of the list's
    time in templates); kept for the few thousand days a branch's pages show."""
    return babel_dates.format_date(day, width, locale=locale)


def format_time(
    value: time | datetime | None,
    *,
    locale: Locale | str | None = None,
    country: str | None = None,
    zone: str | ZoneInfo | None = None,
) -> str:
    """A time of day, hours and minutes only ("14:00")."""
    if value is None:
        return ""
    loc, tz = _resolve(locale, country, zone)
    if isinstance(value, datetime):
        value = _aware(value).astimezone(tz).time()
    return _hour_text(value.hour, value.minute, loc)


def format_datetime(
    value: datetime | None,
    width: str = "medium",
    *,
    locale: Locale | str | None = None,
    country: str | None = None,
    zone: str | ZoneInfo | None = None,
) -> str:
    """Date at ``width`` and the short time, joined the locale's way ("1 Dec 2026, 21:00")."""
    if value is None:
        return ""
    loc, tz = _resolve(locale, country, zone)
    width = width if width in _WIDTHS else "medium"
    local = _aware(value).astimezone(tz)
    day = _day_text(local.date(), width, loc)
    hour = _hour_text(local.hour, local.minute, loc)
    pattern = str(loc.datetime_formats.get(width) or "{1} {0}")
    return pattern.replace("'", "").format(hour, day)
