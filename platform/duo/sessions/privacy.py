"""What information sessions hold about a person (their registrations), for their copy
(see :mod:`duo.privacy.gdpr`); a registration holds nothing personal beyond the person's
id, so the erasure keeps it (attendance still counts) and it counts as activity."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from duo.core.db import db
from duo.privacy.gdpr import rows
from duo.sessions.models import Registration


def personal_data(person_id: uuid.UUID) -> dict[str, Any]:
    return {
        "info_session_registrations": rows(
            Registration, Registration.person_id == person_id, order_by=Registration.registered_at
        )
    }


def last_activity() -> dict[uuid.UUID, datetime]:
    return dict(
        db.session.execute(
            select(Registration.person_id, func.max(Registration.registered_at)).group_by(
                Registration.person_id
            )
        ).all()
    )
