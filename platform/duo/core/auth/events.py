"""Security events of staff accounts, announced for the audit log (:mod:`duo.core.audit`).

The account code emits :data:`SECURITY_EVENT` with ``(action, user, actor=..., details=...)``
and the audit log, which plugs in, writes it down; the accounts never import the log.
``actor`` is who did it: the user themselves, or None for an operator's command or the
system (a session that timed out). ``details`` never holds a password, code or token.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context

from duo.core.hooks import Event

LOGIN = "login"
LOGIN_FAILED = "login.failed"
TWO_FACTOR_ENROL = "2fa.enrol"
TWO_FACTOR_RESET = "2fa.reset"
RECOVERY_CODE_USED = "2fa.recovery_code"
PASSWORD_CHANGE = "password.change"
PASSWORD_RESET = "password.reset"
SESSION_END = "session.end"
ACCOUNT_DEACTIVATE = "account.deactivate"

SECURITY_EVENT = Event("auth.security_event", "A staff account's security event.")


def emit(action: str, user: Any, *, actor: Any = None, **details: Any) -> None:
    if not has_app_context() or current_app.extensions.get("duo.hooks") is None:
        return
    SECURITY_EVENT.emit(action, user, actor=actor, details=details)
