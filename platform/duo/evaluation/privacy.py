"""Evaluations and outcomes of a person, for their rights (see :mod:`duo.privacy.gdpr`):
the copy holds their survey answers, outcome questions and outcomes; the erasure keeps the
answers on a scale and the outcomes (the reports count them) and removes free text."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select

from duo.core.db import db
from duo.core.tenancy.context import require_tenant_id
from duo.core.tenancy.models import Tenant
from duo.duos.models import Duo
from duo.evaluation.models import EvaluationAnswer, Outcome, OutcomeAsk
from duo.privacy.gdpr import as_dict, rows


def _parties(person_id: uuid.UUID) -> dict[uuid.UUID, str]:
    return {
        duo_id: ("mentee" if mentee_id == person_id else "mentor")
        for duo_id, mentee_id in db.session.execute(
            select(Duo.id, Duo.mentee_id).where(
                or_(Duo.mentee_id == person_id, Duo.mentor_id == person_id)
            )
        )
    }


def _answers(person_id: uuid.UUID) -> list[EvaluationAnswer]:
    parties = _parties(person_id)
    return [
        answer
        for answer in db.session.execute(
            select(EvaluationAnswer).where(EvaluationAnswer.duo_id.in_(list(parties)))
        ).scalars()
        if parties.get(answer.duo_id) == answer.party
    ]


def personal_data(person_id: uuid.UUID) -> dict[str, Any]:
    return {
        "survey_answers": [as_dict(a) for a in _answers(person_id)],
        "outcome_questions": rows(OutcomeAsk, OutcomeAsk.person_id == person_id),
        "outcomes": rows(Outcome, Outcome.person_id == person_id, order_by=Outcome.recorded_at),
    }


def erase(person_id: uuid.UUID) -> None:
    tenant = db.session.get(Tenant, require_tenant_id())
    questions = (tenant.config.get("evaluation") or {}).get("questions", []) if tenant else []
    free_text = {q.get("key") for q in questions if q.get("kind") == "text"}
    for answer in _answers(person_id):
        if answer.question_key in free_text:
            answer.value = ""
    for outcome in db.session.execute(
        select(Outcome).where(Outcome.person_id == person_id)
    ).scalars():
        outcome.note = None
    db.session.flush()


def last_activity() -> dict[uuid.UUID, datetime]:
    return dict(
        db.session.execute(
            select(Outcome.person_id, func.max(Outcome.recorded_at)).group_by(Outcome.person_id)
        ).all()
    )
