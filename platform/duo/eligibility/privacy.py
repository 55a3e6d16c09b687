"""Eligibility decisions of a person, for their rights (see :mod:`duo.privacy.gdpr`): the
copy holds every decision with its rule-by-rule reasons; the erasure keeps each decision's
outcome, kind, date and rules' version (the reports count them) and removes the facts the
reasons quote (age, background...) and a coordinator's written justification."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from duo.core.db import db
from duo.eligibility.models import EligibilityDecision
from duo.people import history
from duo.people.privacy import ERASED
from duo.privacy.gdpr import rows


def personal_data(person_id: uuid.UUID) -> dict[str, Any]:
    return {
        "eligibility_decisions": rows(
            EligibilityDecision,
            EligibilityDecision.person_id == person_id,
            order_by=EligibilityDecision.decided_at,
        )
    }


def _without_params(result: dict[str, Any]) -> dict[str, Any]:
    cleaned = {**result, "params": {}}
    if result.get("sub_results"):
        cleaned["sub_results"] = [_without_params(sub) for sub in result["sub_results"]]
    return cleaned


def erase(person_id: uuid.UUID) -> None:
    for decision in db.session.execute(
        select(EligibilityDecision).where(EligibilityDecision.person_id == person_id)
    ).scalars():
        evaluation = dict(decision.evaluation or {})
        evaluation["results"] = [_without_params(r) for r in evaluation.get("results", [])]
        decision.evaluation = evaluation
        if decision.justification is not None:
            decision.justification = history.reason(ERASED)
    db.session.flush()
