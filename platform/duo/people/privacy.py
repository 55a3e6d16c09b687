"""What the register of candidates holds about a person, for their rights (see
:mod:`duo.privacy.gdpr`): the copy, the erasure (the row stays, pseudonymised, so every
count still holds), the latest activity, and leaving the pipeline when the privacy consent
is withdrawn."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from duo.core.db import db
from duo.core.i18n import sentences
from duo.people import history, states
from duo.people.models import Person, Profile, StateChange
from duo.people.pipeline import transition
from duo.privacy.gdpr import rows

CONSENT_WITHDRAWN = sentences.register(
    "privacy.withdrawn", _l("Withdrew the consent to the privacy notice")
)
ERASED = sentences.register("privacy.erased", _l("Details erased"))

#: Profile fields kept after an erasure: categories the reports count by, nothing personal.
KEPT_PROFILE_FIELDS = frozenset(
    {
        "id",
        "tenant_id",
        "person_id",
        "target_sector",
        "sectors",
        "education_level",
        "working_status",
        "digital_skills",
        "intake_at",
        "intake_by_user_id",
        "updated_at",
    }
)


def personal_data(person_id: uuid.UUID) -> dict[str, Any]:
    return {
        "person": (rows(Person, Person.id == person_id) or [None])[0],
        "profile": (rows(Profile, Profile.person_id == person_id) or [None])[0],
        "history": rows(StateChange, StateChange.person_id == person_id, order_by=StateChange.at),
    }


def pseudonym(person_id: uuid.UUID) -> str:
    return f"#{person_id.hex[:8]}"


def _plain(reason: str | None) -> str | None:
    """A stored reason that is a bare platform code (no parameters, no typed words) stays."""
    if reason is None:
        return None
    if reason.startswith(sentences.PREFIX) and "\n" not in reason and " " not in reason:
        return reason
    return history.reason(ERASED)


def erase(person_id: uuid.UUID) -> None:
    person = db.session.execute(select(Person).where(Person.id == person_id)).scalar_one_or_none()
    if person is None:
        return
    profile = db.session.execute(
        select(Profile).where(Profile.person_id == person_id)
    ).scalar_one_or_none()
    if profile is not None:
        if profile.birth_date is not None:
            person.birth_year = profile.birth_date.year  # the age band stays right
        for column in Profile.__table__.columns:
            key = column.key
            if key in KEPT_PROFILE_FIELDS or key in ("tenant_id", "id"):
                continue
            value = getattr(profile, key)
            empty = [] if isinstance(value, list) else {} if isinstance(value, dict) else None
            setattr(profile, key, empty)
    person.first_name = pseudonym(person_id)
    person.last_name = "—"
    person.email = f"erased-{person_id.hex}@erased.invalid"
    person.phone = None
    for change in db.session.execute(
        select(StateChange).where(StateChange.person_id == person_id)
    ).scalars():
        change.reason = _plain(change.reason)
    db.session.flush()


def last_activity() -> dict[uuid.UUID, datetime]:
    latest: dict[uuid.UUID, datetime] = {}
    for person_id, created, changed, updated in db.session.execute(
        select(Person.id, Person.created_at, Person.state_changed_at, Profile.updated_at).outerjoin(
            Profile, (Profile.person_id == Person.id) & (Profile.tenant_id == Person.tenant_id)
        )
    ):
        latest[person_id] = max(m for m in (created, changed, updated) if m is not None)
    return latest


def on_consent_withdrawn(person_id: uuid.UUID, by: object | None) -> None:
    """The person no longer takes part: out of the pipeline, recorded in their history."""
    person = db.session.execute(select(Person).where(Person.id == person_id)).scalar_one_or_none()
    if person is None or person.state == states.WITHDRAWN:
        return
    transition(person, states.WITHDRAWN, by=by, reason=history.reason(CONSENT_WITHDRAWN))
