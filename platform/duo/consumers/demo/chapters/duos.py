"""Duos in the story: proposed by a matching session, then first meeting, agreement, end.

Every step goes through the platform's own functions, as the people would have taken it:
the coordinator plans the first meeting, mentor and mentee say yes through their links,
sign, and the coordinator countersigns (the PDF is made by the job); the mentor checks in
most weeks (a gap and a concern now and then); an ended duo answers its evaluation and
the mentee tells their outcome at the end. Every state shows somewhere: a decision still
pending, a signature still to come, a duo declined after its first meeting, one stopped
early (the mentee found a job; the mentee still answers the survey), and one from two
years ago that was evaluated and whose mentee answered at 0, 3, 6 and 12 months (one of
them told the coordinator by phone).

It reads the story's state and clock helpers (``tenant``, ``at``, ``moment``, ``person``...)
from :class:`~duo.consumers.demo.story.BranchStory`, which it is mixed into.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from duo.consumers.demo.personas import Persona
from duo.core.db import utcnow
from duo.duos import accompaniment, agreement, config, first_meeting, lifecycle
from duo.duos import states as duo_states
from duo.duos.models import Duo
from duo.evaluation import outcomes, survey
from duo.matching import decisions
from duo.matching import session as matching_session
from duo.people import states
from duo.people.models import MENTEE, MENTOR, Person

#: ``plan_duo(until=DECLINED)``: the mentor says no after the first meeting.
DECLINED = "declined"
#: The situations the evaluated duo's mentee told, by months after the end.
_OUTCOMES: dict[int, dict[str, Any]] = {
    0: {"status": "training"},
    3: {"status": "internship"},
    6: {"status": "job", "contract_type": "fixed_term", "hours_per_week": 30},
    12: {"status": "job", "contract_type": "permanent", "hours_per_week": 38},
}


#: Parts whose mentee is followed through the outcomes of :data:`_OUTCOMES`.
_FOLLOWED_PARTS = ("duo_evaluated",)


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
        meeting_day = held_on + timedelta(days=7)
        meeting_at = self.moment(meeting_day, time(15, 0))
        self.at(proposed + timedelta(days=3), lambda: self.plan_meeting(part, meeting_at))
        decided = self.moment(meeting_day, time(17, 0))
        if until in (duo_states.FIRST_MEETING, DECLINED):
            self.at(decided, lambda: self.decide_one(part, "mentee", True))
            if until == DECLINED:
                later = decided + timedelta(days=1)
                self.at(later, lambda: self.decide_one(part, "mentor", False))
            return
        self.at(decided, lambda: self.decide(part))
        signed = meeting_day + timedelta(days=3)
        if until == duo_states.CONFIRMED:
            self.at(self.moment(signed, time(16, 0)), lambda: self.sign(part, only="mentee"))
            return
        self.at(self.moment(signed, time(16, 0)), lambda: self.sign(part))
        ends_on = lifecycle.add_months(signed, self.branch.duration_months)
        last = {
            duo_states.ENDED: min(ends_on, self.day(-20)),
            duo_states.EVALUATED: ends_on,
            duo_states.STOPPED: signed + timedelta(days=60),
        }.get(until, self.day(-1))
        week, index = signed + timedelta(days=6), 0
        while week <= last:
            # Most weeks a meeting; every fifth week a gap; once a concern.
            if index % 5 != 3:
                concern = index == 6
                self.at(self.moment(week, time(19, 0)),
                        lambda concern=concern: self.check_in(part, concern))  # fmt: skip
            week += timedelta(days=7)
            index += 1
        if until == duo_states.STOPPED:
            self.at(self.moment(last, time(11, 0)), lambda: self.stop(part))
            self.at(self.moment(last + timedelta(days=3), time(20, 0)),
                    lambda: self.evaluate(part, parties=("mentee",)))  # fmt: skip
        if until in (duo_states.ENDED, duo_states.EVALUATED):
            ended = last
            self.at(self.moment(ended, time(16, 0)), lambda: self.move_duo(part, duo_states.ENDED))
            self.at(
                self.moment(ended + timedelta(days=2), time(18, 0)), lambda: self.evaluate(part)
            )
        if until == duo_states.EVALUATED:
            closed = self.moment(ended + timedelta(days=9), time(10, 0))
            self.at(closed, lambda: self.move_duo(part, duo_states.EVALUATED))
            for months in (3, 6, 12):
                day = lifecycle.add_months(ended, months) + timedelta(days=2 + months % 5)
                self.at(self.moment(day, time(19, 0)),
                        lambda months=months: self.tell_outcome(part, months))  # fmt: skip

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

    # ----------------------------------------------------------------- the steps

    def _duo_people(self, part: str) -> tuple[Duo, Person, Person] | None:
        duo = self.duos.get(part)
        pair = self.pair(part)
        if duo is None or pair is None:
            return None
        mentee, mentor = self.person(pair[0]), self.person(pair[1])
        if mentee is None or mentor is None:
            return None
        return duo, mentee, mentor

    def plan_meeting(self, part: str, at: datetime) -> None:
        duo = self.duos.get(part)
        if duo is None or duo.state != duo_states.PROPOSED:
            return
        meeting = first_meeting.MeetingPlan(
            at=at, place=self.tenant.display_name(), coordinator_id=self.coordinator.id
        )
        first_meeting.plan(duo, meeting, by=self.coordinator, tenant=self.tenant)

    def decide_one(self, part: str, party: str, go_on: bool) -> None:
        """One side answers through their link; a "no" comes with a reason for the
        coordinator only."""
        found = self._duo_people(part)
        if found is None or found[0].state != duo_states.FIRST_MEETING:
            return
        duo, mentee, mentor = found
        person = mentee if party == "mentee" else mentor
        reason = None if go_on else "Our availabilities do not fit."
        first_meeting.decide(duo, party, go_on, tenant=self.tenant, by_person=person, reason=reason)

    def stop(self, part: str) -> None:
        """The coordinator stops the duo early: the mentee found a job (a listed reason)."""
        duo = self.duos.get(part)
        if duo is None or duo.state != duo_states.ACTIVE:
            return
        reasons = dict(config.choices(self.tenant, "stop_reasons", self.tenant.default_locale))
        key = "found_job" if "found_job" in reasons else next(iter(reasons), None)
        note = reasons.get(key) or "The mentee found a job."
        lifecycle.transition(duo, duo_states.STOPPED, by=self.coordinator, reason=note,
                             tenant=self.tenant, stop_reason_key=key)  # fmt: skip

    def tell_outcome(self, part: str, months: int) -> None:
        """The evaluated duo's mentee answers the ask of ``months`` (the 6-month one was
        told to the coordinator by phone)."""
        duo = self.duos.get(part)
        if duo is None:
            return
        ask = next((a for a in outcomes.asks_of(duo) if a.months_after == months), None)
        if ask is None or ask.answered_at is not None:
            return
        data = dict(_OUTCOMES[months])
        if data["status"] == "job":
            data["job_started_on"] = lifecycle.add_months(ask.due_on, -2)
        by = self.coordinator if months == 6 else None
        outcomes.record(ask, duo, data, by=by)

    def decide(self, part: str) -> None:
        """Both say yes through their links (as people do: no staff user)."""
        found = self._duo_people(part)
        if found is None or found[0].state != duo_states.FIRST_MEETING:
            return
        duo, mentee, mentor = found
        first_meeting.decide(duo, "mentee", True, tenant=self.tenant, by_person=mentee)
        first_meeting.decide(duo, "mentor", True, tenant=self.tenant, by_person=mentor)

    def sign(self, part: str, only: str | None = None) -> None:
        """Mentee and mentor sign through their links, the coordinator countersigns
        (``only="mentee"``: the mentee alone has signed so far)."""
        found = self._duo_people(part)
        if found is None or found[0].state != duo_states.CONFIRMED:
            return
        duo, mentee, mentor = found
        for party, person in (("mentee", mentee), ("mentor", mentor)):
            if only is not None and party != only:
                continue
            agreement.sign(
                duo, party, full_name=person.full_name, accepted=True, tenant=self.tenant,
                expected_name=person.full_name, person=person,
            )  # fmt: skip
        if only is not None:
            return
        agreement.sign(
            duo, agreement.COORDINATOR, full_name=self.coordinator.name, accepted=True,
            tenant=self.tenant, expected_name=self.coordinator.name, by=self.coordinator,
        )  # fmt: skip

    def check_in(self, part: str, concern: bool) -> None:
        found = self._duo_people(part)
        if found is None or found[0].state != duo_states.ACTIVE:
            return
        duo, _mentee, mentor = found
        topics = [key for key, _t in accompaniment_topics(self.tenant)][:2]
        accompaniment.check_in(
            duo, "mentor", tenant=self.tenant, person_id=mentor.id, met=not concern,
            minutes=None if concern else 120, topics=[] if concern else topics,
            note=None, contact_me=concern,
        )  # fmt: skip

    def evaluate(self, part: str, parties: tuple[str, ...] = ("mentee", "mentor")) -> None:
        """The survey (agreeing mostly); the mentee tells their situation at the end (a job,
        or a training for the duo that will be followed for a year)."""
        found = self._duo_people(part)
        if found is None or not survey.open_for(found[0]) or survey.answers(found[0]):
            return
        duo, mentee, mentor = found
        for party, person in (("mentee", mentee), ("mentor", mentor)):
            if party not in parties:
                continue
            values = {
                q["key"]: {"agree": "4", "yes_no": "yes"}.get(q["kind"], "")
                for q in survey.questions(self.tenant, party, self.tenant.default_locale)
            }
            survey.answer(duo, party, values, tenant=self.tenant, person_id=person.id)
        ask = next((a for a in outcomes.asks_of(duo) if a.months_after == 0), None)
        if ask is None or ask.answered_at is not None:
            return
        if part in _FOLLOWED_PARTS:
            outcomes.record(ask, duo, dict(_OUTCOMES[0]))
            return
        started = utcnow().date() - timedelta(days=30)  # on the story's clock
        job = {"status": "job", "contract_type": "fixed_term", "hours_per_week": 30}
        outcomes.record(ask, duo, {**job, "job_started_on": started})


def accompaniment_topics(tenant: Any) -> list[tuple[str, str]]:

    return config.choices(tenant, "topics", tenant.default_locale)
