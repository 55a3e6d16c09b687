"""A person's rights over their data: a copy (export), erasure, withdrawal of consent, and
the retention of what the branch no longer needs.

Privacy is the lowest capability: it knows a person only by id. Every capability that
holds something about a person plugs it in here through three hooks, in its ``plugin.py``:

- :data:`PERSONAL_DATA` — ``(person_id) -> {section: rows}``: what it holds (the export);
- :data:`ERASERS` — ``(person_id) -> None``: remove or pseudonymise it (the erasure). The
  erasers run in the reverse order of the layers, so a later capability still reads the
  person's name (e.g. to take it out of the partner's history) before the register of
  people pseudonymises it;
- :data:`LAST_ACTIVITY` — ``() -> {person_id: moment}``: the latest thing that happened to
  each person of the branch, for the retention job.

And :data:`CONSENT_WITHDRAWN` (an event, ``(person_id, by)``): the privacy consent was
withdrawn, so processing stops — the register takes the person out of the pipeline, an
open duo is stopped, training places are given up.

**Erasure keeps the statistical trace.** The person's row stays with its role, state,
dates, locale, year of birth and sector categories; names, contacts, free text, special-
category facts, e-mails and personal links go. The reports (rollups per month, measure and
category) count the person and their duo exactly as before.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, inspect, or_, select

from duo.core.db import db, utcnow
from duo.core.hooks import Event, Hook
from duo.core.links.models import PersonalLink
from duo.core.mail.models import FAILED, QUEUED, OutgoingMail
from duo.core.tenancy.context import require_tenant_id
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import BranchRead
from duo.privacy import config, consent
from duo.privacy.models import (
    ASKED,
    COORDINATOR,
    RETENTION,
    WITHDRAWAL,
    Consent,
    Erasure,
)

#: ``(person_id) -> dict[str, list[dict]]``: sections of a person's export.
PERSONAL_DATA: Hook[Callable[[uuid.UUID], dict[str, Any]]] = Hook(
    "privacy.personal_data", "What a capability holds about a person (for their export)."
)
#: ``(person_id) -> None``: remove or pseudonymise what a capability holds about a person.
ERASERS: Hook[Callable[[uuid.UUID], None]] = Hook(
    "privacy.erasers", "Remove or pseudonymise a person's data (keep the statistics)."
)
#: ``() -> dict[uuid.UUID, datetime]``: the latest activity of each person of the branch.
LAST_ACTIVITY: Hook[Callable[[], dict[uuid.UUID, datetime]]] = Hook(
    "privacy.last_activity", "The latest activity per person of the current branch."
)
#: ``(person_id, by)``: the privacy consent was withdrawn; stop processing the person.
CONSENT_WITHDRAWN = Event("privacy.consent_withdrawn", "A person withdrew the privacy consent.")

EXPORT_FORMAT = "duo-personal-data/1"
#: Columns never exported (secrets, or the branch's internal key).
_NOT_EXPORTED = frozenset({"token_hash", "tenant_id", "key_hash"})


# --------------------------------------------------------------------------- export


def _value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def as_dict(row: Any) -> dict[str, Any]:
    """A row's columns as JSON values (uuids and moments as text, bytes as base64)."""
    mapper = inspect(type(row))
    return {
        attr.key: _value(getattr(row, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in _NOT_EXPORTED
    }


def rows(model: type, *where: Any, order_by: Any = None) -> list[dict[str, Any]]:
    """Every row of ``model`` matching ``where`` (in the current branch), as dicts."""
    stmt = select(model).where(*where)
    if order_by is not None:
        stmt = stmt.order_by(order_by)
    return [as_dict(row) for row in db.session.execute(stmt).scalars()]


def own_data(person_id: uuid.UUID) -> dict[str, Any]:
    """What privacy and the core hold: the consent ledger, erasures, e-mails, links."""
    return {
        "consents": rows(Consent, Consent.person_id == person_id, order_by=Consent.given_at),
        "erasures": rows(Erasure, Erasure.person_id == person_id),
        "emails": rows(
            OutgoingMail, OutgoingMail.person_id == person_id, order_by=OutgoingMail.created_at
        ),
        "personal_links": rows(
            PersonalLink, PersonalLink.person_id == person_id, order_by=PersonalLink.created_at
        ),
    }


def export(person_id: uuid.UUID) -> dict[str, Any]:
    """Everything the branch holds about the person, as one JSON-ready document."""
    tenant = db.session.get(Tenant, require_tenant_id())
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow().isoformat(),
        "branch": tenant.slug if tenant is not None else None,
        "person_id": str(person_id),
    }
    for provider in PERSONAL_DATA.items():
        document.update(provider(person_id))
    document.update(own_data(person_id))
    return document


# --------------------------------------------------------------------------- erasure


def erasure_of(person_id: uuid.UUID) -> Erasure | None:
    """The person's erasure, done or scheduled (the latest), or None."""
    return db.session.execute(
        select(Erasure)
        .where(Erasure.person_id == person_id)
        .order_by(Erasure.done_at.is_(None), Erasure.requested_at.desc())
        .limit(1)
    ).scalar_one_or_none()


#: The person page shows when the erasure is due or was done, on every visit.
_DATES = BranchRead(
    lambda: (
        select(Erasure.due_at, Erasure.done_at)
        .where(Erasure.person_id == bindparam("person_id", type_=Erasure.person_id.type))
        .order_by(Erasure.done_at.is_(None), Erasure.requested_at.desc())
        .limit(1)
    )
)


def erasure_dates(person_id: uuid.UUID) -> Row | None:
    """When the person's erasure (as :func:`erasure_of` finds it) is due and was done, or
    None: what a page shows of it, read as a row built once per branch."""
    return _DATES(person_id=person_id).first()


def is_erased(person_id: uuid.UUID) -> bool:
    found = erasure_of(person_id)
    return found is not None and found.done_at is not None


def mail_withheld(person_id: uuid.UUID) -> bool:
    """No mail for a person who is erased or whose erasure is scheduled (consent withdrawn)."""
    return (
        db.session.execute(select(Erasure.id).where(Erasure.person_id == person_id)).first()
        is not None
    )


def _drop_own(person_id: uuid.UUID) -> None:
    db.session.execute(delete(OutgoingMail).where(OutgoingMail.person_id == person_id))
    db.session.execute(delete(PersonalLink).where(PersonalLink.person_id == person_id))


def erase(person_id: uuid.UUID, *, reason: str = ASKED, by: object | None = None) -> Erasure:
    """Remove or pseudonymise the person's data now; idempotent (an erased person stays so).

    The consent ledger stays: it proves what was agreed and holds no personal data beyond
    the person's id.
    """
    found = erasure_of(person_id)
    if found is not None and found.done_at is not None:
        return found
    for eraser in reversed(ERASERS.items()):
        eraser(person_id)
    _drop_own(person_id)
    now = utcnow()
    if found is None:
        found = Erasure(person_id=person_id, reason=reason, requested_at=now, due_at=now)
        db.session.add(found)
    found.done_at = now
    found.by_user_id = getattr(by, "id", None) or found.by_user_id
    db.session.flush()
    return found


def schedule_erasure(
    person_id: uuid.UUID, *, reason: str, due_at: datetime, by: object | None = None
) -> Erasure:
    found = erasure_of(person_id)
    if found is not None:
        if found.done_at is None and due_at < found.due_at:
            found.due_at = due_at
        return found
    found = Erasure(
        person_id=person_id,
        reason=reason,
        requested_at=utcnow(),
        due_at=due_at,
        by_user_id=getattr(by, "id", None),
    )
    db.session.add(found)
    db.session.flush()
    return found


# --------------------------------------------------------------------------- withdrawal


@dataclass(frozen=True)
class Withdrawal:
    """What withdrawing the privacy consent did."""

    purposes: tuple[str, ...]
    erasure: Erasure | None


class _Person:
    def __init__(self, person_id: uuid.UUID) -> None:
        self.id = person_id


def withdraw(
    person_id: uuid.UUID,
    kind: str,
    *,
    channel: str = COORDINATOR,
    by: object | None = None,
    locale: str | None = None,
) -> Withdrawal:
    """Withdraw one purpose. A required purpose (the privacy notice) ends taking part:

    every other purpose is withdrawn with it, the person leaves the pipeline and their duo
    (:data:`CONSENT_WITHDRAWN`), mails to them stop, their personal links stop working
    (except the one to this page), and their data is erased after the branch's
    ``erasure_after_withdrawal_days`` (at once when that is 0).
    """
    person = _Person(person_id)
    tenant = db.session.get(Tenant, require_tenant_id())
    purpose = config.purpose(tenant, kind)
    if purpose is None:
        raise ValueError(kind)
    if not purpose.required:
        n = consent.withdraw(person, kind, channel=channel, by=by, locale=locale)
        return Withdrawal((kind,) if n else (), None)
    ended = tuple(
        p.key
        for p in config.purposes(tenant)
        if consent.withdraw(person, p.key, channel=channel, by=by, locale=locale)
    )
    if not ended:
        return Withdrawal((), erasure_of(person_id))
    # Mails stop first: what the listeners below would send the person is withheld.
    erasure = schedule_erasure(
        person_id, reason=WITHDRAWAL, due_at=utcnow() + config.erasure_delay(tenant), by=by
    )
    db.session.execute(
        delete(OutgoingMail).where(
            OutgoingMail.person_id == person_id, OutgoingMail.status.in_((QUEUED, FAILED))
        )
    )
    now = utcnow()
    for link in db.session.execute(
        select(PersonalLink).where(
            PersonalLink.person_id == person_id,
            PersonalLink.revoked_at.is_(None),
            PersonalLink.purpose != LINK_PURPOSE,
        )
    ).scalars():
        link.revoked_at = now
    CONSENT_WITHDRAWN.emit(person_id, by)
    if erasure.due_at <= utcnow():
        erasure = erase(person_id, reason=WITHDRAWAL, by=by)
    db.session.flush()
    return Withdrawal(ended, erasure)


#: The personal link to a person's privacy page ("what I agreed to; withdraw").
LINK_OBJECT = "person"
LINK_PURPOSE = "privacy"


# --------------------------------------------------------------------------- retention


@dataclass
class RetentionPlan:
    """What the retention job does (or, in a dry run, would do) in one branch."""

    branch: str
    pseudonymise: list[uuid.UUID]
    scheduled: list[uuid.UUID]
    cancelled: list[uuid.UUID]
    mail_bodies: int

    @property
    def empty(self) -> bool:
        return not (self.pseudonymise or self.scheduled or self.cancelled or self.mail_bodies)


def last_activity() -> dict[uuid.UUID, datetime]:
    """The latest activity of every person of the branch, over every capability."""
    latest: dict[uuid.UUID, datetime] = {}
    for provider in LAST_ACTIVITY.items():
        for person_id, moment in provider().items():
            if moment is not None and (person_id not in latest or moment > latest[person_id]):
                latest[person_id] = moment
    for person_id, moment in db.session.execute(select(Consent.person_id, Consent.given_at)):
        if person_id not in latest or moment > latest[person_id]:
            latest[person_id] = moment
    return latest


def _mail_bodies_due(tenant: Tenant, now: datetime) -> Any:
    return select(OutgoingMail).where(
        OutgoingMail.created_at < now - config.mail_body_period(tenant),
        OutgoingMail.status.notin_((QUEUED, FAILED)),
        or_(OutgoingMail.text != "", OutgoingMail.html.is_not(None)),
    )


def plan_retention(tenant: Tenant, now: datetime | None = None) -> RetentionPlan:
    """What retention means today for ``tenant`` (call inside its scope); changes nothing."""
    now = now or utcnow()
    done = set(
        db.session.execute(select(Erasure.person_id).where(Erasure.done_at.is_not(None))).scalars()
    )
    pending = db.session.execute(select(Erasure).where(Erasure.done_at.is_(None))).scalars().all()
    cutoff = now - config.retention_period(tenant)
    stale = sorted(
        (pid for pid, moment in last_activity().items() if moment < cutoff and pid not in done),
        key=str,
    )
    scheduled, cancelled = [], []
    for erasure in pending:
        if erasure.reason == WITHDRAWAL and consent.has_consent(
            _Person(erasure.person_id), config.PRIVACY_NOTICE
        ):
            cancelled.append(erasure.person_id)  # signed up again since: consent stands
        elif erasure.due_at <= now:
            scheduled.append(erasure.person_id)
    stale = [pid for pid in stale if pid not in scheduled and pid not in cancelled]
    bodies = len(db.session.execute(_mail_bodies_due(tenant, now)).scalars().all())
    return RetentionPlan(tenant.slug, stale, sorted(scheduled, key=str), cancelled, bodies)


def apply_retention(tenant: Tenant, now: datetime | None = None) -> RetentionPlan:
    """Do what :func:`plan_retention` says; running it again the same day changes nothing."""
    now = now or utcnow()
    plan = plan_retention(tenant, now)
    for person_id in plan.cancelled:
        db.session.execute(
            delete(Erasure).where(Erasure.person_id == person_id, Erasure.done_at.is_(None))
        )
    for person_id in plan.scheduled:
        erase(person_id, reason=WITHDRAWAL)
    for person_id in plan.pseudonymise:
        erase(person_id, reason=RETENTION)
    for mail in db.session.execute(_mail_bodies_due(tenant, now)).scalars():
        mail.text, mail.html, mail.attachments = "", None, []
    db.session.flush()
    return plan
