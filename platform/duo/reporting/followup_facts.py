"""Counting the second half of the method into a branch's tally: the meetings and hours of
each accompaniment, the mentees' outcomes after it, and the end-of-duo survey.

Read like the rest of :mod:`duo.reporting.facts`, inside the branch's scope: ids, dates,
categories and answers on a scale, never a name or a free-text answer.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select

from duo.core.tenancy.scoping import read_in_branch
from duo.duos.lifecycle import add_months
from duo.duos.models import DuoCheckIn
from duo.evaluation.models import INTERNSHIP, JOB, TRAINING, EvaluationAnswer, Outcome, OutcomeAsk
from duo.people.models import MENTEE
from duo.reporting.reading import raw
from duo.reporting.tally import DuoFacts, Tally


def meetings(tally: Tally, duos: list[DuoFacts]) -> None:
    """Meetings and hours of each finished accompaniment, counted in the month it finished.

    A meeting is a week for which the mentor or the mentee said, through their check-in,
    that they met (both saying so for one week is one meeting); its length is the longer of
    the minutes they gave. ``count`` is the duo, ``total`` the meetings or the hours.
    """
    weeks: dict[Any, dict[Any, int]] = defaultdict(dict)
    for duo_id, week, minutes in read_in_branch(
        select(raw(DuoCheckIn.duo_id), raw(DuoCheckIn.week_start), DuoCheckIn.minutes).where(
            DuoCheckIn.met.is_(True)
        )
    ).all():
        seen = weeks[duo_id]
        seen[week] = max(seen.get(week, 0), int(minutes or 0))
    for duo in duos:
        end = duo.finished_day  # of an accompaniment that started and finished
        if end is None:
            continue
        met = weeks.get(duo.id, {})
        dims = duo.dims
        tally.add(end, "duos.meetings", dims, total=len(met))
        tally.add(end, "duos.hours", dims, total=sum(met.values()) / 60.0)


def outcomes(tally: Tally, duos: list[DuoFacts], settings) -> None:
    """Each mentee's best situation within ``outcome_months`` of the end of their duo.

    Counted in the month the accompaniment ended or stopped (after its start: the duos
    whose outcomes are followed). ``outcomes.followed``: every such mentee;
    ``outcomes.known``: those with at least one answer within the period (the denominator
    of the outcome rates); ``outcomes.lost``: those with no answer and an ask left
    unanswered (lost to follow-up), who are not counted as a failure. A job is *stable*
    once held ``stable_job_months`` at the follow-up point it was reported at, or when the
    contract is permanent.
    """
    answers: dict[Any, list] = defaultdict(list)
    for row in read_in_branch(
        select(
            raw(Outcome.duo_id).label("duo_id"),
            Outcome.months_after,
            Outcome.status,
            Outcome.contract_type,
            Outcome.job_started_on,
        ).where(Outcome.months_after <= settings.outcome_months)
    ).all():
        answers[row.duo_id].append(row)
    lost = set(
        read_in_branch(
            select(raw(OutcomeAsk.duo_id)).where(
                OutcomeAsk.lost_at.is_not(None),
                OutcomeAsk.months_after <= settings.outcome_months,
            )
        ).scalars()
    )
    positive = set(settings.positive_outcomes)
    for duo in duos:
        end = duo.finished_day
        if end is None:
            continue
        dims = duo.dims
        tally.count(end, "outcomes.followed", dims)
        found = answers.get(duo.id)
        if not found:
            if duo.id in lost:
                tally.count(end, "outcomes.lost", dims)
            continue
        tally.count(end, "outcomes.known", dims)
        statuses = {r.status for r in found}
        if JOB in statuses:
            tally.count(end, "outcomes.job", dims)
        if any(_stable(r, end, settings.stable_job_months) for r in found):
            tally.count(end, "outcomes.stable_job", dims)
        if statuses & {INTERNSHIP, TRAINING}:
            tally.count(end, "outcomes.internship_training", dims)
        if statuses & positive:
            tally.count(end, "outcomes.positive", dims)


def _stable(row, end: date, months: int) -> bool:
    if row.status != JOB:
        return False
    if row.contract_type == "permanent":
        return True
    if row.job_started_on is None:
        return False
    return add_months(row.job_started_on, months) <= add_months(end, row.months_after)


MEASURE_LENGTH = 60
#: Answers that agree: "3" (agree) and "4" (strongly agree), or "yes".
AGREEING = ("3", "4", "yes")


def survey(tally: Tally, duos: list[DuoFacts], local) -> None:
    """The end-of-duo survey: per side and question, the answers and those agreeing.

    Counted in the month of the answer; every version of a question is counted under its
    key. Free-text answers are never read.
    """
    mentee_of = {d.id: d for d in duos}
    rows = read_in_branch(
        select(
            raw(EvaluationAnswer.duo_id),
            EvaluationAnswer.party,
            EvaluationAnswer.question_key,
            EvaluationAnswer.value,
            raw(EvaluationAnswer.answered_at),
        ).where(EvaluationAnswer.value.in_(("1", "2", "3", "4", "yes", "no")))
    ).all()
    measures: dict[tuple[str, str], tuple[str, str] | None] = {}
    for duo_id, party, key, value, answered_at in rows:
        names = measures.get((party, key), ())
        if names == ():
            answered, agreed = f"survey.{party}.{key}.answered", f"survey.{party}.{key}.agreed"
            # A key too long to be a measure is no published item either.
            names = measures[party, key] = (
                (answered, agreed) if len(answered) <= MEASURE_LENGTH else None
            )
        if names is None:
            continue
        duo = mentee_of.get(duo_id)
        dims = duo.dims if duo is not None and party == MENTEE else ()
        day = local(answered_at)
        tally.count(day, names[0], dims)
        if value in AGREEING:
            tally.count(day, names[1], dims)
