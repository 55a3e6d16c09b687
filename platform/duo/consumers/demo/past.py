"""The years before the story: a branch's past, so HQ's figures look like the organisation's.

The story (:mod:`duo.consumers.demo.story`) plays the last months of a branch through the
platform's own functions. Before it, each branch gets several years of finished activity,
written in bulk (one ``INSERT`` per table, in the branch's own tenant scope) so that
``duo setup`` stays quick: people who signed up, went through the steps or dropped out,
duos that ended, stopped or never started, their weekly check-ins, the mentees' outcomes
asked at the end and 3, 6 and 12 months later, and the end-of-duo survey.

Sizes and distributions follow the organisation's published figures (the seeds): Brussels
is the largest branch, Rotterdam opened in September 2021 with about 50 duos a year, each
branch has its own numbers year by year (a dip in 2020, growth since); about half of the
mentees find a job within 12 months and about 70% a job, an internship or a training; nine
duos in ten reach six months; most mentors start another duo; the survey's agreement rates
are those of the published impact figures. Everything is drawn from a generator seeded by
the branch and the seed value: the same seed gives the same past.

Every row is finished business: no duo still running, no question left to send, so no
to-do, reminder or mail comes out of the past. People end as alumni or withdrawn.
"""

from __future__ import annotations

import random
import uuid
import zlib
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from duo.consumers.demo import data
from duo.consumers.demo import past_plan as plan
from duo.consumers.demo.draw import ascii_fold
from duo.core.db import db
from duo.duos import states as duo_states
from duo.duos.lifecycle import add_months
from duo.people import states
from duo.people.models import MENTEE, MENTOR


