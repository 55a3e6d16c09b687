"""Recording the intake interview: the profile, the consent for sensitive facts, the decision.

:func:`record_intake` is what the intake form calls (and tests call directly). In one
transaction it stores the answers, records or withdraws the ``sensitive_facts`` consent,
moves the person to *intake done* and lets :func:`duo.eligibility.decisions.decide` take
the decision under the branch's current rules.

Choices:

- **Consent first.** Migration background and residence status are stored only when the
  consent box is ticked (consent recorded once, with the text version). Without it those
  answers are dropped (the result says so, for a warning) and the rules that need them say
  *needs review*. Unticking it later withdraws the consent and erases the stored answers.
- **When the intake is edited later** (the person is in training, in a duo...), the
  profile is updated but the decision stands; eligibility is decided only at the decision
  step (see :data:`duo.eligibility.decisions.DECIDABLE`). A withdrawn person's profile can
  be corrected without bringing them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from duo.core.db import db, utcnow
from duo.eligibility.decisions import DECIDABLE, decide
from duo.eligibility.models import EligibilityDecision
from duo.people import history, states, vocab
from duo.people.models import MENTEE, MENTOR, Person, Profile
from duo.people.pipeline import transition
from duo.people.profiles import load_profile
from duo.privacy import consent
from duo.privacy.models import COORDINATOR

COMMON_FIELDS = (
    "postcode",
    "birth_date",
    "languages",
    "availability",
    "interests",
    "digital_skills",
    "personality",
    "notes",
    "help_questions",
)
MENTOR_FIELDS = (
    "sectors",
    "occupations",
    "years_experience",
    "working_status",
    "volunteer",
    "available_six_months",
)
MENTEE_FIELDS = (
    "target_sector",
    "professional_goal",
    "education_level",
    "seeking_job_study_or_internship",
    "registered_jobseeker",
    "other_barriers",
    *vocab.SENSITIVE_FACTS,
)
FIELDS = {MENTOR: COMMON_FIELDS + MENTOR_FIELDS, MENTEE: COMMON_FIELDS + MENTEE_FIELDS}
_LIST_FIELDS = {
    "availability",
    "interests",
    "personality",
    "help_questions",
    "sectors",
    "occupations",
}

#: States from which recording the intake moves the person to "intake done".
BEFORE_INTAKE = frozenset({states.REGISTERED, states.ATTENDED})


@dataclass(frozen=True)
class IntakeResult:
    profile: Profile
    decision: EligibilityDecision | None
    #: Sensitive answers were given without consent and were not stored.
    sensitive_dropped: bool


def _given(value: Any) -> bool:
    return value not in (None, "", [], {})


def record_intake(
    person: Person,
    answers: Mapping[str, Any],
    *,
    consent_given: bool,
    rules: list[dict[str, Any]],
    today: date,
    by: object | None,
    locale: str,
) -> IntakeResult:
    """Store the intake ``answers`` (profile field -> value) and decide eligibility."""
    profile = load_profile(person)
    if profile is None:
        profile = Profile(person_id=person.id)
        db.session.add(profile)

    values = {key: answers.get(key) for key in FIELDS[person.role]}
    sensitive_dropped = False
    if person.role == MENTEE:
        had_consent = consent.has_consent(person, consent.SENSITIVE_FACTS)
        if consent_given and not had_consent:
            consent.record(
                person, consent.SENSITIVE_FACTS, locale=locale, channel=COORDINATOR, by=by
            )
        elif not consent_given and had_consent:
            consent.withdraw(person, consent.SENSITIVE_FACTS, by=by, locale=locale)
        if not consent_given:
            sensitive_dropped = any(_given(values[key]) for key in vocab.SENSITIVE_FACTS)
            for key in vocab.SENSITIVE_FACTS:
                values[key] = None

    for key, value in values.items():
        if key in _LIST_FIELDS:
            value = list(value or [])
        elif key == "languages":
            value = dict(value or {})
        setattr(profile, key, value)
    profile.intake_at = utcnow()
    profile.intake_by_user_id = getattr(by, "id", None)
    if profile.birth_date is not None:
        person.birth_year = profile.birth_date.year
    db.session.flush()

    if person.state in BEFORE_INTAKE:
        transition(person, states.INTAKE_DONE, by=by, reason=history.reason(history.INTAKE))
    decision = None
    if person.state in DECIDABLE:
        decision = decide(person, rules, today=today, by=by)
    return IntakeResult(profile, decision, sensitive_dropped)


def erase_sensitive_facts(person: Person) -> None:
    """Forget the special-category answers (consent withdrawn)."""
    profile = load_profile(person)
    if profile is not None:
        for key in vocab.SENSITIVE_FACTS:
            setattr(profile, key, None)
        db.session.flush()
