"""Reading one branch's activity into counts: the only module of reporting that sees people.

Everything here runs inside one branch's tenant scope (the refresh job's), so the ORM filter
and row-level security both confine it to that branch. It reads ids, dates and categories
(role, locale, age band, sector), never a name or a contact, and returns
:class:`Tally` rows keyed by month, measure, dimension, category and bucket: the rollups.

Every measure a definition (:mod:`duo.reporting.indicators`) refers to is produced here, and
only here. Which person counts where is written next to each measure.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import case, select

from duo.core.db import utcnow
from duo.core.tenancy.models import Tenant
from duo.core.tenancy.scoping import read_in_branch
from duo.duos import states as duo_states
from duo.duos.lifecycle import add_months
from duo.duos.models import Duo, DuoStateChange
from duo.evaluation.models import Outcome
from duo.people import states as person_states
from duo.people.models import MENTEE, MENTOR, Person, Profile, StateChange
from duo.reporting import followup_facts
from duo.reporting.reading import LocalDays, collector_paused, raw
from duo.reporting.settings import reporting_settings
from duo.reporting.tally import Dims, DuoFacts, PersonFacts, Tally, dims_of
from duo.sessions.models import InfoSession, Registration

#: The reporting dimensions a person can be split by (the fairness view's).
DIMENSIONS = ("audience", "age_band", "language", "sector")
#: Waiting days above this are counted in the last bucket.
MAX_BUCKET = 999


def age_band(role: str, age: int | None) -> str:
    """Bands that hold enough people per branch to be shown (mentees 18–33, mentors 50+)."""
    if age is None:
        return "unknown"
    if role == MENTOR:
        if age < 60:
            return "50-59"
        return "60-69" if age < 70 else "70+"
    if age < 25:
        return "18-24"
    return "25-29" if age < 30 else "30+"


def _people(local: LocalDays) -> dict[Any, PersonFacts]:
    rows = read_in_branch(
        select(
            raw(Person.id),
            Person.role,
            Person.locale,
            Person.birth_year,
            raw(Person.created_at),
            Profile.birth_date,
            Profile.target_sector,
            Profile.sectors,
        ).outerjoin(
            Profile, (Profile.person_id == Person.id) & (Profile.tenant_id == Person.tenant_id)
        )
    ).all()
    people: dict[Any, PersonFacts] = {}
    # One pair of tuples per combination of categories, shared by everyone in it.
    shared: dict[tuple, tuple[Dims, Dims]] = {}
    for pid, role, locale, birth_year, created_at, birth_date, target_sector, sectors in rows:
        year = birth_date.year if birth_date else birth_year
        signed_up = local(created_at)
        age = signed_up.year - year if year else None
        sector = target_sector if role == MENTEE else (sectors[0] if sectors else None)
        key = (role, age, locale, sector)
        if key not in shared:
            dims = dims_of(
                audience=role,
                age_band=age_band(role, age),
                language=locale or "unknown",
                sector=sector or "unknown",
            )
            shared[key] = (dims, dims[1:])  # a duo is counted by its mentee, not the audience
        dims, duo_dims = shared[key]
        people[pid] = PersonFacts(role, dims, {"signed_up": (created_at, signed_up)}, [], duo_dims)
    return people


_STAGE_OF_STATE = {
    person_states.ATTENDED: "attended",
    person_states.INTAKE_DONE: "intake",
    person_states.ELIGIBLE: "eligible",
    person_states.TRAINED: "trained",
    person_states.MATCHED: "matched",
    person_states.IN_DUO: "agreement",
}

#: The steps of a person's history that some measure counts (the stages and the wait).
_COUNTED_STATES = (*_STAGE_OF_STATE, person_states.ELIGIBLE, person_states.MATCHED)

#: The steps of a duo's history that some measure counts.
_FINISHING_STEPS = (duo_states.ENDED, duo_states.EVALUATED, duo_states.STOPPED)

#: The funnel's stages in order; each person counts once per stage, in the month reached.
FUNNEL = (
    "signed_up",
    "attended",
    "intake",
    "eligible",
    "trained",
    "matched",
    "agreement",
    "completed",
    "evaluated",
)


def _first(facts: PersonFacts, stage: str, at: Any, local: LocalDays) -> None:
    known = facts.first.get(stage)
    if known is None or at < known[0]:
        facts.first[stage] = (at, local(at))


def _history(people: dict[Any, PersonFacts], local: LocalDays) -> None:
    # Only the steps a measure looks at; those made at the same moment in the pipeline's
    # order (eligible before matched), sorted by the database.
    pipeline = {state: i for i, state in enumerate(person_states.STATES)}
    rows = read_in_branch(
        select(raw(StateChange.person_id), StateChange.to_state, raw(StateChange.at))
        .where(StateChange.to_state.in_(_COUNTED_STATES))
        .order_by(StateChange.at, case(pipeline, value=StateChange.to_state, else_=99))
    ).all()  # fetched at once: iterating fetches row by row
    for pid, to_state, at in rows:
        facts = people.get(pid)
        if facts is None:
            continue
        day = local(at)
        facts.changes.append((day, to_state))
        stage = _STAGE_OF_STATE.get(to_state)
        if stage is not None and stage not in facts.first:
            facts.first[stage] = (at, day)  # in order of time: the first is the earliest
    attended = read_in_branch(
        select(raw(Registration.person_id), raw(InfoSession.starts_at))
        .join(
            InfoSession,
            (InfoSession.id == Registration.session_id)
            & (InfoSession.tenant_id == Registration.tenant_id),
        )
        .where(Registration.attended.is_(True))
    ).all()
    for pid, starts_at in attended:
        if pid in people:
            _first(people[pid], "attended", starts_at, local)


def _duos() -> list[DuoFacts]:
    duos: dict[Any, DuoFacts] = {}
    for row in read_in_branch(
        select(
            raw(Duo.id),
            raw(Duo.mentee_id),
            raw(Duo.mentor_id),
            Duo.state,
            raw(Duo.proposed_at),
            raw(Duo.started_at),
            raw(Duo.ended_at),
            Duo.declined_by,
        )
    ).all():
        duos[row[0]] = DuoFacts(*row[1:], id=row[0])
    # The steps a measure looks at (how a duo finished), the first of each in time.
    for duo_id, to_state, at in read_in_branch(
        select(raw(DuoStateChange.duo_id), DuoStateChange.to_state, raw(DuoStateChange.at))
        .where(DuoStateChange.to_state.in_(_FINISHING_STEPS))
        .order_by(DuoStateChange.at)
    ).all():
        if duo_id in duos:
            duos[duo_id].steps.setdefault(to_state, at)
    return sorted(duos.values(), key=lambda d: d.proposed_at)


def stop_category(duo: DuoFacts) -> str:
    """Why a duo stopped, as a category (the free-text reason is never aggregated)."""
    if duo.declined_by:
        return "declined_first_meeting"
    if duo.started_at is None:
        return "before_agreement"
    return "during_accompaniment"


def collect(tenant: Tenant) -> Tally:
    """Every measure of one branch, from its people, history and duos (the collector
    paused meanwhile: :func:`~duo.reporting.reading.collector_paused`)."""
    with collector_paused():
        return _collect(tenant)


def _collect(tenant: Tenant) -> Tally:
    local = LocalDays(tenant.timezone)
    settings = reporting_settings(tenant.config)
    tally = Tally()
    people = _people(local)
    _history(people, local)
    duos = _duos()

    for duo in duos:
        mentee = people.get(duo.mentee_id)
        if mentee is not None:
            duo.dims = mentee.duo_dims
        if duo.started_at is not None:
            duo.start_day = local(duo.started_at)
            finished = duo.steps.get(duo_states.ENDED) or duo.steps.get(duo_states.STOPPED)
            if finished is not None:
                duo.finished_day = local(finished)
        ended = duo.steps.get(duo_states.ENDED)
        evaluated = duo.steps.get(duo_states.EVALUATED)
        if ended is None and evaluated is None:
            continue
        for facts in (mentee, people.get(duo.mentor_id)):
            if facts is None:
                continue
            if ended is not None:
                _first(facts, "completed", ended, local)
            if evaluated is not None:
                _first(facts, "evaluated", evaluated, local)

    measure = {stage: f"funnel.{stage}" for stage in FUNNEL}
    count = tally.count
    for facts in people.values():
        dims = facts.dims
        for stage, (_at, day) in facts.first.items():  # only funnel stages are recorded
            count(day, measure[stage], dims)
        _waits(tally, facts)

    _duo_measures(tally, duos, local, settings)
    _mentors_again(tally, duos, local)
    _outcome_measures(tally, local, settings)
    followup_facts.meetings(tally, duos)
    followup_facts.outcomes(tally, duos, settings)
    followup_facts.survey(tally, duos, local)
    return tally


def _outcome_measures(tally: Tally, local, settings) -> None:
    """Mentees' outcomes recorded (by link, by a coordinator or imported), counted in the
    month they were recorded, by situation. (The outcome indicators, per mentee at the end
    of their duo, are :func:`_outcomes`.)"""
    rows = read_in_branch(select(Outcome.status, raw(Outcome.recorded_at))).all()
    for status, recorded_at in rows:
        tally.count(local(recorded_at), "outcomes.recorded", dims_of(status=status))


def _waits(tally: Tally, facts: PersonFacts) -> None:
    """Days from becoming eligible to the next match, counted in the month of the match."""
    eligible_on: date | None = None
    for day, to_state in facts.changes:
        if to_state == person_states.ELIGIBLE:
            eligible_on = day
        elif to_state == person_states.MATCHED and eligible_on is not None:
            days = max(0, (day - eligible_on).days)
            bucket = min(days, MAX_BUCKET)
            tally.add(day, "wait.eligible_match", facts.dims, total=days, bucket=bucket)
            eligible_on = None


def _duo_measures(tally: Tally, duos: list[DuoFacts], local, settings) -> None:
    today = local(utcnow())
    for duo in duos:
        dims = duo.dims
        tally.count(local(duo.proposed_at), "duos.proposed", dims)
        stopped_at = duo.steps.get(duo_states.STOPPED)
        if stopped_at is not None:
            tally.count(local(stopped_at), "duos.stopped", dims_of(reason=stop_category(duo)))
        start = duo.start_day
        if start is None:
            continue
        tally.count(start, "duos.started", dims)
        if duo_states.ENDED in duo.steps:
            tally.count(duo.finished_day, "duos.completed", dims)
        end = duo.finished_day
        if end is not None:
            reached = add_months(start, settings.reach_months) <= end
            tally.count(end, "duos.finished", dims)
            if reached:
                tally.count(end, "duos.reached_six", dims)
    _active_snapshots(tally, duos, today)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _active_snapshots(tally: Tally, duos: list[DuoFacts], today: date) -> None:
    """Duos in accompaniment on the last day of each month (today for the current one).

    A duo counts at the end of every month from the one it started in up to, not including,
    the one it finished in (it is no longer in accompaniment on that month's last day), or up
    to this month while it runs; counted as a running sum of starts and finishes per month.
    """
    change: dict[int, int] = defaultdict(int)
    first: int | None = None
    for duo in duos:
        start = duo.start_day
        if start is None:
            continue
        if duo.finished_day is not None:
            until = _month_index(duo.finished_day)  # exclusive
        elif start <= today:
            until = _month_index(today) + 1
        else:
            until = _month_index(start)  # starts after today: in no month-end yet
        since = _month_index(start)
        first = since if first is None else min(first, since)
        if until > since:
            change[since] += 1
            change[until] -= 1
    if first is None:
        return
    active = 0
    for index in range(first, _month_index(today) + 1):
        active += change.get(index, 0)
        tally.set(date(index // 12, index % 12 + 1, 1), "duos.active_end", active)


def _mentors_again(tally: Tally, duos: list[DuoFacts], local) -> None:
    """A mentor's first accompaniment that finished, and whether another duo followed it."""
    by_mentor: dict[Any, list[DuoFacts]] = defaultdict(list)
    for duo in duos:
        by_mentor[duo.mentor_id].append(duo)
    for mentor_duos in by_mentor.values():
        started = [d for d in mentor_duos if d.started_at is not None]
        finished = [
            (d.steps.get(duo_states.ENDED) or d.steps.get(duo_states.STOPPED), d)
            for d in started
            if duo_states.ENDED in d.steps or duo_states.STOPPED in d.steps
        ]
        if not finished:
            continue
        end_at, first = min(finished, key=lambda item: item[0])
        again = any(d is not first and d.proposed_at >= first.started_at for d in mentor_duos)
        tally.count(local(end_at), "mentors.first_finished")
        if again:
            tally.count(local(end_at), "mentors.again")
