"""After a change the figures are made of, a debounced refresh of that branch's rollups.

A flush that writes rows of a watched table (people, their history and profiles,
registrations, eligibility decisions, duos and what follows them) marks the branch; just
before the transaction commits, one refresh job per marked branch is written into the same
transaction (:func:`duo.reporting.refresh.request_refresh`), so a change and the request to
count it are committed together, and nothing needs to know reporting exists. The tables are
matched by name: steps added later (meetings, evaluations, outcomes) are watched by prefix.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from duo.core.tenancy.context import current_tenant_id
from duo.reporting.refresh import request_refresh

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


@event.listens_for(Session, "after_flush")
def _mark(session: Session, flush_context) -> None:  # noqa: ANN001
    tenant_id = current_tenant_id()
    if tenant_id is None:
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(getattr(obj, "__table__", None), "name", "")
        if watched(table):
            session.info.setdefault(_KEY, set()).add(tenant_id)
            return


@event.listens_for(Session, "before_commit")
def _request(session: Session) -> None:
    dirty = session.info.pop(_KEY, None)
    if not dirty:
        return
    for tenant_id in sorted(dirty):
        request_refresh(tenant_id)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)
