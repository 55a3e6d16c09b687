"""Plan a cycle, then move or cancel its sessions one by one (participants are told).

Domain operations for the views, the CLI and tests: they take rows and plain values,
flush, and enqueue jobs in the caller's transaction; they never commit. The schedule
itself comes from :func:`duo.training.schedule.generate`, fed with the branch's time zone,
public holidays (country and subdivision) and closed days from its config.

Choices made here:

- The preview is not stored: saving runs :func:`generate` again on the same input, which
  is deterministic, so what is saved is what was shown (and a stale preview submitted
  after a config change gets the current holidays, not the old ones).
- A cycle of modules gets one session per selected module, in curriculum order (unless
  the coordinator asks for more sessions). A workshop series gets ``count`` sessions, all
  of that workshop.
- Moving a session keeps its module; the coordinator chose the new day, so a holiday is
  not refused, only pointed out (:func:`day_notes`). A cancelled session stays in the
  cycle and in the calendar feeds (as cancelled) so that calendar apps remove it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from duo.core.db import db, utcnow
from duo.core.jobs import enqueue
from duo.core.tenancy.models import Tenant
from duo.training import curriculum
from duo.training.enrolment import participants
from duo.training.models import (
    CANCELLED,
    MODULES,
    WORKSHOP,
    TrainingCycle,
    TrainingSession,
)
from duo.training.schedule import (
    CLOSED_DAY,
    ERROR,
    PUBLIC_HOLIDAY,
    PlannedSession,
    Problem,
    Rhythm,
    ScheduleError,
    SchedulePreview,
    SkippedDay,
    country_holidays,
    generate,
    move,
)


@dataclass(frozen=True)
class CyclePlan:
    """What the coordinator asked for (the form's data, validated)."""

    title: str
    kind: str
    start_date: dt.date
    rhythm: Rhythm
    module_keys: Sequence[str] = ()
    workshop_key: str | None = None
    count: int | None = None
    location: str | None = None
    capacity: int | None = None


def holiday_settings(tenant: Tenant) -> dict[str, Any]:
    """The generator's holiday arguments from the branch's merged config."""
    config = tenant.config or {}
    holidays = config.get("holidays") or {}
    return {
        "holidays_country": holidays.get("country") or tenant.country.upper(),
        "holidays_subdivision": holidays.get("subdivision"),
        "closed_days": config.get("closed_days") or (),
    }


def audience_of(tenant: Tenant, plan: CyclePlan) -> str:
    """Who the cycle is for: the audience its items share, ``duos`` when they differ."""
    items = curriculum.items(tenant.config)
    keys = [plan.workshop_key] if plan.kind == WORKSHOP else list(plan.module_keys)
    audiences = {items[k].audience for k in keys if k in items}
    if len(audiences) == 1:
        return audiences.pop()
    return curriculum.DUOS if audiences else curriculum.MENTORS


def preview(tenant: Tenant, plan: CyclePlan, language: str) -> SchedulePreview:
    """The sessions the plan gives in this branch, with the skipped days and problems."""
    module_keys: Sequence[str] = plan.module_keys if plan.kind == MODULES else ()
    return generate(
        plan.start_date,
        plan.rhythm,
        plan.count,
        timezone=tenant.timezone,
        module_keys=module_keys,
        language=language,
        **holiday_settings(tenant),
    )


def _skipped_record(skipped: Sequence[SkippedDay]) -> list[dict[str, Any]]:
    return [{"date": s.date.isoformat(), "reason": s.reason, "label": s.label} for s in skipped]


def create_cycle(
    tenant: Tenant, plan: CyclePlan, *, language: str, by: object | None = None
) -> TrainingCycle:
    """Store the cycle the preview shows. Raises ScheduleError if the preview has errors."""
    result = preview(tenant, plan, language)
    if not result.ok:
        raise ScheduleError([p for p in result.problems if p.severity == ERROR])
    cycle = TrainingCycle(
        title=plan.title.strip(),
        kind=plan.kind,
        workshop_key=plan.workshop_key if plan.kind == WORKSHOP else None,
        module_keys=list(plan.module_keys) if plan.kind == MODULES else [plan.workshop_key],
        audience=audience_of(tenant, plan),
        start_date=plan.start_date,
        weekdays=list(plan.rhythm.weekdays),
        start_time=plan.rhythm.start,
        end_time=plan.rhythm.end,
        every_weeks=plan.rhythm.every_weeks,
        timezone=tenant.timezone,
        location=(plan.location or "").strip() or None,
        capacity=plan.capacity,
        skipped=_skipped_record(result.skipped),
        created_by_user_id=getattr(by, "id", None),
    )
    for planned in result.sessions:
        key = planned.module_key if plan.kind == MODULES else plan.workshop_key
        cycle.sessions.append(
            TrainingSession(
                index=planned.index,
                module_key=key,
                starts_at=planned.starts_at_utc,
                ends_at=planned.ends_at_utc,
            )
        )
    db.session.add(cycle)
    db.session.flush()
    return cycle


# --------------------------------------------------------------------------- sessions


def local_times(session: TrainingSession, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(timezone)
    return session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)


def _planned(session: TrainingSession, timezone: str) -> PlannedSession:
    start, end = local_times(session, timezone)
    return PlannedSession(session.index, session.module_key, start.date(), start, end)


def day_notes(tenant: Tenant, day: dt.date, language: str) -> list[SkippedDay]:
    """Why ``day`` would have been skipped by the generator (holiday, closed), if it would."""
    settings = holiday_settings(tenant)
    names = country_holidays(
        settings["holidays_country"],
        [day.year],
        subdivision=settings["holidays_subdivision"],
        language=language,
    )
    if day in names:
        return [SkippedDay(day, PUBLIC_HOLIDAY, names[day] or None)]
    closed = {str(d) for d in settings["closed_days"]}
    if day.isoformat() in closed:
        return [SkippedDay(day, CLOSED_DAY)]
    return []


def move_session(
    tenant: Tenant,
    session: TrainingSession,
    new_date: dt.date,
    new_start: dt.time,
    new_end: dt.time,
    *,
    location: str | None = None,
    by: object | None = None,
) -> bool:
    """Move a session (and/or change its place); tell its participants. False if unchanged.

    Raises ScheduleError for a cancelled session or invalid times (``field`` says which).
    """
    if session.status == CANCELLED:
        raise ScheduleError([Problem("session_cancelled", field="date")])
    moved = move(_planned(session, tenant.timezone), new_date, new_start, new_end)
    location = (location or "").strip() or None
    changed_time = (moved.starts_at_utc, moved.ends_at_utc) != (session.starts_at, session.ends_at)
    changed_place = location != session.location
    if not (changed_time or changed_place):
        return False
    session.starts_at, session.ends_at = moved.starts_at_utc, moved.ends_at_utc
    session.location = location
    session.sequence += 1
    session.moved_at = utcnow()
    db.session.flush()
    _tell_participants("training.session_moved", session, extra=session.sequence)
    return True


def cancel_session(session: TrainingSession, *, reason: str | None = None) -> bool:
    """Cancel a session and tell its participants. False if it was cancelled already."""
    if session.status == CANCELLED:
        return False
    session.status = CANCELLED
    session.cancel_reason = (reason or "").strip() or None
    session.cancelled_at = utcnow()
    db.session.flush()
    _tell_participants("training.session_cancelled", session)
    return True


def _tell_participants(job: str, session: TrainingSession, extra: object = None) -> int:
    count = 0
    for person in participants(session):
        args = [str(session.id), str(person.id)] + ([extra] if extra is not None else [])
        key = ":".join([job, *map(str, args)])
        if enqueue(job, *args, dedupe_key=key):
            count += 1
    return count
