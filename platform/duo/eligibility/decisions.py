"""Taking, storing and overriding eligibility decisions, and moving the person accordingly.

The engine (:mod:`duo.eligibility.engine`) is pure; this module is where its verdict meets
the database: it reads the person's facts, evaluates the branch's rules for their audience,
stores an :class:`EligibilityDecision` (the evaluation JSON and the rules' hash) and moves
the person to *eligible*, *not eligible* or *needs review* through
:func:`duo.people.pipeline.transition`, so the history records who, when and why.

Choices:

- A decision is taken only while the person is at the decision step (intake done, or
  already decided: eligible, not eligible, needs review). Later (in training, in a duo...)
  the decision stands; a person must not silently drop out of a running duo because a rule
  changed.
- Re-deciding with the same outcome adds a decision row but no state change.
- An override stores a fresh evaluation of the current rules next to the coordinator's
  outcome and written justification, so one row says "the rules said X; Y decided Z
  because ...". Its outcome must differ from the current state (otherwise it overrides
  nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from duo.core import audit
from duo.core.auth.models import User
from duo.core.db import db, utcnow
from duo.core.i18n import zones
from duo.core.tenancy.scoping import BranchLoad
from duo.eligibility.engine import Evaluation, Outcome, evaluate, rules_hash
from duo.eligibility.models import EVALUATION, OVERRIDE, EligibilityDecision
from duo.people import history, states
from duo.people.models import Person
from duo.people.pipeline import InvalidTransition, transition
from duo.people.profiles import eligibility_facts, load_profile

#: States at which eligibility may be (re)decided.
DECIDABLE = frozenset(
    {states.INTAKE_DONE, states.ELIGIBLE, states.NOT_ELIGIBLE, states.NEEDS_REVIEW}
)
#: The three decision states, by outcome.
OUTCOME_STATE = {
    Outcome.ELIGIBLE: states.ELIGIBLE,
    Outcome.NOT_ELIGIBLE: states.NOT_ELIGIBLE,
    Outcome.NEEDS_REVIEW: states.NEEDS_REVIEW,
}
MAX_JUSTIFICATION = 2000


class DecisionError(ValueError):
    """The decision cannot be taken now; the message is shown to the coordinator."""


def rules_for(config: dict[str, Any], audience: str) -> list[dict[str, Any]]:
    """The branch's effective rules for ``audience`` (``mentor`` / ``mentee``)."""
    return list((config.get("eligibility") or {}).get(audience) or [])


def local_today(timezone: str) -> date:
    """Today in the branch's zone: ages change at local midnight, not UTC's."""
    return zones.local_today(timezone)


def _apply(person: Person, outcome: Outcome, *, by: object | None, reason: str) -> None:
    target = OUTCOME_STATE[outcome]
    if person.state != target:
        transition(person, target, by=by, reason=reason)


def decide(
    person: Person,
    rules: list[dict[str, Any]],
    *,
    today: date,
    by: object | None = None,
    reevaluation: bool = False,
) -> EligibilityDecision:
    """Evaluate ``rules`` on the person's facts, store the decision and move the person."""
    if person.state not in DECIDABLE:
        raise DecisionError(
            _(
                "Eligibility cannot be decided at the step “%(state)s”.",
                state=states.LABELS[person.state],
            )
        )
    evaluation = evaluate(rules, eligibility_facts(person, load_profile(person)), today)
    decision = EligibilityDecision(
        person_id=person.id,
        audience=person.role,
        kind=EVALUATION,
        outcome=str(evaluation.outcome),
        evaluated_outcome=str(evaluation.outcome),
        evaluation=evaluation.as_dict(),
        rules_hash=evaluation.rules_hash,
        decided_at=utcnow(),
        decided_by_user_id=getattr(by, "id", None),
    )
    db.session.add(decision)
    code = history.REEVALUATED if reevaluation else history.RULES
    _apply(person, evaluation.outcome, by=by, reason=history.reason(code))
    db.session.flush()
    return decision


def override(
    person: Person,
    outcome: Outcome | str,
    justification: str,
    rules: list[dict[str, Any]],
    *,
    today: date,
    by: object,
) -> EligibilityDecision:
    """A coordinator's decision against (or beyond) the rules, with a written justification."""
    text = (justification or "").strip()
    if not text:
        raise DecisionError(_("Write why you decide otherwise than the rules."))
    if len(text) > MAX_JUSTIFICATION:
        raise DecisionError(
            _("Keep the justification under %(max)s characters.", max=MAX_JUSTIFICATION)
        )
    try:
        outcome = Outcome(outcome)
    except ValueError as exc:
        raise DecisionError(_("Choose a decision.")) from exc
    if person.state not in DECIDABLE:
        raise DecisionError(
            _(
                "Eligibility cannot be decided at the step “%(state)s”.",
                state=states.LABELS[person.state],
            )
        )
    if OUTCOME_STATE[outcome] == person.state:
        raise DecisionError(_("This is already the current decision."))
    evaluation = evaluate(rules, eligibility_facts(person, load_profile(person)), today)
    decision = EligibilityDecision(
        person_id=person.id,
        audience=person.role,
        kind=OVERRIDE,
        outcome=str(outcome),
        evaluated_outcome=str(evaluation.outcome),
        evaluation=evaluation.as_dict(),
        rules_hash=evaluation.rules_hash,
        justification=text,
        decided_at=utcnow(),
        decided_by_user_id=getattr(by, "id", None),
    )
    db.session.add(decision)
    try:
        _apply(person, outcome, by=by, reason=history.reason(history.OVERRIDE, text))
    except InvalidTransition as exc:  # pragma: no cover - DECIDABLE guarantees the move
        raise DecisionError(str(exc)) from exc
    db.session.flush()
    audit.record(
        audit.ELIGIBILITY_OVERRIDE,
        "eligibility_decision",
        actor=by,
        person_id=person.id,
        details={"outcome": str(outcome), "rules_said": str(evaluation.outcome)},
    )
    return decision


@dataclass(frozen=True)
class DecisionView:
    """A stored decision as the person page shows it."""

    decision: EligibilityDecision
    evaluation: Evaluation
    decided_by: str | None
    outdated: bool


#: The person page shows them on every visit: built once per branch.
_DECISIONS = BranchLoad(
    lambda: (
        select(EligibilityDecision, User.name)
        .outerjoin(User, User.id == EligibilityDecision.decided_by_user_id)
        .where(
            EligibilityDecision.person_id
            == bindparam("person_id", type_=EligibilityDecision.person_id.type)
        )
        .order_by(EligibilityDecision.decided_at.desc())
    )
)


def decisions_of(person: Person, current_rules: list[dict[str, Any]]) -> list[DecisionView]:
    """Every decision of the person, newest first, each marked outdated when its rules'
    hash differs from the current rules' (one query)."""
    current = rules_hash(current_rules)
    rows = _DECISIONS(person_id=person.id).all()
    return [
        DecisionView(
            decision=decision,
            evaluation=Evaluation.from_dict(decision.evaluation),
            decided_by=name,
            outdated=decision.rules_hash != current,
        )
        for decision, name in rows
    ]


def current_decision(person: Person) -> EligibilityDecision | None:
    return db.session.execute(
        select(EligibilityDecision)
        .where(EligibilityDecision.person_id == person.id)
        .order_by(EligibilityDecision.decided_at.desc())
        .limit(1)
    ).scalar_one_or_none()
