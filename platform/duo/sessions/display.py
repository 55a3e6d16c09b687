"""How a session is named and dated for people, in their language and the branch's zone.

Pages use the Jinja filters (``|datetime`` ...), which already know the branch's zone from
the request; mails are written in jobs too, where only these explicit helpers are right.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import g
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from duo.core import i18n
from duo.core.tenancy.models import Tenant
from duo.sessions.models import FOR_BOTH, FOR_MENTEES, FOR_MENTORS, HEARD_FROM, InfoSession

AUDIENCE_LABELS = {
    FOR_MENTORS: _l("for future mentors"),
    FOR_MENTEES: _l("for future mentees"),
    FOR_BOTH: _l("for mentors and mentees"),
}

HEARD_FROM_LABELS = dict(
    zip(
        HEARD_FROM,
        (
            _l("Our website"),
            _l("Social media"),
            _l("Friends or family"),
            _l("Employment service (Actiris, VDAB, Le Forem, France Travail, UWV...)"),
            _l("Another organisation"),
            _l("Press, radio or television"),
            _l("An event"),
            _l("Other"),
        ),
        strict=True,
    )
)


def language_name(code: str, locale: str) -> str:
    """A language's name in ``locale`` ("néerlandais", "Engels")."""
    return i18n.language_name(code, locale)


def local_start(session: InfoSession, tenant: Tenant) -> datetime:
    return session.starts_at.astimezone(ZoneInfo(tenant.timezone))


def when_text(session: InfoSession, tenant: Tenant, locale: str) -> str:
    """ "Tuesday 3 March 2026, 18:00 – 19:30" in the branch's zone and ``locale``."""
    zone = ZoneInfo(tenant.timezone)
    start = session.starts_at.astimezone(zone)
    end = session.ends_at.astimezone(zone)
    return _(
        "%(date)s, %(start)s – %(end)s",
        date=format_date(start.date(), "full", locale=locale),
        start=format_time(start.timetz(), "short", locale=locale),
        end=format_time(end.timetz(), "short", locale=locale),
    )


def where_text(session: InfoSession) -> str:
    if session.place and session.online_url:
        return _("%(place)s, or online", place=session.place)
    if session.place:
        return session.place
    return _("Online")


def title_text(tenant: Tenant, locale: str) -> str:
    return _("DUO for a JOB information session (%(branch)s)", branch=tenant.display_name(locale))


def organizer_text(tenant: Tenant, locale: str) -> str:
    return _("DUO for a JOB %(branch)s", branch=tenant.display_name(locale))


def template_helpers() -> dict[str, object]:
    """Session wording for templates: times in the branch's zone, the page's language."""
    locale = str(get_locale())
    return {
        "when": lambda s: when_text(s, g.tenant, locale),
        "where": where_text,
        "language_name": lambda code: language_name(code, locale),
        "audience_label": lambda s: AUDIENCE_LABELS[s.audience],
    }
