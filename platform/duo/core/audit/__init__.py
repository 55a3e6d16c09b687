"""An audit trail of what staff did with people's data, and of staff accounts' security.

One row per event in ``audit_events`` (branch-owned: scoped and row-level secured like the
people it is about), append-only for the application (:mod:`duo.core.audit.models`).
:func:`record` adds the row in the caller's transaction, so an action and its audit entry
commit together or not at all.

What is recorded (:data:`KINDS`): a person's page or intake form opened, their data or
step changed by staff, eligibility overrides, exports; and for staff accounts: logins,
failed logins, two-factor enrolment, reset and recovery-code use, password changes and
resets, sessions ended, deactivation. An account event (:func:`record_account`) is written
into the log of every branch where the user is a coordinator, since that is where their
coordinators look. HQ-only accounts and failed logins for an unknown address belong to no
branch: they go to the ``duo.audit`` application log (user id only), not to a page.

A row holds ids (the actor's user id, the person's id) and a few non-personal details:
never a password, a token, a code, a search term or a person's name, so that erasing a
person (GDPR) never needs to touch the log. Names are looked up when the page is shown.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert
from sqlalchemy.exc import OperationalError

from duo.core.audit.models import AuditEvent, AuditLogIsAppendOnly
from duo.core.auth.events import (
    ACCOUNT_DEACTIVATE,
    LOGIN,
    LOGIN_FAILED,
    PASSWORD_CHANGE,
    PASSWORD_RESET,
    RECOVERY_CODE_USED,
    SESSION_END,
    TWO_FACTOR_ENROL,
    TWO_FACTOR_RESET,
)
from duo.core.db import db, utcnow
from duo.core.tenancy.context import current_tenant_id, tenant_scope

__all__ = [
    "KINDS",
    "AuditEvent",
    "AuditLogIsAppendOnly",
    "record",
    "record_account",
]

log = logging.getLogger("duo.audit")

PERSON_VIEW = "person.view"
PERSON_EDIT = "person.edit"
PERSON_STATE = "person.state"
ELIGIBILITY_OVERRIDE = "eligibility.override"
EXPORT = "export"
IMPORT = "import"

#: Every kind of event, with its label for the log page (other kinds show as written).
KINDS: dict[str, Any] = {
    PERSON_VIEW: _l("Person's data viewed (their page, intake or duo)"),
    PERSON_EDIT: _l("Person's data changed"),
    PERSON_STATE: _l("Person's step changed"),
    ELIGIBILITY_OVERRIDE: _l("Eligibility overridden"),
    EXPORT: _l("Export"),
    IMPORT: _l("Import"),
    LOGIN: _l("Login"),
    LOGIN_FAILED: _l("Failed login"),
    TWO_FACTOR_ENROL: _l("Two-factor authentication set up"),
    TWO_FACTOR_RESET: _l("Two-factor authentication reset"),
    RECOVERY_CODE_USED: _l("Recovery code used"),
    PASSWORD_CHANGE: _l("Password changed"),
    PASSWORD_RESET: _l("Password reset"),
    SESSION_END: _l("Session ended"),
    ACCOUNT_DEACTIVATE: _l("Account deactivated"),
}

#: Keys never kept in ``details``, whatever a caller passes.
_SECRET_WORDS = ("password", "token", "secret", "code", "key", "q")


def _clean(details: dict | None) -> dict:
    cleaned = {}
    for key, value in (details or {}).items():
        name = str(key).lower()
        if name in _SECRET_WORDS or any(w in name for w in _SECRET_WORDS[:-1]):
            continue
        if isinstance(value, dict):
            value = _clean(value)
        elif isinstance(value, str):
            value = value[:200]
        cleaned[str(key)[:40]] = value
    return cleaned


def record(
    action: str,
    obj: str,
    *,
    actor: Any = None,
    details: dict | None = None,
    person_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Record ``actor`` did ``action`` on ``obj`` (e.g. "export", "people.csv") now.

    ``person_id`` names the person whose data it was, for the log's person filter.
    """
    event = AuditEvent(
        actor_user_id=getattr(actor, "id", None),
        action=action[:40],
        object=obj[:200],
        person_id=person_id,
        details=_clean(details),
        at=utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    return event


def record_view(obj: str, *, actor: Any, person_id: uuid.UUID) -> None:
    """Record that ``actor`` viewed a person's data (their page, intake form, duo page).

    In a request the row is written after the page's own commit, in a short transaction
    of its own (:func:`write_views`): a page is a read, and on SQLite a read transaction
    that turns into a write fails at once ("database is locked") when another request
    writes at the same moment, where a transaction that starts with its write waits its
    turn. Outside a request (a test, a command) it is written at once.
    """
    if not has_request_context():
        record(PERSON_VIEW, obj, actor=actor, person_id=person_id)
        return
    g.setdefault("duo_audit_views", []).append(
        {
            "tenant_id": current_tenant_id(),
            "actor_user_id": getattr(actor, "id", None),
            "action": PERSON_VIEW,
            "object": obj[:200],
            "person_id": person_id,
            "details": {},
            "at": utcnow(),
        }
    )


def write_views(response: Any) -> Any:
    """After the page's commit: the views it recorded, in a transaction of their own.

    A page that failed (4xx/5xx) showed no data, so its views are dropped. Should the
    write still meet a lock after SQLite's own wait, it is tried twice more; a view that
    cannot be written is logged (without the person) rather than failing the page.
    """
    pending = g.pop("duo_audit_views", None)
    if not pending or response.status_code >= 400:
        return response
    for attempt in range(3):
        try:
            # A plain INSERT of the rows (the branch named in each), not objects through
            # the session's unit of work: flushing the one event a duo page records was a
            # tenth of that page's profile.
            db.session.execute(insert(AuditEvent), pending)
            db.session.commit()
            return response
        except OperationalError:
            db.session.rollback()
            time.sleep(0.05 * (attempt + 1))
    log.error("audit: %d view event(s) could not be written", len(pending))
    return response


def install(app: Any) -> None:
    """Registered before the app's commit handler, so it runs after it."""
    app.after_request(write_views)


def record_account(
    action: str, user: Any, *, actor: Any = None, details: dict | None = None
) -> list[AuditEvent]:
    """An event of a staff account, in the log of each branch ``user`` coordinates.

    ``actor`` is who did it (None: an operator's command or the system).
    The caller's branch scope is restored afterwards.
    """
    actor_id = getattr(actor, "id", None)
    branches = list(getattr(user, "branch_ids", []) or [])
    if not branches:
        log.info("audit %s user=%s actor=%s", action, getattr(user, "id", None), actor_id or "-")
        return []
    events = []
    outer = current_tenant_id()
    for tenant_id in branches:
        if tenant_id == outer:
            events.append(_account_row(action, user, actor_id, details))
            continue
        with tenant_scope(tenant_id):
            events.append(_account_row(action, user, actor_id, details))
    return events


def _account_row(action: str, user: Any, actor_id: int | None, details: dict | None):
    event = AuditEvent(
        actor_user_id=actor_id,
        action=action[:40],
        object=f"user:{getattr(user, 'id', '')}",
        details=_clean(details),
        at=utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    return event


def on_security_event(action: str, user: Any, *, actor: Any = None, details: dict | None = None):
    """The listener of :data:`duo.core.auth.events.SECURITY_EVENT` (a staff account's event)."""
    if user is None:  # e.g. a failed login for an address that is no account: no branch
        log.info("audit %s user=unknown", action)
        return
    record_account(action, user, actor=actor, details=details)
