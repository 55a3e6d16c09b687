"""A branch's settings for steps 5-7, read from its merged configuration (``[duos]``).

Defaults here only cover a branch synchronised before the section existed; every branch
file inherits the section from its country (``tenants/countries/*.toml``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from duo.core.tenancy.models import Tenant

DEFAULTS: dict[str, Any] = {
    "link_valid_days": 120,
    "decision_pending_days": 7,
    "signature_pending_days": 14,
    "first_meeting_max_days_ahead": 90,
    "mentee_check_in": False,
    "evaluation_due_days": 21,
    "topics": [],
    "stop_reasons": [],
}


def setting(tenant: Tenant, key: str) -> Any:
    return (tenant.config.get("duos") or {}).get(key, DEFAULTS.get(key))


def programme(tenant: Tenant, key: str, default: Any) -> Any:
    return (tenant.config.get("programme") or {}).get(key, default)


def link_validity(tenant: Tenant) -> timedelta:
    return timedelta(days=int(setting(tenant, "link_valid_days")))


def pair_locale(tenant: Tenant, *locales: str | None) -> str:
    """The language of a pair's documents: the mentee's if the branch offers it, else the
    mentor's, else the branch's default (the duo speaks it; the agreement is theirs)."""
    for locale in locales:
        if locale in tenant.locales:
            return locale
    return tenant.default_locale


def person_locale(tenant: Tenant, person: object) -> str:
    locale = getattr(person, "locale", None)
    return locale if locale in tenant.locales else tenant.default_locale


def choice_title(item: dict[str, Any], locale: str, tenant: Tenant) -> str:
    titles = item.get("title") or {}
    return titles.get(locale) or titles.get(tenant.default_locale) or item.get("key", "")


def choices(tenant: Tenant, kind: str, locale: str) -> list[tuple[str, str]]:
    """(key, title in ``locale``) of a configured list: ``topics`` or ``stop_reasons``."""
    return [(item["key"], choice_title(item, locale, tenant)) for item in setting(tenant, kind)]


def document(tenant: Tenant, name: str, locale: str) -> dict[str, str]:
    """The agreement or charter: ``version``, ``title`` and ``text`` in ``locale``."""
    doc = (tenant.config.get("duos") or {}).get(name) or {}
    titles, texts = doc.get("title") or {}, doc.get("text") or {}
    return {
        "version": doc.get("version", ""),
        "title": titles.get(locale) or titles.get(tenant.default_locale, ""),
        "text": texts.get(locale) or texts.get(tenant.default_locale, ""),
    }
