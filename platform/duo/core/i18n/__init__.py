"""Languages and time zones.

Locale order: the user's explicit choice, then the branch's default, then the browser's
preference among the languages offered (for pages outside a branch: all three). Branch
pages only ever offer the branch's own locales. Times are shown in the branch's zone.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime, time
from functools import cache
from typing import Any

from babel import Locale
from flask import Flask, g, has_app_context, has_request_context, request, session
from flask_babel import Domain, get_locale, get_translations, refresh
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context

from duo.core.extensions import babel
from duo.core.i18n import sentences, zones
from duo.core.i18n.formatting import format_date, format_datetime, format_time
from duo.core.vocab.locales import LOCALES

DEFAULT_TIMEZONE = "Europe/Brussels"


def offered_locales() -> list[str]:
    tenant = g.get("tenant") if has_request_context() else None
    if tenant is not None:
        return [loc for loc in tenant.locales if loc in LOCALES]
    return list(LOCALES)


def cli_locale() -> str:
    """Outside a request (CLI, jobs without a person): DUO_LOCALE, else LANG, else English."""
    for name in ("DUO_LOCALE", "LANG"):
        code = (os.environ.get(name) or "")[:2].lower()
        if code in LOCALES:
            return code
    return "en"


def select_locale() -> str:
    if not has_request_context():
        return cli_locale()
    offered = offered_locales()
    chosen = session.get("locale")
    if not chosen and current_user and current_user.is_authenticated:
        chosen = current_user.locale
    if chosen in offered:
        return chosen
    tenant = g.get("tenant")
    if tenant is not None:
        return offered[0]
    return request.accept_languages.best_match(offered) or "en"


def reader_locale(person: object | None) -> str:
    """The language of a page a person opens through their personal link: the one they
    chose on the page, else their own, else the branch's first; always one it offers."""
    tenant = g.tenant
    chosen = session.get("locale")
    if chosen in tenant.locales:
        return chosen
    locale = getattr(person, "locale", None)
    return locale if locale in tenant.locales else tenant.default_locale


def select_timezone() -> str:
    tenant = g.get("tenant") if has_request_context() else None
    return tenant.timezone if tenant is not None else DEFAULT_TIMEZONE


def branch_today() -> date:
    """Today in the current branch's time zone (outside a branch page: the default zone).

    Forms and schemas ask this rather than the machine's clock: "not in the future" and
    "this year" change at the branch's midnight, and the one clock (``utcnow``) decides.
    """
    return zones.local_today(select_timezone())


@cache
def language_label(code: str) -> str:
    """A language named in its own language (how a switcher should show it): the same in
    every page's language, so worked out once per code (every page's header shows them)."""
    return Locale.parse(code).get_display_name(code).capitalize()


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    if not isinstance(babel.__dict__.get("domain_instance"), _PageDomain):
        babel.__dict__["domain_instance"] = _PageDomain(
            domain=app.config.get("BABEL_DOMAIN", "messages")
        )

    @app.before_request
    def _fresh_locale() -> None:
        # Flask-Babel caches the locale on the app context, which can outlive a request
        # (tests, CLI); the branch is known only now, so decide afresh.
        refresh()

    @app.context_processor
    def _i18n_context() -> dict[str, object]:
        return {
            "offered_locales": offered_locales,
            "language_label": language_label,
            "current_locale": lambda: str(get_locale()),
            _CATALOGUE: _page_translations(),
        }

    # A page calls gettext dozens of times; Flask-Babel finds the domain, the locale and
    # the catalogue afresh for each call. The catalogue is resolved once per rendering (the
    # context processor above runs for each one, in the locale of that moment: a mail
    # rendered under force_locale gets its own), and read from the template's context; a
    # macro imported without context finds it once per locale of the request instead.
    app.jinja_env.install_gettext_callables(
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        newstyle=True,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )
    app.jinja_env.globals["translated"] = translated
    app.jinja_env.filters["datetime"] = _datetime_filter
    app.jinja_env.filters["date"] = _date_filter
    app.jinja_env.filters["time"] = _time_filter
    app.jinja_env.filters["sentence"] = _sentence_filter


