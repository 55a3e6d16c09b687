"""The mentor training in the story: cycles planned on the branch's curriculum, enrolment,
attendance (which makes mentors *trained*).

It reads the story's state and clock helpers (``tenant``, ``at``, ``moment``, ``person``...)
from :class:`~duo.consumers.demo.story.BranchStory`, which it is mixed into.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from babel.dates import format_date

from duo.consumers.demo.personas import Persona
from duo.people import states
from duo.training import curriculum, enrolment, planning
from duo.training.models import MODULES
from duo.training.schedule import Rhythm

#: The weekday of the mentor training, by country (Monday = 0).
TRAINING_WEEKDAY = {"be": 1, "nl": 2, "fr": 3}

CYCLE_TITLES = {
    "fr": "Formation des mentors – {month}",
    "nl": "Mentoropleiding – {month}",
    "en": "Mentor training – {month}",
}


class TrainingChapter:
    """Plans the training cycles and records who came."""

    def modules(self) -> list[curriculum.Item]:
        return curriculum.modules(self.config)

    def rhythm(self) -> Rhythm:
        minutes = max((m.duration_minutes for m in self.modules()), default=180) or 180
        start = time(9, 30)
        end_minutes = min(9 * 60 + 30 + minutes, 21 * 60)
        weekday = TRAINING_WEEKDAY.get(self.tenant.country, 1)
        return Rhythm.weekly(weekday, start, time(end_minutes // 60, end_minutes % 60))

    def cycle_plan(self, start: date, capacity: int = 12) -> planning.CyclePlan:
        month = format_date(start, "MMMM y", locale=self.language)
        title = CYCLE_TITLES.get(self.language, CYCLE_TITLES["en"]).format(month=month)
        return planning.CyclePlan(
            title=title,
            kind=MODULES,
            start_date=start,
            rhythm=self.rhythm(),
            module_keys=[m.key for m in self.modules()],
            location=self.venue,
            capacity=capacity,
        )

    def cycle_ending_by(self, last_day: date) -> date:
        """A start date whose cycle (holidays skipped) is over by ``last_day``."""
        weeks = max(1, len(self.modules()))
        start = last_day - timedelta(weeks=weeks - 1)
        for _attempt in range(12):
            preview = planning.preview(self.tenant, self.cycle_plan(start), self.language)
            if preview.ok and preview.sessions and preview.sessions[-1].local_date <= last_day:
                return start
            start -= timedelta(weeks=1)
        return start

    def plan_cycle(self, key: str, start: date) -> None:
        mentors = [p for p in self.cast if self.cycle_key(p) == key]
        plan = self.cycle_plan(start, capacity=max(12, len(mentors)))

        def create() -> None:
            self.cycles[key] = planning.create_cycle(
                self.tenant, plan, language=self.language, by=self.coordinator
            )

        self.at(self.moment(start - timedelta(days=21), time(14, 0)), create)
        for persona in mentors:
            intake = self.intake_at.get(persona.number)
            if intake is None:
                session_day = self.workday(start - timedelta(days=16))
                intake = self.moment(session_day + timedelta(days=6), time(10, 0))
            self.at(intake + timedelta(days=1, hours=5), lambda p=persona: self.enrol(key, p))

        preview = planning.preview(self.tenant, plan, self.language)
        held = [s for s in preview.sessions if s.ends_at_utc < self.now]
        if key == "current" and held:
            held = held[:-1]  # the last one held: attendance still to record (a to-do)
        for planned in held:
            self.at(
                planned.ends_at_utc + timedelta(minutes=30),
                lambda index=planned.index, k=key, group=mentors: self.training_attendance(
                    k, index, group
                ),
            )

    def enrol(self, key: str, persona: Persona) -> None:
        person = self.person(persona)
        cycle = self.cycles.get(key)
        if person is None or cycle is None or person.state != states.ELIGIBLE:
            return
        enrolment.enrol(cycle, person, by=self.coordinator)

    def training_attendance(self, key: str, index: int, group: list[Persona]) -> None:
        cycle = self.cycles.get(key)
        if cycle is None:
            return
        session = next((s for s in cycle.sessions if s.index == index), None)
        if session is None:
            return
        enrolled = {p.id for p in enrolment.participants(session)}
        present = []
        for persona in group:
            person = self.person(persona)
            if person is None or person.id not in enrolled:
                continue
            # In the current cycle, the second mentor missed the second module (catch-up).
            if key == "current" and index == 1 and persona.rank == 1:
                continue
            present.append(person.id)
        enrolment.record_attendance(session, present, by=self.coordinator)
