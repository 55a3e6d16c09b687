"""Intake interviews in the story: the rules decide, a coordinator overrides, one withdraws.

It reads the story's state and clock helpers (``tenant``, ``at``, ``moment``, ``person``...)
from :class:`~duo.consumers.demo.story.BranchStory`, which it is mixed into.
"""

from __future__ import annotations

from duo.consumers.demo import data
from duo.consumers.demo.personas import Persona
from duo.core.db import utcnow
from duo.eligibility import decisions
from duo.people import pipeline, states
from duo.people.intake import record_intake


class IntakeChapter:
    """Holds the intake interviews and the decisions that follow."""

    def intake(self, persona: Persona) -> None:
        person = self.person(persona)
        if person is None:
            return
        record_intake(
            person,
            persona.answers,
            consent_given=persona.consent,
            rules=decisions.rules_for(self.config, person.role),
            today=utcnow().astimezone(self.zone).date(),
            by=self.coordinator,
            locale=person.locale,
        )

    def override(self, persona: Persona) -> None:
        person = self.person(persona)
        if person is None or person.state != states.NOT_ELIGIBLE:
            return
        decisions.override(
            person,
            "eligible",
            data.text(data.NOTES["override_age"], self.language),
            decisions.rules_for(self.config, person.role),
            today=utcnow().astimezone(self.zone).date(),
            by=self.coordinator,
        )

    def withdraw(self, persona: Persona) -> None:
        person = self.person(persona)
        if person is None or person.state == states.WITHDRAWN:
            return
        pipeline.transition(
            person,
            states.WITHDRAWN,
            by=self.coordinator,
            reason=data.text(data.NOTES["withdrawn_job"], self.language),
        )