def _sentence_filter(stored: str | None) -> str:
    """A stored text (a platform code, or a person's words) in the reader's language."""
    label, detail = sentences.render(stored)
    return ": ".join(part for part in (label, detail) if part)


def _memo(find):
    """The current catalogue, looked up (by ``find``) once per locale within an app context."""
    memo = locale_memo("catalogue")
    if memo is None:
        return find()
    found = memo.get("")
    if found is None:
        found = memo[""] = find()
    return found


def locale_memo(name: str) -> dict | None:
    """A dictionary that lives as long as the current language of the app context (a
    request's, or one set by ``force_locale``), for what depends on the language only: the
    catalogue, a label per code. None outside an app context.

    A template global called on every row of a list (the candidates list asks for a few
    hundred labels) paid Flask-Babel's locale lookup and the locale's identifier each time,
    more than the label itself. ``force_locale`` and ``refresh()`` replace the locale
    object, which starts a new dictionary.
    """
    if not has_app_context():
        return None
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None) if state is not None else None
    if locale is None:
        if get_locale() is None:
            return None
        state = g.get("_flask_babel")
        locale = state.babel_locale
    memos = getattr(state, "duo_memos", None)
    if memos is None or memos[0] is not locale:
        memos = state.duo_memos = (locale, {})
    found = memos[1].get(name)
    if found is None:
        found = memos[1][name] = {}
    return found


def _page_translations():
    return _memo(get_translations)


#: The name under which a rendering's context holds its catalogue.
_CATALOGUE = "_duo_catalogue"


def _catalogue_of(context: Context):
    found = context.get(_CATALOGUE)
    return found if found is not None else _page_translations()


@pass_context
def _template_gettext(context: Context, s: str) -> str:
    return _catalogue_of(context).ugettext(s)


@pass_context
def _template_ngettext(context: Context, s: str, p: str, n: int) -> str:
    return _catalogue_of(context).ungettext(s, p, n)


@pass_context
def _template_pgettext(context: Context, c: str, s: str) -> str:
    return _catalogue_of(context).upgettext(c, s)


@pass_context
def _template_npgettext(context: Context, c: str, s: str, p: str, n: int) -> str:
    return _catalogue_of(context).unpgettext(c, s, p, n)


class _PageDomain(Domain):
    """Flask-Babel's domain, finding the catalogue once per locale of a request.

    Every ``gettext`` and every lazy string turned into text asks the domain for the
    catalogue; Flask-Babel resolves the context, the locale and its cache each time.
    ``force_locale`` and ``refresh()`` change the locale object, so the next call looks up
    the catalogue of the new locale.
    """

    def get_translations(self):
        return _memo(super().get_translations)


def translated(labels: Mapping[str, Any]) -> dict[str, str]:
    """A mapping of lazy labels as text in the current language, for a template whose
    rows each show one (a list of fifty rows would translate each label fifty times)."""
    return {key: str(label) for key, label in labels.items()}


def _datetime_filter(value: datetime | None, fmt: str = "medium") -> str:
    return format_datetime(value, fmt)


def _date_filter(value: date | datetime | None, fmt: str = "medium") -> str:
    return format_date(value, fmt)


def _time_filter(value: time | datetime | None, fmt: str = "short") -> str:
    """Always hours and minutes: ``fmt`` is accepted for old templates and ignored."""
    return format_time(value)


def language_name(code: str, locale: Locale | str | None = None) -> str:
    """A language named in ``locale`` (default: the current one): "néerlandais", "Engels".

    An unknown code is returned as it is.
    """
    if not isinstance(locale, Locale):
        try:
            locale = Locale.parse(str(locale or get_locale() or "en"))
        except (ValueError, TypeError):
            locale = Locale("en")
    return locale.languages.get(code) or code
