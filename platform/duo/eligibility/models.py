"""Stored eligibility decisions: what the rules said, under which version, and who decided.

Decisions are append-only: an evaluation, a re-evaluation and a coordinator's override each
add a row, and the newest row is the person's current decision. A row keeps the evaluation
as JSON (reason codes and params, rendered in the reader's language when shown) and the hash
of the rules it was made under, so a later change of the branch's rules never silently
changes a past decision: the person page compares the hash with the current rules' and
offers a re-evaluation.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from duo.core.db import db, utcnow
from duo.core.db.types import JSONType, UTCDateTime
from duo.core.tenancy.models import TenantScoped, branch_fk

#: Kinds of decision.
EVALUATION = "evaluation"  # the branch's rules decided
OVERRIDE = "override"  # a coordinator decided otherwise, with a written justification
KINDS = (EVALUATION, OVERRIDE)


class EligibilityDecision(TenantScoped, db.Model):
    __tablename__ = "eligibility_decisions"
    __table_args__ = (
        branch_fk("person_id", "people"),
        Index("ix_eligibility_decisions_person", "tenant_id", "person_id", "decided_at"),
    )
    __hq_groupable__ = ("audience", "kind", "outcome", "evaluated_outcome")

    person_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    audience: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(12), default=EVALUATION)
    #: The decision in force: the rules' outcome, or the coordinator's for an override.
    outcome: Mapped[str] = mapped_column(String(20))
    #: What the rules said (equal to ``outcome`` unless overridden).
    evaluated_outcome: Mapped[str] = mapped_column(String(20))
    evaluation: Mapped[dict[str, Any]] = mapped_column(JSONType)
    rules_hash: Mapped[str] = mapped_column(String(64))
    justification: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )

    @property
    def is_override(self) -> bool:
        return self.kind == OVERRIDE
