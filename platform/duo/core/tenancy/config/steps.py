"""Schemas of the sections for steps 5-8 and reporting: ``[duos]`` (links, first meeting,
agreement and charter texts, check-in topics, stop reasons), ``[evaluation]`` (survey
questions, outcome follow-up) and ``[reporting]`` (the country's variants of the indicators).
Imported by :mod:`duo.core.tenancy.config.schema` into its sections.

Texts people read or sign (agreement, charter, topics, questions) are translations per
locale; the loader checks every branch locale has one. The agreement and charter carry a
``version`` recorded with every signature, questions a ``version`` recorded with every
answer: change it whenever the wording or meaning changes. Lists are replaced as a whole
by a branch override, and their ``key`` values must be unique.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from marshmallow import ValidationError, validates_schema

from duo.core.tenancy.config import validators as check
from duo.core.tenancy.config.fields import (
    Boolean,
    Complete,
    Integer,
    List,
    Nested,
    Text,
    Translations,
)
from duo.core.tenancy.config.strict import StrictSchema

#: How an evaluation question is answered.
QUESTION_KINDS: tuple[str, ...] = ("agree", "yes_no", "text")


def _unique_keys(items: list[dict] | None, name: str) -> dict:
    errors: dict[int, dict[str, list[str]]] = {}
    seen: set[str] = set()
    for index, item in enumerate(items or []):
        key = item.get("key")
        if key in seen:
            errors[index] = {"key": [gettext("%(value)s is listed twice", value=key)]}
        seen.add(key)
    return {name: errors} if errors else {}


class ChoiceSchema(StrictSchema):
    """An item of a configured list a person picks from (a check-in topic, a stop reason)."""

    key = Text(required=True, validate=check.identifier)
    title = Translations(required=True)


class DocumentTextSchema(StrictSchema):
    """A text people sign (the mentoring agreement, the charter), versioned."""

    version = Text(required=True, validate=check.identifier)
    title = Translations(required=True)
    text = Translations(required=True)


class DuosSchema(StrictSchema):
    """Steps 5-7: personal links, first meeting, agreement and charter, check-ins, ending."""

    link_valid_days = Integer(required=True, validate=check.at_least(1))
    decision_pending_days = Integer(required=True, validate=check.at_least(1))
    signature_pending_days = Integer(required=True, validate=check.at_least(1))
    first_meeting_max_days_ahead = Integer(required=True, validate=check.at_least(1))
    mentee_check_in = Boolean(required=True)
    evaluation_due_days = Integer(required=True, validate=check.at_least(1))
    topics = List(Complete(ChoiceSchema), required=True, non_empty=True)
    stop_reasons = List(Complete(ChoiceSchema), required=True, non_empty=True)
    agreement = Nested(DocumentTextSchema, required=True)
    charter = Nested(DocumentTextSchema, required=True)

    @validates_schema
    def _check_keys(self, data: dict, **kwargs: Any) -> None:
        errors = {
            **_unique_keys(data.get("topics"), "topics"),
            **_unique_keys(data.get("stop_reasons"), "stop_reasons"),
        }
        if errors:
            raise ValidationError(errors)


class QuestionSchema(StrictSchema):
    """One survey question; ``version`` changes whenever its wording or meaning does."""

    key = Text(required=True, validate=check.identifier)
    version = Integer(required=True, validate=check.at_least(1))
    audience = Text(required=True, validate=check.one_of(("mentee", "mentor")))
    kind = Text(required=True, validate=check.one_of(QUESTION_KINDS))
    text = Translations(required=True)


class EvaluationSchema(StrictSchema):
    """Step 8: the end-of-duo survey and the outcome follow-up."""

    questions = List(Complete(QuestionSchema), required=True, non_empty=True)
    reminder_after_days = Integer(required=True, validate=check.at_least(1))
    lost_after_days = Integer(required=True, validate=check.at_least(1))

    @validates_schema
    def _check_keys(self, data: dict, **kwargs: Any) -> None:
        errors = _unique_keys(data.get("questions"), "questions")
        if errors:
            raise ValidationError(errors)


#: The situations of a mentee an outcome may record (as ``duo.evaluation.models.STATUSES``).
OUTCOME_STATUSES: tuple[str, ...] = ("job", "internship", "training", "looking", "other")


class ReportingSchema(StrictSchema):
    """``[reporting]``: a country's variants of the indicator definitions (all optional).

    ``reach_months``: a duo "reaches six months" after this many months of accompaniment
    (default ``programme.duration_months``); ``outcome_months``: outcomes are those known
    within this many months after the end (default ``programme.follow_up_months``);
    ``stable_job_months``: a job counts as stable once held this many months (default 3);
    ``positive_outcomes``: the situations counted as positive (default job, internship,
    training); ``suppression_threshold``: the country's own minimum number of people behind
    a figure HQ sees (a country may ask for more than the platform's, never for less).
    """

    reach_months = Integer(validate=check.at_least(1))
    outcome_months = Integer(validate=check.at_least(1))
    stable_job_months = Integer(validate=check.at_least(1))
    positive_outcomes = List(
        Text(validate=check.one_of(OUTCOME_STATUSES)), non_empty=True, unique=True
    )
    suppression_threshold = Integer(validate=check.at_least(2))


def translation_places(merged: dict) -> list[tuple[tuple, Any]]:
    """(path, translations) of every text of these sections a person reads."""
    places: list[tuple[tuple, Any]] = []
    duos = merged.get("duos", {})
    for doc in ("agreement", "charter"):
        for name in ("title", "text"):
            places.append((("duos", doc, name), duos.get(doc, {}).get(name)))
    for kind in ("topics", "stop_reasons"):
        for index, item in enumerate(duos.get(kind, [])):
            places.append((("duos", kind, index, "title"), item.get("title")))
    for index, item in enumerate(merged.get("evaluation", {}).get("questions", [])):
        places.append((("evaluation", "questions", index, "text"), item.get("text")))
    return places
