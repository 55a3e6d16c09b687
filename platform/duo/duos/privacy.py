"""What duos hold about a person, for their rights (see :mod:`duo.privacy.gdpr`).

The copy holds the person's duos with their history, decisions, signatures, documents,
check-ins, events and alerts. The erasure keeps every duo row, its states and dates (the
reports count the duo as before) and removes what names or describes the person: signed
names, the agreement PDF, free text (stop reasons, notes, decision reasons), the place of
the first meeting, and the person's name in the partner's history ("Duo proposed with").
Withdrawing the privacy consent stops the person's open duo.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select

from duo.core.db import db
from duo.duos import states
from duo.duos.lifecycle import InvalidDuoTransition, transition
from duo.duos.models import (
    Duo,
    DuoAlert,
    DuoCheckIn,
    DuoDecision,
    DuoDocument,
    DuoEvent,
    DuoSignature,
    DuoStateChange,
)
from duo.people import history
from duo.people.models import Person, StateChange
from duo.people.privacy import CONSENT_WITHDRAWN, ERASED, pseudonym
from duo.privacy.gdpr import rows


def _duos_of(person_id: uuid.UUID) -> list[Duo]:
    return list(
        db.session.execute(
            select(Duo).where(or_(Duo.mentee_id == person_id, Duo.mentor_id == person_id))
        ).scalars()
    )


def _party(duo: Duo, person_id: uuid.UUID) -> str:
    return "mentee" if duo.mentee_id == person_id else "mentor"


def personal_data(person_id: uuid.UUID) -> dict[str, Any]:
    duos = _duos_of(person_id)
    ids = [d.id for d in duos]
    parties = {d.id: _party(d, person_id) for d in duos}

    def own(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [i for i in items if i.get("party") == parties.get(uuid.UUID(i["duo_id"]))]

    mine_or_staff = or_(DuoCheckIn.by_person_id == person_id, DuoCheckIn.by_person_id.is_(None))
    return {
        "duos": rows(Duo, Duo.id.in_(ids)),
        "duo_history": rows(DuoStateChange, DuoStateChange.duo_id.in_(ids)),
        "duo_decisions": own(rows(DuoDecision, DuoDecision.duo_id.in_(ids))),
        "duo_signatures": own(rows(DuoSignature, DuoSignature.duo_id.in_(ids))),
        "duo_documents": rows(DuoDocument, DuoDocument.duo_id.in_(ids)),
        "check_ins": rows(DuoCheckIn, DuoCheckIn.duo_id.in_(ids), mine_or_staff),
        "duo_events": rows(
            DuoEvent,
            DuoEvent.duo_id.in_(ids),
            or_(DuoEvent.by_person_id == person_id, DuoEvent.by_person_id.is_(None)),
        ),
        "duo_alerts": rows(DuoAlert, DuoAlert.duo_id.in_(ids)),
    }


def _scrub(text: str | None) -> str | None:
    return None if text is None else history.reason(ERASED)


def erase(person_id: uuid.UUID) -> None:
    person = db.session.execute(select(Person).where(Person.id == person_id)).scalar_one_or_none()
    duos = _duos_of(person_id)
    if person is None or not duos:
        return
    ids = [d.id for d in duos]
    names = {person.full_name, person.first_name}
    for duo in duos:
        party = _party(duo, person_id)
        duo.stop_reason = _scrub(duo.stop_reason)
        duo.first_meeting_place = None
        duo.first_meeting_video_url = None
        for signature in db.session.execute(
            select(DuoSignature).where(DuoSignature.duo_id == duo.id, DuoSignature.party == party)
        ).scalars():
            signature.full_name = pseudonym(person_id)
        for decision in db.session.execute(
            select(DuoDecision).where(DuoDecision.duo_id == duo.id, DuoDecision.party == party)
        ).scalars():
            decision.reason = _scrub(decision.reason)
            decision.on_behalf_reason = _scrub(decision.on_behalf_reason)
        partner_id = duo.mentor_id if party == "mentee" else duo.mentee_id
        for change in db.session.execute(
            select(StateChange).where(StateChange.person_id == partner_id)
        ).scalars():
            if change.reason:
                for name in sorted(names, key=len, reverse=True):
                    for form in (json.dumps(name)[1:-1], name):
                        change.reason = change.reason.replace(form, pseudonym(person_id))
    for change in db.session.execute(
        select(DuoStateChange).where(DuoStateChange.duo_id.in_(ids))
    ).scalars():
        change.reason = _scrub(change.reason)
    # Notes the person wrote, and the staff's notes on the duo: either may name them.
    for model in (DuoCheckIn, DuoEvent):
        for row in db.session.execute(
            select(model).where(
                model.duo_id.in_(ids),
                or_(model.by_person_id == person_id, model.by_person_id.is_(None)),
            )
        ).scalars():
            row.note = None
    db.session.execute(delete(DuoDocument).where(DuoDocument.duo_id.in_(ids)))
    db.session.flush()


def last_activity() -> dict[uuid.UUID, datetime]:
    """A duo's last step or check-in counts for both of its people."""
    latest: dict[uuid.UUID, datetime] = {}
    steps = (
        select(Duo.mentee_id, Duo.mentor_id, func.max(DuoStateChange.at))
        .join(
            DuoStateChange,
            (DuoStateChange.duo_id == Duo.id) & (DuoStateChange.tenant_id == Duo.tenant_id),
        )
        .group_by(Duo.mentee_id, Duo.mentor_id)
    )
    check_ins = (
        select(Duo.mentee_id, Duo.mentor_id, func.max(DuoCheckIn.at))
        .join(DuoCheckIn, (DuoCheckIn.duo_id == Duo.id) & (DuoCheckIn.tenant_id == Duo.tenant_id))
        .group_by(Duo.mentee_id, Duo.mentor_id)
    )
    for stmt in (steps, check_ins):
        for mentee_id, mentor_id, moment in db.session.execute(stmt):
            for person_id in (mentee_id, mentor_id):
                if moment is not None and (person_id not in latest or moment > latest[person_id]):
                    latest[person_id] = moment
    return latest


def on_consent_withdrawn(person_id: uuid.UUID, by: object | None) -> None:
    """An open duo stops: the person no longer takes part."""
    for duo in _duos_of(person_id):
        if duo.state in states.OPEN:
            try:
                transition(duo, states.STOPPED, by=by, reason=history.reason(CONSENT_WITHDRAWN))
            except InvalidDuoTransition:
                continue
