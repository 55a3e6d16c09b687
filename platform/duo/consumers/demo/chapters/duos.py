"""Duos in the story: proposed by a matching session, then first meeting, agreement, end.

It reads the story's state and clock helpers (``tenant``, ``at``, ``moment``, ``person``...)
from :class:`~duo.consumers.demo.story.BranchStory`, which it is mixed into.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from duo.consumers.demo.personas import Persona
from duo.duos import lifecycle
from duo.duos import states as duo_states
from duo.matching import decisions
from duo.matching import session as matching_session
from duo.people import states
from duo.people.models import MENTEE, MENTOR


class DuosChapter:
    """Forms the story's duos and moves them along their states."""

    def pair(self, part: str) -> tuple[Persona, Persona] | None:
        mentee = next((p for p in self.cast if p.part == part and p.role == MENTEE), None)
        mentor = next((p for p in self.cast if p.part == part and p.role == MENTOR), None)
        if mentee is None or mentor is None:
            return None
        return mentee, mentor

    def plan_duo(self, part: str, held_on: date, *, until: str) -> None:
        """A matching session on ``held_on`` proposes the duo of ``part``; then, as far as
        ``until``: its first meeting, the agreement, and its end after the programme's
        duration (at the latest 20 days ago)."""
        pair = self.pair(part)
        if pair is None:
            return
        mentee, mentor = pair
        proposed = self.moment(held_on, time(10, 0))
        self.at(proposed, lambda: self.match(part, mentee, mentor))
        if until == duo_states.PROPOSED:
            return
        first_meeting = held_on + timedelta(days=7)
        self.at(
            proposed + timedelta(days=3),
            lambda: self.move_duo(part, duo_states.FIRST_MEETING, first_meeting_on=first_meeting),
        )
        self.at(
            self.moment(first_meeting, time(17, 0)),
            lambda: self.move_duo(part, duo_states.CONFIRMED),
        )
        signed = first_meeting + timedelta(days=3)
        self.at(self.moment(signed, time(16, 0)), lambda: self.move_duo(part, duo_states.ACTIVE))
        if until == duo_states.ENDED:
            ends_on = lifecycle.add_months(signed, self.branch.duration_months)
            ended = min(ends_on, self.day(-20))
            self.at(self.moment(ended, time(16, 0)), lambda: self.move_duo(part, duo_states.ENDED))

    def match(self, part: str, mentee: Persona, mentor: Persona) -> None:
        mentee_person, mentor_person = self.person(mentee), self.person(mentor)
        if mentee_person is None or mentor_person is None:
            return
        if mentee_person.state != states.ELIGIBLE or mentor_person.state != states.TRAINED:
            return
        session = matching_session.start_session(self.tenant, by=self.coordinator)
        run = matching_session.run_session(session, self.tenant)
        suggested = [(p.mentee_id, p.mentor_id) for p in run.suggestion.pairs]
        duos = decisions.accept(
            session,
            [(mentee_person.id, mentor_person.id)],
            self.tenant,
            by=self.coordinator,
            suggested=suggested,
        )
        matching_session.close_session(session, by=self.coordinator)
        self.duos[part] = duos[0]

    def move_duo(self, part: str, to: str, **kwargs: Any) -> None:
        duo = self.duos.get(part)
        if duo is None or not duo_states.allowed(duo.state, to):
            return
        lifecycle.transition(duo, to, by=self.coordinator, tenant=self.tenant, **kwargs)