class Past:
    """One branch's past, drawn once; :meth:`write` inserts it."""

    def __init__(self, tenant: Any, seed_value: int, until: date) -> None:
        self.tenant = tenant
        self.rng = random.Random(zlib.crc32(f"{tenant.slug}:{seed_value}:past".encode()))
        self.until = until
        self.rows = plan.Rows()
        self.locales = tuple(tenant.locales)
        self.sectors = data.SECTORS
        self.questions = [
            q
            for q in (tenant.config.get("evaluation") or {}).get("questions", [])
            if q.get("kind") in ("agree", "yes_no")
        ]
        self.mentors: list[plan.Mentor] = []
        self.person_rows: dict[uuid.UUID, dict] = {}
        self.serial = 0

    # ----------------------------------------------------------------- people

    def _id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _person(self, role: str, signed_up: datetime) -> uuid.UUID:
        rng = self.rng
        self.serial += 1
        if role == MENTEE:
            origin = data.ORIGINS[rng.choice(sorted(data.ORIGINS))]
            first, last = rng.choice(origin["first"]), rng.choice(origin["last"])
            age = rng.choices((19, 22, 25, 28, 31), weights=(2, 4, 4, 3, 1))[0] + rng.randint(0, 2)
        else:
            first, last = rng.choice(plan.MENTOR_FIRST_NAMES), rng.choice(plan.MENTOR_LAST_NAMES)
            age = rng.randint(51, 72)
        pid = self._id()
        address = ascii_fold(f"{first}.{last}").replace(" ", "").lower()
        self.person_rows[pid] = row = {
            "tenant_id": self.tenant.id,
            "id": pid,
            "role": role,
            "first_name": first,
            "last_name": last,
            "email": f"{address}.{self.serial}@example.org",
            "birth_year": signed_up.year - age,
            "locale": self._locale(role),
            "state": states.REGISTERED,
            "state_changed_at": signed_up,
            "waiting_since": None,
            "created_at": signed_up,
        }
        self.rows.people.append(row)
        sector = rng.choice(self.sectors)
        self.rows.profiles.append(
            {
                "tenant_id": self.tenant.id,
                "id": self._id(),
                "person_id": pid,
                "languages": {},
                "target_sector": sector if role == MENTEE else None,
                "sectors": [sector] if role == MENTOR else [],
            }
        )
        self._step(pid, None, states.REGISTERED, signed_up)
        return pid

    def _locale(self, role: str) -> str:
        if len(self.locales) == 1:
            return self.locales[0]
        weights = [5 if i == 0 else (2 if role == MENTEE or code != "en" else 1)
                   for i, code in enumerate(self.locales)]  # fmt: skip
        return self.rng.choices(self.locales, weights=weights)[0]

    def _step(self, pid: uuid.UUID, before: str | None, after: str, at: datetime) -> None:
        self.rows.changes.append(
            {"tenant_id": self.tenant.id, "id": self._id(), "person_id": pid,
             "from_state": before, "to_state": after, "at": at}
        )  # fmt: skip

    def _walk(self, pid: uuid.UUID, path: list[tuple[str, datetime]]) -> datetime:
        """Person ``pid`` goes through ``path``; their row ends in its last state."""
        for to_state, at in path:
            self._final(pid, to_state, at)
        return path[-1][1]

    def _final(self, pid: uuid.UUID, state: str, at: datetime) -> None:
        person = self.person_rows[pid]
        self._step(pid, person["state"], state, at)
        if states.starts_a_wait(person["state"], state):
            person["waiting_since"] = at
        person["state"], person["state_changed_at"] = state, at

    def _mentee(self, proposed: datetime) -> uuid.UUID:
        rng = self.rng
        wait = int(rng.lognormvariate(3.4, 0.6))  # eligible to matched: ~30 days, long tail
        eligible = proposed - timedelta(days=wait)
        intake = eligible - timedelta(days=rng.randint(0, 3))
        attended = intake - timedelta(days=rng.randint(5, 25))
        signed = attended - timedelta(days=rng.randint(5, 30))
        pid = self._person(MENTEE, signed)
        self._walk(pid, [(states.ATTENDED, attended), (states.INTAKE_DONE, intake),
                         (states.ELIGIBLE, eligible), (states.MATCHED, proposed)])  # fmt: skip
        return pid

    def _mentor(self, proposed: datetime) -> uuid.UUID:
        """A mentor free on the day (most mentors start again), or a newly trained one."""
        day = proposed.date()
        free = [m for m in self.mentors if m.free_from <= day]
        if free and self.rng.random() < 0.8:
            mentor = self.rng.choice(free)
            self.mentors.remove(mentor)
            self._final(mentor.id, states.MATCHED, proposed)
            return mentor.id
        rng = self.rng
        trained = proposed - timedelta(days=rng.randint(3, 60))
        training = trained - timedelta(days=rng.randint(20, 45))
        eligible = training - timedelta(days=rng.randint(1, 14))
        intake = eligible - timedelta(days=rng.randint(0, 2))
        attended = intake - timedelta(days=rng.randint(5, 20))
        signed = attended - timedelta(days=rng.randint(5, 30))
        pid = self._person(MENTOR, signed)
        self._walk(pid, [(states.ATTENDED, attended), (states.INTAKE_DONE, intake),
                         (states.ELIGIBLE, eligible), (states.IN_TRAINING, training),
                         (states.TRAINED, trained), (states.MATCHED, proposed)])  # fmt: skip
        return pid

    def _dropouts(self, day: date) -> None:
        """Candidates who signed up around ``day`` and went no further than some step."""
        rng = self.rng
        role = MENTEE if rng.random() < 0.7 else MENTOR
        signed = plan.at(day, rng)
        pid = self._person(role, signed)
        path: list[tuple[str, datetime]] = []
        moment = signed
        for state in (states.ATTENDED, states.INTAKE_DONE):
            if rng.random() < 0.55:
                break
            moment += timedelta(days=rng.randint(5, 25))
            path.append((state, moment))
        if path and path[-1][0] == states.INTAKE_DONE:
            moment += timedelta(days=1)
            path.append((rng.choice((states.NOT_ELIGIBLE, states.ELIGIBLE)), moment))
        if not path or path[-1][0] != states.NOT_ELIGIBLE:
            path.append((states.WITHDRAWN, moment + timedelta(days=rng.randint(10, 60))))
        self._walk(pid, path)

    # ----------------------------------------------------------------- duos

    def _duo_step(self, duo_id: uuid.UUID, before: str | None, after: str, at: datetime) -> None:
        self.rows.duo_changes.append(
            {"tenant_id": self.tenant.id, "id": self._id(), "duo_id": duo_id,
             "from_state": before, "to_state": after, "at": at}
        )  # fmt: skip

    def _duo(self, proposed: datetime) -> None:
        rng = self.rng
        mentee, mentor = self._mentee(proposed), self._mentor(proposed)
        duo_id = self._id()
        steps = [(duo_states.PROPOSED, proposed)]
        first_meeting = proposed + timedelta(days=rng.randint(5, 12))
        started = ended = stopped = None
        declined_by = None
        fate = rng.random()
        if fate < plan.DECLINED_AT_FIRST_MEETING:
            declined_by = rng.choice((MENTEE, MENTOR))
            stopped = first_meeting + timedelta(days=1)
            steps += [(duo_states.FIRST_MEETING, first_meeting), (duo_states.STOPPED, stopped)]
        elif fate < plan.DECLINED_AT_FIRST_MEETING + plan.STOPPED_BEFORE_AGREEMENT:
            stopped = first_meeting + timedelta(days=rng.randint(3, 14))
            steps += [(duo_states.FIRST_MEETING, first_meeting),
                      (duo_states.CONFIRMED, first_meeting + timedelta(days=1)),
                      (duo_states.STOPPED, stopped)]  # fmt: skip
        else:
            started = first_meeting + timedelta(days=rng.randint(3, 10))
            steps += [(duo_states.FIRST_MEETING, first_meeting),
                      (duo_states.CONFIRMED, first_meeting + timedelta(days=1)),
                      (duo_states.ACTIVE, started)]  # fmt: skip
            if rng.random() < plan.REACH_SIX_MONTHS:
                end_day = add_months(started.date(), 6) + timedelta(days=rng.randint(0, 10))
                ended = plan.at(end_day, rng)
                closed = ended + timedelta(days=rng.randint(5, 20))
                steps += [(duo_states.ENDED, ended), (duo_states.EVALUATED, closed)]
            else:
                stopped = started + timedelta(days=rng.randint(25, 160))
                steps.append((duo_states.STOPPED, stopped))
        finished = ended or stopped
        self.rows.duos.append(
            {
                "tenant_id": self.tenant.id,
                "id": duo_id,
                "mentee_id": mentee,
                "mentor_id": mentor,
                "state": steps[-1][0],
                "state_changed_at": steps[-1][1],
                "proposed_at": proposed,
                "first_meeting_on": first_meeting.date(),
                "first_meeting_at": first_meeting,
                "started_at": started,
                "ends_on": add_months(started.date(), 6) if started else None,
                "ended_at": finished,
                "stop_reason": None,
                "declined_by": declined_by,
            }
        )
        previous = None
        for state, at in steps:
            self._duo_step(duo_id, previous, state, at)
            previous = state
        # The people: in the duo from its start, then alumni (or withdrawn if it never began).
        if started is not None:
            self._final(mentee, states.IN_DUO, started)
            self._final(mentor, states.IN_DUO, started)
            self._final(mentee, states.ALUMNI, finished)
            self._final(mentor, states.ALUMNI, finished)
            self._check_ins(duo_id, mentor, started, finished)
            self._outcomes(duo_id, mentee, finished)
            self._survey(duo_id, finished)
        else:
            self._final(mentee, states.WITHDRAWN, finished)
            self._final(mentor, states.TRAINED, finished)
        if rng.random() < plan.MENTOR_AGAIN:
            gap = timedelta(days=rng.randint(14, 120))
            self.mentors.append(plan.Mentor(mentor, (finished + gap).date(), finished))

    def _check_ins(self, duo_id, mentor, started: datetime, finished: datetime) -> None:
        rng = self.rng
        monday = started.date() - timedelta(days=started.weekday())
        while monday + timedelta(days=6) < finished.date():
            if rng.random() < 0.78:
                minutes = max(30, min(240, 15 * round(rng.gauss(115, 30) / 15)))
                self.rows.check_ins.append(
                    {"tenant_id": self.tenant.id, "id": self._id(), "duo_id": duo_id,
                     "week_start": monday, "kind": "link",
                     "at": plan.at(monday + timedelta(days=6), rng), "by_person_id": mentor,
                     "met": True, "minutes": minutes, "topics": [], "contact_me": False}
                )  # fmt: skip
            monday += timedelta(days=7)

    def _outcomes(self, duo_id, mentee, finished: datetime) -> None:
        rng = self.rng
        end = finished.date()
        due = [
            (p, add_months(end, p))
            for p in plan.FOLLOW_UP_POINTS
            if add_months(end, p) < self.until
        ]
        if not due:
            return
        lost = rng.random() < plan.LOST_TO_FOLLOW_UP
        draw = rng.random()
        best = None
        if draw < plan.JOB:
            best = "job"
        elif draw < plan.JOB + plan.INTERNSHIP_OR_TRAINING:
            best = "training"
        if best == "training" and rng.random() < 0.4:
            best = "internship"
        # The follow-up point from which the mentee reports it (0, 3, 6 or 12 months).
        from_point = rng.choices(plan.FOLLOW_UP_POINTS, weights=(2, 4, 3, 2))[0]
        job_started = None
        contract = rng.choices(
            ("permanent", "fixed_term", "temporary_agency", "other"), weights=(35, 45, 15, 5)
        )[0]
        for point, day in due:
            sent = plan.at(day, rng)
            ask = {"tenant_id": self.tenant.id, "id": self._id(), "duo_id": duo_id,
                   "person_id": mentee, "months_after": point, "due_on": day, "sent_at": sent,
                   "reminded_at": None, "answered_at": None, "lost_at": None}  # fmt: skip
            self.rows.asks.append(ask)
            must = best is not None and point == from_point
            if lost or (not must and rng.random() < 0.25):
                ask["reminded_at"] = sent + timedelta(days=7)
                ask["lost_at"] = sent + timedelta(days=30)
                continue
            status = best if best is not None and point >= from_point else "looking"
            answered = sent + timedelta(days=rng.randint(0, 6))
            if status == "job" and job_started is None:
                job_started = day - timedelta(days=rng.randint(5, 80))
            ask["answered_at"] = answered
            self.rows.outcomes.append(
                {"tenant_id": self.tenant.id, "id": self._id(), "duo_id": duo_id,
                 "person_id": mentee, "months_after": point, "status": status,
                 "contract_type": contract if status == "job" else None,
                 "hours_per_week": rng.choice((19, 24, 30, 38)) if status == "job" else None,
                 "job_started_on": job_started if status == "job" else None,
                 "note": None, "recorded_at": answered, "recorded_by_user_id": None,
                 "by_coordinator": False}
            )  # fmt: skip

    def _survey(self, duo_id, finished: datetime) -> None:
        rng = self.rng
        for party, share in ((MENTEE, 0.85), (MENTOR, 0.8)):
            if rng.random() >= share:
                continue
            answered = finished + timedelta(days=rng.randint(2, 20))
            if answered.date() >= self.until:
                continue
            for q in self.questions:
                if q["audience"] != party:
                    continue
                agrees = rng.random() < plan.AGREEMENT.get(q["key"], 0.8)
                if q["kind"] == "yes_no":
                    value = "yes" if agrees else "no"
                else:
                    value = rng.choice(("3", "4", "4")) if agrees else rng.choice(("1", "2", "2"))
                self.rows.answers.append(
                    {"tenant_id": self.tenant.id, "id": self._id(), "duo_id": duo_id,
                     "party": party, "question_key": q["key"],
                     "question_version": int(q["version"]), "value": value,
                     "answered_at": answered, "recorded_by_user_id": None}
                )  # fmt: skip

    # ----------------------------------------------------------------- the years

    def draw(self) -> plan.Rows:
        """Every year from the branch's opening until about seven months before ``until``."""
        size, opened = plan.SIZES.get(self.tenant.slug, (plan.DEFAULT_SIZE, None))
        if opened is None:
            opened = date(self.until.year - 3, 1, 1)
        last_start = self.until - timedelta(days=230)
        own = self.rng.uniform(0.9, 1.1)  # each branch its own numbers
        month = opened
        while month <= last_start:
            factor = plan.YEAR_FACTOR.get(month.year, 1.12) * own * self.rng.uniform(0.8, 1.2)
            if month.year == opened.year == 2021 and self.tenant.slug == "rotterdam":
                factor *= 0.5  # a first season of a few duos
            if month.month in (7, 8):
                factor *= 0.5  # summer
            n = max(0, round(size * factor / 12 + self.rng.uniform(-0.5, 0.5)))
            for _i in range(n):
                day = month + timedelta(days=self.rng.randint(0, 27))
                if day <= last_start:
                    self._duo(plan.at(day, self.rng))
            for _i in range(round(n * 1.3)):
                self._dropouts(month + timedelta(days=self.rng.randint(0, 27)))
            month = add_months(month, 1)
        self._close()
        return self.rows

    def _close(self) -> None:
        """Nobody of the past waits for anything now: who is not alumni has withdrawn."""
        for pid, person in self.person_rows.items():
            if person["state"] not in (states.ALUMNI, states.WITHDRAWN, states.NOT_ELIGIBLE):
                at = person["state_changed_at"] + timedelta(days=self.rng.randint(20, 90))
                self._final(pid, states.WITHDRAWN, min(at, plan.at(self.until, self.rng)))

    def write(self) -> int:
        """Insert the drawn rows, one statement per table; returns how many rows."""
        for model, rows in self.rows.tables():
            if rows:  # Core executemany: one statement per table, no ORM bookkeeping
                db.session.execute(insert(model.__table__), rows)
        return self.rows.count


def seed_past(tenant: Any, seed_value: int, today: date) -> int:
    """Draw and write one branch's past (in its tenant scope); returns the rows written."""
    past = Past(tenant, seed_value, today)
    past.draw()
    return past.write()
