"""Matching constraints naming a person (pairs locked or excluded), for their copy."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_

from duo.matching.models import MatchingConstraint
from duo.privacy.gdpr import rows


def personal_data(person_id: uuid.UUID) -> dict[str, Any]:
    return {
        "matching_constraints": rows(
            MatchingConstraint,
            or_(
                MatchingConstraint.mentee_id == person_id, MatchingConstraint.mentor_id == person_id
            ),
        )
    }
