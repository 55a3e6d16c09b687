"""The branch's ``[privacy]`` settings (country defaults, branch overrides; see
:mod:`duo.core.tenancy.config.privacy`), with the code's defaults for a branch row written
before the section existed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

PRIVACY_NOTICE = "privacy_notice"
SENSITIVE_FACTS = "sensitive_facts"

#: Used when a branch's stored configuration has no ``[privacy]`` section.
DEFAULT_VERSIONS = {PRIVACY_NOTICE: "2026-11-v1", SENSITIVE_FACTS: "2026-11-v1"}
DEFAULTS: dict[str, Any] = {
    "retention_years": 3,
    "mail_body_days": 365,
    "erasure_after_withdrawal_days": 30,
}


@dataclass(frozen=True)
class Purpose:
    """What a person may consent to, in the branch's current wording."""

    key: str
    version: str
    required: bool
    title: dict[str, str]
    text: dict[str, str]

    def title_in(self, locale: str) -> str:
        return _pick(self.title, locale) or self.key

    def text_in(self, locale: str) -> str:
        return _pick(self.text, locale)


def _pick(texts: dict[str, str], locale: str) -> str:
    if not texts:
        return ""
    return texts.get(locale) or texts.get("en") or next(iter(texts.values()))


def _section(tenant: Any) -> dict[str, Any]:
    config = getattr(tenant, "config", None) or {}
    return config.get("privacy") or {}


def setting(tenant: Any, key: str) -> int:
    return int(_section(tenant).get(key, DEFAULTS[key]))


def retention_period(tenant: Any) -> timedelta:
    """How long without activity before a person is pseudonymised (years of 365.25 days)."""
    return timedelta(days=round(setting(tenant, "retention_years") * 365.25))


def mail_body_period(tenant: Any) -> timedelta:
    return timedelta(days=setting(tenant, "mail_body_days"))


def erasure_delay(tenant: Any) -> timedelta:
    return timedelta(days=setting(tenant, "erasure_after_withdrawal_days"))


def purposes(tenant: Any) -> list[Purpose]:
    """The branch's purposes in their configured order (the code's two when unconfigured)."""
    configured = _section(tenant).get("purposes") or []
    found = [
        Purpose(
            key=item["key"],
            version=str(item.get("version") or DEFAULT_VERSIONS.get(item["key"], "1")),
            required=bool(item.get("required", False)),
            title=dict(item.get("title") or {}),
            text=dict(item.get("text") or {}),
        )
        for item in configured
        if isinstance(item, dict) and item.get("key")
    ]
    known = {p.key for p in found}
    for key, version in DEFAULT_VERSIONS.items():
        if key not in known:
            found.append(Purpose(key, version, key == PRIVACY_NOTICE, {}, {}))
    return found


def purpose(tenant: Any, key: str) -> Purpose | None:
    return next((p for p in purposes(tenant) if p.key == key), None)


def text_version(tenant: Any, key: str) -> str:
    found = purpose(tenant, key)
    return found.version if found is not None else DEFAULT_VERSIONS.get(key, "1")
