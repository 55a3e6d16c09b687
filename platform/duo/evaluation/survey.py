"""The end-of-duo survey: questions from configuration, answers per question version.

Who is asked: the evaluation is "at the end" of the accompaniment, so a duo that ended is
asked, and so is one that *stopped after its start* (the agreement was signed, some weeks
of mentoring happened: what the two say about them counts, and the mentee's outcomes are
followed as for any other duo). Such a duo stays *stopped*: it has no evaluation for the
coordinator to close and no "evaluation overdue" alert. A duo stopped before its start
(declined at the first meeting, or never signed) had no accompaniment to evaluate: no
survey, no outcome asks, and its answers are refused.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, bindparam, select

from duo.core.db import db, utcnow
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import BranchRead
from duo.core.validation import text_error
from duo.duos import history, states
from duo.duos.lifecycle import InvalidDuoTransition
from duo.duos.models import Duo
from duo.evaluation.models import EvaluationAnswer

#: The answers of an ``agree`` question, "1" to "4".
AGREE = (
    ("1", _l("Strongly disagree")),
    ("2", _l("Disagree")),
    ("3", _l("Agree")),
    ("4", _l("Strongly agree")),
)
YES_NO = (("yes", _l("Yes")), ("no", _l("No")))


def questions(tenant: Tenant, party: str, locale: str) -> list[dict[str, Any]]:
    """The questions for ``party`` (mentee / mentor), with their text in ``locale``."""
    found = []
    for q in (tenant.config.get("evaluation") or {}).get("questions", []):
        if q["audience"] != party:
            continue
        text = q["text"].get(locale) or q["text"].get(tenant.default_locale) or q["key"]
        found.append({**q, "label": text})
    return found


def open_for(duo: Duo) -> bool:
    """Whether the survey is open for ``duo`` (see the module doc)."""
    return duo.state in (states.ENDED, states.EVALUATED) or (
        duo.state == states.STOPPED and duo.started_at is not None
    )


#: The duo page shows them on every visit: built once per branch.
_ANSWERS = BranchRead(
    lambda: select(
        EvaluationAnswer.party,
        EvaluationAnswer.question_key,
        EvaluationAnswer.question_version,
        EvaluationAnswer.value,
    ).where(EvaluationAnswer.duo_id == bindparam("duo_id", type_=EvaluationAnswer.duo_id.type))
)


def answers(duo: Duo) -> dict[str, dict[str, Row]]:
    """party -> question key -> answer (its ``question_version`` and ``value``)."""
    found: dict[str, dict[str, Row]] = {}
    for row in _ANSWERS(duo_id=duo.id):
        found.setdefault(row.party, {})[row.question_key] = row
    return found


def answer(
    duo: Duo,
    party: str,
    values: dict[str, str],
    *,
    tenant: Tenant,
    person_id: Any = None,
    by: object | None = None,
) -> int:
    """Store ``party``'s answers (question key -> value); all or nothing. Returns how many.

    Every ``agree`` / ``yes_no`` question needs an answer; ``text`` ones are optional.
    """
    if not open_for(duo):
        raise InvalidDuoTransition(_("The evaluation opens when the duo ends."))
    if answers(duo).get(party):
        raise InvalidDuoTransition(_("This evaluation was already answered."))
    rows = []
    for q in questions(tenant, party, tenant.default_locale):
        value = (values.get(q["key"]) or "").strip()
        allowed = {"agree": [v for v, _l_ in AGREE], "yes_no": [v for v, _l_ in YES_NO]}
        if q["kind"] in allowed:
            if value not in allowed[q["kind"]]:
                raise InvalidDuoTransition(_("Answer every question."), q["key"])
        elif not value:
            continue
        else:
            problem = text_error(value, multiline=True, max_length=2000)
            if problem:
                raise InvalidDuoTransition(problem, q["key"])
        rows.append(
            EvaluationAnswer(
                tenant_id=duo.tenant_id,
                duo_id=duo.id,
                party=party,
                question_key=q["key"],
                question_version=int(q["version"]),
                value=value[:2000],
                answered_at=utcnow(),
                recorded_by_user_id=getattr(by, "id", None),
            )
        )
    db.session.add_all(rows)
    history.record(
        duo, "evaluation", by=by, person_id=person_id, on_behalf=by is not None,
        details={"party": party},
    )  # fmt: skip
    db.session.flush()
    return len(rows)
