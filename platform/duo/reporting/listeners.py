"""After a change the figures are made of, a debounced refresh of that branch's rollups.

A flush that writes rows of a watched table (people, their history and profiles,
registrations, eligibility decisions, duos and what follows them) writes, in the same
transaction, one refresh job for the branch and the current minute
(:func:`duo.reporting.refresh.request_refresh_on`, an insert that does nothing when the
minute's job exists), so a change and the request to count it are committed together, and
nothing needs to know reporting exists. The listeners
are SQLAlchemy's, process-wide: :func:`connect` (called by the factory through
``reporting/plugin.py``) attaches them once, however many apps a process builds. The tables are
matched by name: steps added later (meetings, evaluations, outcomes) are watched by prefix.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from duo.core.tenancy.context import current_tenant_id
from duo.reporting.refresh import refresh_slot, request_refresh_on

WATCHED = {
    "people",
    "person_state_changes",
    "person_profiles",
    "info_session_registrations",
    "eligibility_decisions",
    "duos",
    "duo_state_changes",
}
WATCHED_PREFIXES = ("duo_", "evaluation", "outcome", "survey")
_KEY = "duo_reporting_dirty"


def watched(table: str) -> bool:
    return table in WATCHED or table.startswith(WATCHED_PREFIXES)


def _request(session: Session, flush_context) -> None:
    tenant_id = current_tenant_id()
    if tenant_id is None:
        return
    if not any(
        watched(getattr(getattr(obj, "__table__", None), "name", ""))
        for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        return
    asked = session.info.setdefault(_KEY, set())
    key, _run_after = refresh_slot(tenant_id)
    if key in asked:
        return  # this transaction already asked for this minute's refresh
    request_refresh_on(session.connection(), tenant_id)
    asked.add(key)


def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)


_LISTENERS = (("after_flush", _request), ("after_commit", _forget), ("after_rollback", _forget))


def connect(app: Flask | None = None) -> None:
    """Attach the listeners to every ORM session of the process (idempotent)."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
